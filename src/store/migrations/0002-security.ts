import { sql, type Kysely } from 'kysely';
import { permissionRows } from '../../domain/access/permission.js';
import type { StoreKind } from '../ports.js';

/**
 * The security core: accounts, sessions, API tokens, permissions as data, need-to-know grants,
 * human-environment factors (the first record type with compartments and encrypted text), and
 * append-only triggers on the audit trail.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  const pg = kind === 'postgres';
  const bool = pg ? 'boolean' : 'integer';

  await db.schema
    .createTable('role_permission')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permission_pk', ['role', 'record_type', 'action'])
    .execute();
  await db.insertInto('role_permission').values(permissionRows()).execute();

  await db.schema
    .createTable('user_account')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('clearance', 'text', (c) => c.notNull())
    .addColumn('organisations', 'text', (c) => c.notNull())
    .addColumn('full_name_enc', 'text', (c) => c.notNull())
    .addColumn('contact_enc', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', bool, (c) => c.notNull())
    .addColumn('demo', bool, (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('compartment_grant')
    .addColumn('user_id', 'text', (c) =>
      c.notNull().references('user_account.id').onDelete('cascade'),
    )
    .addColumn('compartment', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compartment_grant_pk', ['user_id', 'compartment'])
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) =>
      c.notNull().references('user_account.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) =>
      c.notNull().references('user_account.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('api_token_user_idx').on('api_token').column('user_id').execute();

  await db.schema
    .createTable('factor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('area.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.references('region.id').onDelete('set null'))
    .addColumn('pmesii', 'text', (c) => c.notNull())
    .addColumn('ascope', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details_enc', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('compartment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('factor_area_idx').on('factor').column('area_id').execute();

  // The audit trail is append-only for the application: rewriting history needs someone to
  // drop these triggers first, and the hash chain then shows the edit.
  if (pg) {
    await sql`CREATE OR REPLACE FUNCTION civitas_audit_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION civitas_audit_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
      BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
      BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
  }
}
