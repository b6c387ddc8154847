export { type BertBackbone, bertBackbone } from './bert-backbone.js';
export { checkEncoderMasks, ENCODER_MASK_REASON } from './check-encoder-masks.js';
