export * from './errors.js';
export * from './heads/crf/tag-transitions.js';
export * from './heads/crf/viterbi.js';
export * from './heads/crf-head.js';
export * from './heads/linear-head.js';
export * from './heads/masked-cross-entropy.js';
export * from './heads/token-head.js';
export * from './rng.js';
