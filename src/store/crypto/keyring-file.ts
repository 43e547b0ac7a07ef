import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { newDataKey, type Keyring } from './field-cipher.js';

const fileSchema = z
  .object({
    version: z.literal(1),
    active: z.string().min(1),
    keys: z.record(
      z.string(),
      z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64'),
    ),
  })
  .strict();

/** Where the keyring comes from: a key file, or one base64 key in the environment. */
export type KeySource = { kind: 'file'; path: string } | { kind: 'env'; base64: string };

function keyId(now = new Date()): string {
  return `k${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}${Math.floor(Math.random() * 1e4)}`;
}

function toKeyring(parsed: z.infer<typeof fileSchema>, path: string): Keyring {
  if (!parsed.keys[parsed.active]) {
    throw new CivitasError(
      'bad_request',
      `${path}: the active key ${parsed.active} is not among the keys`,
    );
  }
  return {
    active: parsed.active,
    keys: Object.fromEntries(
      Object.entries(parsed.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]),
    ),
  };
}

/** Writes a keyring file atomically, readable by its owner only. */
export function writeKeyringFile(path: string, keyring: Keyring): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = JSON.stringify(
    {
      version: 1,
      active: keyring.active,
      keys: Object.fromEntries(
        Object.entries(keyring.keys).map(([id, key]) => [id, key.toString('base64')]),
      ),
    },
    null,
    2,
  );
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, body, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * Loads the keyring. With a key file that does not exist yet and `createIfMissing`, a new one is
 * made (mode 0600) and `created` is true so the caller can tell the operator to protect it.
 *
 * @example
 * const { keyring, created } = loadKeyring({ kind: 'file', path: './var/civitas.key' }, true);
 */
export function loadKeyring(
  source: KeySource,
  createIfMissing: boolean,
): { keyring: Keyring; created: boolean } {
  if (source.kind === 'env') {
    const key = Buffer.from(source.base64, 'base64');
    if (key.length !== 32) {
      throw new CivitasError(
        'bad_request',
        'CIVITAS_DATA_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
      );
    }
    return { keyring: { active: 'env', keys: { env: key } }, created: false };
  }
  if (!existsSync(source.path)) {
    if (!createIfMissing) {
      throw new CivitasError(
        'bad_request',
        `key file ${source.path} not found: set CIVITAS_KEY_FILE or restore the key`,
      );
    }
    const id = keyId();
    const keyring: Keyring = { active: id, keys: { [id]: newDataKey() } };
    writeKeyringFile(source.path, keyring);
    return { keyring, created: true };
  }
  let parsed;
  try {
    parsed = fileSchema.parse(JSON.parse(readFileSync(source.path, 'utf8')));
  } catch (error) {
    const reason =
      error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : (error as Error).message;
    throw new CivitasError('bad_request', `key file ${source.path} is not valid: ${reason}`);
  }
  return { keyring: toKeyring(parsed, source.path), created: false };
}

/** A keyring with a new active key added; old keys stay until re-encryption is done. */
export function keyringWithNewKey(keyring: Keyring): Keyring {
  const id = keyId();
  return { active: id, keys: { ...keyring.keys, [id]: newDataKey() } };
}

/** A keyring holding only its active key: used once every value is re-encrypted under it. */
export function keyringActiveOnly(keyring: Keyring): Keyring {
  const key = keyring.keys[keyring.active];
  if (!key) throw new CivitasError('internal_error', 'active key missing');
  return { active: keyring.active, keys: { [keyring.active]: key } };
}
