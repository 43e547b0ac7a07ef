import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The public datasets the tests read in place: CIVITAS_SHARED_DATA, else a `shared/data` folder
 * beside the checkout or beside one of its parents, else the workplace's `/work/shared/data`.
 * In CI they must be there: a suite that silently skipped its real-data tests would prove little.
 */
function findSharedData(): string | undefined {
  const fromEnv = process.env['CIVITAS_SHARED_DATA'];
  if (fromEnv) return resolve(fromEnv);
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return existsSync('/work/shared/data') ? '/work/shared/data' : undefined;
}

const sharedData = findSharedData();
if (sharedData) process.env['CIVITAS_SHARED_DATA'] = sharedData;
else if (process.env['CI']) {
  throw new Error(
    'CI needs the shared datasets: set CIVITAS_SHARED_DATA to the folder holding them (../shared/data)',
  );
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
