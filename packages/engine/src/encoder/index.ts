export { checkpointArchitecture, ENCODER_MODEL_TYPES } from './checkpoint-architecture.js';
export { type EncoderConfig, type EncoderFamily, parseEncoderConfig } from './encoder-config.js';
export { type EncoderForwardOptions, EncoderModel, type EncoderOutput } from './encoder-model.js';
export {
  type EncoderLayerParams,
  type EncoderParams,
  type EncoderProjectionName,
  encoderProjectionNames,
  encoderProjectionPath,
  type LayerNormParams,
} from './encoder-params.js';
export { buildEncoderParams, encoderPrefix, splitEncoderNames } from './encoder-weights.js';
export { gelu } from './gelu.js';
export { layerNorm } from './layer-norm.js';
export { type LoadedEncoder, loadEncoder } from './load-encoder.js';
export { encoderPositionIds } from './position-ids.js';
