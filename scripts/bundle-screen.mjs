// Bundles `civitas screen` (file mode) into dist/screen/: the command, its worker and the
// prestart module, each one file. A screening's time is mostly process start, and loading some
// twenty compiled modules plus commander one by one took about twice as long as one bundle.
// Run by `npm run build` after tsc; bin/civitas.js uses the bundle when it is there.
import { build } from 'esbuild';

/** Modules the screen command loads only when needed, kept as the compiled files beside it. */
const CLI_SIBLINGS = new Set(['./screen-register.js', './progress.js']);

await build({
  entryPoints: {
    screen: 'dist/server/cli/screen.command.js',
    'screen.worker': 'dist/server/service/screening/screen.worker.js',
    'screen-prestart': 'dist/server/service/screening/screen-prestart.js',
  },
  outdir: 'dist/screen',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // geotiff is loaded only with --population, from node_modules as usual.
  external: ['geotiff'],
  // commander is CommonJS and requires Node built-ins.
  banner: {
    js: "import { createRequire as __civitasRequire } from 'node:module'; const require = __civitasRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'cli-siblings',
      setup(b) {
        b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
          CLI_SIBLINGS.has(args.path) && args.importer.endsWith('/cli/screen.command.js')
            ? { path: `../server/cli/${args.path.slice(2)}`, external: true }
            : undefined,
        );
      },
    },
  ],
  logLevel: 'warning',
});
