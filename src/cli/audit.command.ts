import type { Command } from 'commander';
import { verifyAuditChain } from '../service/audit/audit.service.js';
import { commandConfig, openCommandStore, say, type CommonOptions } from './context.js';

/** `civitas audit verify`: checks the audit hash chain and names the first broken link. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('recompute the hash chain; exits 1 and names the first broken event if any')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .action(async (o: CommonOptions) => {
      const store = await openCommandStore(commandConfig(o), { createKey: false });
      try {
        const result = await verifyAuditChain(store);
        if (result.ok) {
          say(`Audit chain intact: ${result.count} events; head ${result.headHash}`);
          say(
            'Record the head hash outside Civitas: a later verify that ends earlier shows a cut tail.',
          );
        } else {
          process.stderr.write(
            `civitas: audit chain broken at event ${result.broken!.seq}: ${result.broken!.reason}\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });
}
