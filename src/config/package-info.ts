import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Civitas is installed and which version it is. */
export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

/**
 * Finds Civitas's own package.json by walking up from this file, so the answer is the same when
 * run from src/ (tests) or dist/server/ (built).
 *
 * @example
 * packageInfo().version; // '0.1.0'
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'civitas') {
        cached = { root: dir, version: pkg.version ?? '0.0.0' };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the civitas package.json above ' + import.meta.url);
    dir = parent;
  }
}
