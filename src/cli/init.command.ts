import type { Command } from 'commander';
import { ensureFirstAdmin } from '../service/auth/user.service.js';
import { defaultDeps } from '../service/deps.js';
import { cliActor, commandConfig, openCommandStore, say, type CommonOptions } from './context.js';

/** `civitas init`: creates the database if needed and brings its schema up to date. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'create the database and apply migrations; creates the first administrator and the data key file',
    )
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .action(async (options: CommonOptions) => {
      const config = commandConfig(options);
      const store = await openCommandStore(config);
      try {
        const areas = await store.areas.countAreas();
        say(`Database ready (${store.kind}): schema up to date, ${areas} area(s) of operations.`);
        const admin = await ensureFirstAdmin(defaultDeps(store), cliActor());
        if (admin)
          say(
            `First administrator created: user name ${admin.username}, password ${admin.password} (shown once)`,
          );
      } finally {
        await store.close();
      }
    });
}
