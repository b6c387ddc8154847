export * from './align-sentence.js';
export * from './align-split.js';
export * from './special-tokens.js';
export * from './tokenizer-family.js';
export * from './tokenizer-json.js';
export * from './word-level-tokenizer.js';
export * from './word-predictions.js';
export * from './word-tokenizer.js';
