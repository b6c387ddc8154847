export { alternatingMask, alternatingParams } from './alternating.js';
export { alternatingErrors } from './errors.js';
