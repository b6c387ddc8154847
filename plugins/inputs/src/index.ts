export { inputErrors } from './errors.js';
export { identityInput } from './identity.js';
export { repeatInput } from './repeat.js';
