export * from './crf/tag-transitions.js';
export * from './crf/viterbi.js';
export * from './crf-head.js';
export { headCrf } from './head-crf.js';
export { headLinear } from './head-linear.js';
export * from './linear-head.js';
