import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { packageInfo } from '../config/package-info.js';
import { CivitasError } from '../domain/shared/civitas-error.js';

type Register = (program: Command) => void;

/**
 * The commands, each loaded only when it runs: `civitas screen` must not pay for loading the web
 * server, and every command starts faster for it. A module may register several top-level names.
 */
const COMMANDS: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  { names: ['init'], load: async () => (await import('./init.command.js')).registerInit },
  { names: ['serve'], load: async () => (await import('./serve.command.js')).registerServe },
  { names: ['demo'], load: async () => (await import('./demo.command.js')).registerDemo },
  { names: ['user'], load: async () => (await import('./user.command.js')).registerUser },
  { names: ['audit'], load: async () => (await import('./audit.command.js')).registerAudit },
  { names: ['keys'], load: async () => (await import('./keys.command.js')).registerKeys },
  {
    names: ['backup', 'restore'],
    load: async () => (await import('./backup.command.js')).registerBackup,
  },
  { names: ['objects'], load: async () => (await import('./objects.command.js')).registerObjects },
  { names: ['release'], load: async () => (await import('./release.command.js')).registerRelease },
  { names: ['screen'], load: async () => (await import('./screen.command.js')).registerScreen },
  { names: ['harm'], load: async () => (await import('./harm.command.js')).registerHarm },
];

/**
 * Builds the `civitas` command tree; one file per command. With `only`, just that command's
 * module is loaded (the others are not needed to run it); without, all of them (for help).
 */
export async function buildProgram(only?: string): Promise<Command> {
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
    .action(() => {
      process.stdout.write(`civitas ${packageInfo().version}\n`);
    });
  // An unknown word loads everything, so the error lists every command.
  const named = COMMANDS.filter((c) => only !== undefined && c.names.includes(only));
  const wanted = only === 'version' ? [] : named.length > 0 ? named : COMMANDS;
  const registers = await Promise.all(wanted.map((c) => c.load()));
  for (const register of registers) register(program);
  return program;
}

/** The command a command line names: its first word that is not an option. */
function commandName(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}

/**
 * Runs the CLI. Expected failures print one clear line (`civitas: …`) and exit 1; a stack trace is
 * printed only with CIVITAS_DEBUG=1.
 *
 * @example
 * await main(['node', 'civitas', 'demo', '--db', './var/civitas.db']);
 */
export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(commandName(argv));
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
