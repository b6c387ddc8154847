export { type LlamaBackbone, llamaBackbone } from './llama-backbone.js';
