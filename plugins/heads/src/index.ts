export { headCrf } from './head-crf.js';
export { headLinear } from './head-linear.js';
