import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { packageInfo } from '../config/package-info.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { say } from './context.js';
import { registerAudit } from './audit.command.js';
import { registerBackup } from './backup.command.js';
import { registerDemo } from './demo.command.js';
import { registerHarm } from './harm.command.js';
import { registerInit } from './init.command.js';
import { registerKeys } from './keys.command.js';
import { registerObjects } from './objects.command.js';
import { registerRelease } from './release.command.js';
import { registerScreen } from './screen.command.js';
import { registerServe } from './serve.command.js';
import { registerUser } from './user.command.js';

/** Builds the `civitas` command tree; one file per command. */
export function buildProgram(): Command {
  const program = new Command('civitas')
    .description(
      'Civitas: the human security approach as a working tool.\n' +
        'Every command reads CIVITAS_DATABASE_URL (default ./var/civitas.db) and takes --db to override it.',
    )
    .version(packageInfo().version, '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  program
    .command('version')
    .description('print the version')
    .action(() => say(`civitas ${packageInfo().version}`));
  registerInit(program);
  registerServe(program);
  registerDemo(program);
  registerUser(program);
  registerAudit(program);
  registerKeys(program);
  registerBackup(program);
  registerObjects(program);
  registerRelease(program);
  registerScreen(program);
  registerHarm(program);
  return program;
}

/**
 * Runs the CLI. Expected failures print one clear line (`civitas: …`) and exit 1; a stack trace is
 * printed only with CIVITAS_DEBUG=1.
 *
 * @example
 * await main(['node', 'civitas', 'demo', '--db', './var/civitas.db']);
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message =
      error instanceof CivitasError || error instanceof ConfigError
        ? error.message
        : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`civitas: ${message}\n`);
    if (process.env.CIVITAS_DEBUG === '1' && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
