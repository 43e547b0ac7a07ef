export * from './lon-lat.js';
export * from './bbox.js';
