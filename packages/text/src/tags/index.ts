export * from './convert.js';
export * from './spans.js';
export * from './tag.js';
export * from './validate.js';
