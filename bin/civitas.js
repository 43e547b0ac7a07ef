#!/usr/bin/env node
// The `civitas` executable: runs the compiled CLI (npm run build makes dist/server).
// `civitas screen` goes straight to its own entry: a file screening's time is mostly process
// start, and the command table, configuration and validation libraries are not needed for it.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const file = command === 'screen' ? 'cli/screen.command.js' : 'cli/index.js';
const dist = (path) => fileURLToPath(new URL(`../dist/server/${path}`, import.meta.url));
const entry = dist(file);
if (!existsSync(entry)) {
  process.stderr.write('civitas: not built yet; run `npm run build` first.\n');
  process.exit(1);
}
if (command === 'screen') {
  // The screening worker boots while this thread loads the rest (service/screening/screen-prestart.ts),
  // from the one-file bundle `npm run build` makes (dist/screen) unless tsc has built since.
  const built = (path) => {
    try {
      return statSync(fileURLToPath(new URL(`../dist/${path}`, import.meta.url))).mtimeMs;
    } catch {
      return -1;
    }
  };
  const bundle = built('screen/screen.js');
  const bundled = bundle >= 0 && bundle >= built('.tsbuildinfo');
  const at = (inBundle, compiled) =>
    bundled
      ? fileURLToPath(new URL(`../dist/screen/${inBundle}`, import.meta.url))
      : dist(compiled);
  const { prestartScreenWorker } = await import(
    at('screen-prestart.js', 'service/screening/screen-prestart.js')
  );
  prestartScreenWorker(process.argv);
  const { screenMain } = await import(at('screen.js', file));
  await screenMain(process.argv);
} else {
  const { main } = await import(entry);
  await main(process.argv);
}
