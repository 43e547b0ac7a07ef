import type { Command } from 'commander';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { defaultDeps } from '../service/deps.js';
import { rotateDataKey } from '../service/keys/keys.service.js';
import {
  createFieldCipher,
  keyringActiveOnly,
  keyringWithNewKey,
  loadKeyring,
  openStore,
  writeKeyringFile,
} from '../store/open-store.js';
import { cliActor, commandConfig, keySource, say, type CommonOptions } from './context.js';

/** `civitas keys rotate`: a new data key; every encrypted field re-encrypted under it. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('data keys for encrypted fields');
  keys
    .command('rotate')
    .description(
      'add a new data key, re-encrypt every sensitive field under it in one transaction, then retire the old keys',
    )
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .action(async (o: CommonOptions) => {
      const config = commandConfig(o);
      const source = keySource(config);
      if (source.kind !== 'file') {
        throw new CivitasError(
          'bad_request',
          'keys rotate works on a key file; with CIVITAS_DATA_KEY, rotate in your secret store (docs/security.md)',
        );
      }
      const { keyring } = loadKeyring(source, false);
      const next = keyringWithNewKey(keyring);
      // Step 1: the key file holds old and new keys, so a crash at any point leaves data readable.
      writeKeyringFile(source.path, next);
      const store = await openStore(config.databaseUrl, createFieldCipher(keyring));
      try {
        const count = await rotateDataKey(defaultDeps(store), cliActor(), createFieldCipher(next));
        // Step 2: every value is under the new key; the old keys are removed from the file.
        writeKeyringFile(source.path, keyringActiveOnly(next));
        say(
          `Re-encrypted ${count} fields under key ${next.active}; old keys removed from ${source.path}.`,
        );
        say(
          'Backups made before now still need the old key file: keep a copy with them, or destroy both.',
        );
      } finally {
        await store.close();
      }
    });
}
