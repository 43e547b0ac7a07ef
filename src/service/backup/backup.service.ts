import { CivitasError } from '../../domain/shared/civitas-error.js';
import { copyStore, tableCounts } from '../../store/copy.js';
import type { Store } from '../../store/ports.js';
import { verifyAuditChain, type ChainVerification } from '../audit/audit.service.js';
import type { Actor } from '../deps.js';

/** What a backup or restore did, and the proof that the copy is whole. */
export interface CopyReport {
  readonly counts: Record<string, number>;
  readonly chain: ChainVerification;
}

async function checkCopy(source: Store, copy: Store): Promise<CopyReport> {
  const [expected, counts] = await Promise.all([tableCounts(source), tableCounts(copy)]);
  for (const [table, n] of Object.entries(expected)) {
    if (table !== 'audit_event' && counts[table] !== n) {
      throw new CivitasError(
        'internal_error',
        `the copy has ${counts[table]} rows in ${table}, the source ${n}`,
      );
    }
  }
  const chain = await verifyAuditChain(copy);
  if (!chain.ok)
    throw new CivitasError(
      'internal_error',
      `the copy's audit chain does not verify: ${chain.broken?.reason}`,
    );
  return { counts, chain };
}

/**
 * Backs a store up into `copy`, a new SQLite database file opened by the caller: SQLite's online
 * backup API for a SQLite source (`store.backup`), a consistent logical copy for PostgreSQL. The
 * copy is then checked: same row counts, and an audit chain that verifies. The backup itself is
 * recorded in the source's audit trail.
 */
export async function backupStore(
  source: Store,
  file: string,
  openCopy: () => Promise<Store>,
  actor: Actor,
  now: string,
): Promise<CopyReport> {
  await source.audit.append(
    { actor: actor.id, action: 'backup.create', recordType: 'database', recordId: file },
    now,
  );
  if (source.kind === 'sqlite') {
    await source.backup(file);
    const copy = await openCopy();
    try {
      return await checkCopy(source, copy);
    } finally {
      await copy.close();
    }
  }
  const copy = await openCopy();
  try {
    await copyStore(source, copy);
    return await checkCopy(source, copy);
  } finally {
    await copy.close();
  }
}

/**
 * Restores a backup into an empty target database (SQLite or PostgreSQL). The backup's audit
 * chain must verify before anything is written, and the target's must verify after.
 */
export async function restoreStore(
  backup: Store,
  target: Store,
  onTable?: (table: string, rows: number) => void,
): Promise<CopyReport> {
  const before = await verifyAuditChain(backup);
  if (!before.ok) {
    throw new CivitasError(
      'conflict',
      `the backup's audit chain does not verify (${before.broken?.reason}): refusing to restore it`,
    );
  }
  await copyStore(backup, target, onTable);
  return checkCopy(backup, target);
}
