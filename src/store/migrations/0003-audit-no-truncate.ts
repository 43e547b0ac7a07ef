import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../ports.js';

/**
 * Refuses TRUNCATE of the audit trail on PostgreSQL. The row triggers of 0002 do not fire on
 * TRUNCATE, which emptied the trail in one statement and left `audit verify` reporting an intact
 * chain of 0 events. SQLite has no TRUNCATE: its DELETE without WHERE fires the row trigger.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION civitas_audit_append_only()`.execute(db);
}
