import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * A digest of a record for the audit trail's before/after columns: SHA-256 of its RFC 8785
 * canonical JSON. Callers pass the record without its sensitive fields (names, contact details,
 * confidential accounts), so a digest can never be used to test a guess at them.
 *
 * @example
 * recordDigest({ id, title, marking }); // '9f2c…'
 */
export function recordDigest(record: unknown): string {
  return createHash('sha256')
    .update(canonicalize(record) ?? 'null')
    .digest('hex');
}
