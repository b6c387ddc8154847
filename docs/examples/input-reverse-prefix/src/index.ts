export { reversePrefixErrors } from './errors.js';
export { reversePrefixInput } from './reverse-prefix.js';
