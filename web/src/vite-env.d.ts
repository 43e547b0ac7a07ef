/// <reference types="vite/client" />

/** The ES build of mgrs (see mgrs-default.ts): the same API as the package's own types. */
declare module 'mgrs/dist/mgrs.esm.js' {
  export * from 'mgrs';
}
