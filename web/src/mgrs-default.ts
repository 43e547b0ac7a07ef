// mgrs for the browser bundle. Shared domain code (protected-object.ts) imports mgrs's default
// export, which Node gives through CommonJS interop; the package's ES build has named exports
// only. vite.config.ts points `mgrs` here, so both ways of importing it work in the bundle.
import * as mgrs from 'mgrs/dist/mgrs.esm.js';

export * from 'mgrs/dist/mgrs.esm.js';
export default mgrs;
