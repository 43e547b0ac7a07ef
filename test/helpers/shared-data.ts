/**
 * Where the public datasets the tests read in place live (never copied into the repository).
 * vitest.config.ts finds the folder once and passes it to every test file in the environment.
 */
import { resolve } from 'node:path';

export const SHARED_DATA = resolve(process.env['CIVITAS_SHARED_DATA'] ?? '../shared/data');

/** A path inside the shared data folder. */
export function sharedData(...parts: string[]): string {
  return resolve(SHARED_DATA, ...parts);
}
