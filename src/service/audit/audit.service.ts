import type { Actor } from '../../domain/access/user.js';
import { auditHash, GENESIS_HASH } from '../../domain/audit/audit-chain.js';
import type { AuditEvent, AuditFilter, Page, PageRequest, Store } from '../../store/ports.js';
import { authorize } from '../access/access.js';
import type { ServiceDeps } from '../deps.js';

/** The outcome of checking the audit chain. */
export interface ChainVerification {
  readonly ok: boolean;
  readonly count: number;
  /** The last event's hash: record it outside Civitas to detect a truncated tail later. */
  readonly headHash: string;
  /** The first event that does not verify, and why. */
  readonly broken: { seq: number; reason: string } | null;
}

/**
 * Walks the whole audit trail in order and recomputes every link. Names the first event that was
 * altered, removed, inserted or reordered.
 *
 * @example
 * const v = await verifyAuditChain(store);
 * if (!v.ok) console.error(`broken at ${v.broken.seq}: ${v.broken.reason}`);
 */
export async function verifyAuditChain(store: Store): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const batch of store.audit.scan(1000)) {
    for (const e of batch) {
      const fail = (reason: string): ChainVerification => ({
        ok: false,
        count,
        headHash: prev,
        broken: { seq: e.seq, reason },
      });
      if (e.seq !== expectedSeq) {
        return {
          ok: false,
          count,
          headHash: prev,
          broken: {
            seq: expectedSeq,
            reason: `event ${expectedSeq} is missing (next found: ${e.seq})`,
          },
        };
      }
      if (e.prevHash !== prev)
        return fail(
          `event ${e.seq} does not link to event ${e.seq - 1} (removed, inserted or reordered)`,
        );
      const { hash: _h, prevHash: _p, ...fields } = e;
      if (auditHash(prev, fields) !== e.hash)
        return fail(`event ${e.seq} was altered after it was written`);
      prev = e.hash;
      expectedSeq += 1;
      count += 1;
    }
  }
  return { ok: true, count, headHash: prev, broken: null };
}

/** Lists audit events, newest first (auditors and administrators); reading the trail is audited too. */
export async function listAuditEvents(
  deps: ServiceDeps,
  actor: Actor | undefined,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  await authorize(deps, actor, 'audit', 'read');
  const result = await deps.store.audit.list(filter, page);
  await deps.store.audit.append(
    {
      actor: actor!.id,
      action: 'audit.read',
      recordType: 'audit',
      recordId: '*',
      detail: { filter: { ...filter } },
    },
    deps.now(),
  );
  return result;
}

/** Verifies the chain for an administrator. */
export async function verifyAuditForActor(
  deps: ServiceDeps,
  actor: Actor | undefined,
): Promise<ChainVerification> {
  await authorize(deps, actor, 'audit', 'read');
  return verifyAuditChain(deps.store);
}
