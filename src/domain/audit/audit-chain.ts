import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The fields of an audit event that its hash covers. */
export interface ChainedFields {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly recordType: string;
  readonly recordId: string;
  readonly detail: Record<string, unknown>;
  readonly beforeDigest: string | null;
  readonly afterDigest: string | null;
}

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one audit event: SHA-256 over the previous hash and the RFC 8785 canonical JSON of
 * the event's fields, so any edit, deletion, insertion or reordering breaks every later link.
 *
 * @example
 * auditHash(GENESIS_HASH, { seq: 1, at, actor, action, recordType, recordId, detail: {}, beforeDigest: null, afterDigest: null });
 */
export function auditHash(prevHash: string, event: ChainedFields): string {
  const body = canonicalize({
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    recordType: event.recordType,
    recordId: event.recordId,
    detail: event.detail,
    beforeDigest: event.beforeDigest,
    afterDigest: event.afterDigest,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}
