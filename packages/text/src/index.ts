export * from './errors.js';
export * from './tags/index.js';
