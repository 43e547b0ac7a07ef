import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ensureDemoUsers } from '../service/auth/user.service.js';
import { defaultDeps } from '../service/deps.js';
import { loadDemo } from '../service/demo/load-demo.js';
import { cliActor, commandConfig, openCommandStore, say, type CommonOptions } from './context.js';
import { createProgress } from './progress.js';

/** `civitas demo`: loads (or reloads) the EXERCISE demo area of operations. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'load the EXERCISE demo area of operations (replaces an earlier demo area, nothing else)',
    )
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .option(
      '--data <dir>',
      'folder with richer real data (e.g. OCHA boundaries in ocha-cod-ab-caf/)',
    )
    .action(async (options: CommonOptions & { data?: string }) => {
      const config = commandConfig(options);
      const store = await openCommandStore(config);
      const progress = createProgress(process.stderr);
      try {
        const deps = defaultDeps(store);
        const result = await loadDemo(deps, cliActor(), {
          ...(options.data ? { dataDir: resolve(options.data) } : {}),
          onProgress: progress.listener,
        });
        progress.stop();
        say(
          `${result.replaced ? 'Reloaded' : 'Loaded'} the demo area of operations (EXERCISE) into ${store.kind}: ` +
            `${result.regionCount} regions, ${result.placeCount} places, ${result.unitCount} units, ${result.factorCount} factors.`,
        );
        for (const source of result.sources) say(`  ${source}`);
        say(
          `  Protected objects: ${Object.entries(result.objects)
            .map(([source, n]) => `${n} from ${source}`)
            .join(', ')} (civitas-demo: invented objects placed near real GeoNames towns)`,
        );
        const users = await ensureDemoUsers(deps, cliActor());
        if (users)
          say(
            `Demo users (EXERCISE): ${users.usernames.join(', ')}; password ${users.password} (shown once)`,
          );
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
