import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { loadConfig, type Config } from '../config/config.js';
import { systemActor, type Actor } from '../service/deps.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import {
  createFieldCipher,
  loadKeyring,
  openStore,
  type FieldCipher,
  type KeySource,
  type Store,
} from '../store/open-store.js';

/** Options every command takes. */
export interface CommonOptions {
  db?: string;
}

/** Reads the environment plus the command's flags into a Config; flags win. */
export function commandConfig(options: CommonOptions, extra: Partial<Config> = {}): Config {
  return loadConfig(process.env, { ...(options.db ? { databaseUrl: options.db } : {}), ...extra });
}

/** Where the configuration says the data keys are. */
export function keySource(config: Config): KeySource {
  return config.dataKeyBase64 !== undefined
    ? { kind: 'env', base64: config.dataKeyBase64 }
    : { kind: 'file', path: resolve(config.keyFile) };
}

/**
 * The field cipher from the configured keys. With `createKey`, a missing key file is created
 * (first start) and the operator is told to protect it.
 */
export function commandCipher(config: Config, createKey: boolean): FieldCipher {
  const source = keySource(config);
  const { keyring, created } = loadKeyring(source, createKey);
  if (created && source.kind === 'file') {
    process.stderr.write(
      `civitas: created data key file ${source.path} (mode 0600). Keep it outside the database's backups; without it, encrypted fields cannot be read.\n`,
    );
  }
  return createFieldCipher(keyring);
}

/** Opens the database the configuration names (migrating it), for a command to use. */
export function openCommandStore(
  config: Config,
  options: { createKey?: boolean } = {},
): Promise<Store> {
  return openStore(config.databaseUrl, commandCipher(config, options.createKey ?? true));
}

/** The actor the CLI acts as, for the audit trail: `cli:<os user>`, with full access on the server. */
export function cliActor(): { kind: 'system'; id: string } {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // Containers may run as a uid with no passwd entry; the audit trail still records "cli:unknown".
  }
  return systemActor(`cli:${name}`);
}

/** Writes a line to standard output. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The actor a command runs as: `--as USERNAME` acts as that (enabled) user, with their role,
 * clearance and compartments — needed where two different people must sign (a release's author
 * and approver); otherwise the CLI's own system actor.
 */
export async function commandActor(store: Store, as: string | undefined): Promise<Actor> {
  if (!as) return cliActor();
  const user = await store.users.getByUsername(as);
  if (!user || user.disabled) throw new CivitasError('not_found', `No enabled user ${as}.`);
  return { kind: 'user', id: user.id, user, via: 'cli', scopes: ['write'] };
}
