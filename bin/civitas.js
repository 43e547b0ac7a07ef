#!/usr/bin/env node
// The `civitas` executable: runs the compiled CLI (npm run build makes dist/server).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/server/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('civitas: not built yet; run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(entry);
await main(process.argv);
