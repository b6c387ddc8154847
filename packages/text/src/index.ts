export * from './align/index.js';
export * from './errors.js';
export * from './metrics/index.js';
export * from './tags/index.js';
