import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The built `civitas` executable (npm run build makes it). */
export const CIVITAS_BIN = resolve('bin/civitas.js');

/** What a CLI run printed and how it ended. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `civitas` executable with a key file of the test's own and no inherited database
 * URL; never throws, returns the exit code and output.
 *
 * @example
 * const { code, stdout } = await runCivitas(['audit', 'verify', '--db', db], { keyFile });
 */
export async function runCivitas(
  args: string[],
  options: { keyFile: string; env?: Record<string, string> },
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CIVITAS_BIN, ...args], {
      env: {
        ...process.env,
        CIVITAS_DATABASE_URL: '',
        CIVITAS_KEY_FILE: options.keyFile,
        ...options.env,
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
