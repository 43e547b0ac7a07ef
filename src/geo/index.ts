export * from './lon-lat.js';
export * from './bbox.js';
export * from './spherical-cap.js';
export * from './geometry-distance.js';
export * from './mgrs.js';
