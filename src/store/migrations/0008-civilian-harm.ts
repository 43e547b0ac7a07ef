import type { CreateTableBuilder, Kysely } from 'kysely';
import { grantRows, HARM_PERMISSIONS } from '../../domain/access/permission.js';
import type { StoreKind } from '../ports.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type Builder = CreateTableBuilder<any, any>;

/** Location, date, cause, figures and marking: the columns reports and incidents share. */
function eventColumns(table: Builder): Builder {
  return table
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('location_precision', 'text', (c) => c.notNull())
    .addColumn('admin_code', 'text')
    .addColumn('admin_name', 'text')
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('date_start', 'text', (c) => c.notNull())
    .addColumn('date_end', 'text', (c) => c.notNull())
    .addColumn('date_precision', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('killed_low', 'integer', (c) => c.notNull())
    .addColumn('killed_best', 'integer', (c) => c.notNull())
    .addColumn('killed_high', 'integer', (c) => c.notNull())
    .addColumn('injured_low', 'integer', (c) => c.notNull())
    .addColumn('injured_best', 'integer', (c) => c.notNull())
    .addColumn('injured_high', 'integer', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull());
}

/**
 * Civilian harm tracking: reports, the incidents they are correlated into, candidate pairs for
 * correlation, responses and casualty records, and the permissions for them. Reporter contact,
 * the confidential narrative, casualty names and payment recipients are encrypted columns
 * (`*_enc`). The same tables on SQLite and PostgreSQL; points are plain lon/lat columns,
 * because correlation works on a time-sorted sweep in code, not a spatial index.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, _kind: StoreKind): Promise<void> {
  await db.insertInto('role_permission').values(grantRows(HARM_PERMISSIONS)).execute();

  await eventColumns(
    db.schema
      .createTable('harm_incident')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('grade', 'text')
      .addColumn('attribution', 'text')
      .addColumn('assessment', 'text'),
  ).execute();
  await db.schema
    .createIndex('harm_incident_date_idx')
    .on('harm_incident')
    .columns(['date_start'])
    .execute();
  await db.schema
    .createIndex('harm_incident_admin_idx')
    .on('harm_incident')
    .columns(['admin_code'])
    .execute();

  await eventColumns(
    db.schema
      .createTable('harm_report')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('harm_incident.id'))
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('reliability', 'text', (c) => c.notNull())
      .addColumn('source_name', 'text', (c) => c.notNull())
      .addColumn('source_ref', 'text')
      .addColumn('sources', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('reporter_contact_enc', 'text', (c) => c.notNull())
      .addColumn('narrative_enc', 'text', (c) => c.notNull())
      .addColumn('narrative_releasable', 'text', (c) => c.notNull())
      .addColumn('killed_breakdown', 'text', (c) => c.notNull())
      .addColumn('injured_breakdown', 'text', (c) => c.notNull())
      .addColumn('suspected_party', 'text', (c) => c.notNull())
      .addColumn('warnings', 'text', (c) => c.notNull())
      .addUniqueConstraint('harm_report_source_uq', ['source_name', 'source_ref']),
  ).execute();
  await db.schema
    .createIndex('harm_report_incident_idx')
    .on('harm_report')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('harm_candidate')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_a', 'text', (c) => c.notNull().references('harm_report.id'))
    .addColumn('report_b', 'text', (c) => c.notNull().references('harm_report.id'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('distance_km', 'double precision', (c) => c.notNull())
    .addColumn('day_gap', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addUniqueConstraint('harm_candidate_pair_uq', ['report_a', 'report_b'])
    .execute();

  await db.schema
    .createTable('harm_response')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('harm_incident.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('amount', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('recipient_ref_enc', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('harm_casualty')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('harm_incident.id'))
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_years', 'integer')
    .addColumn('age_group', 'text', (c) => c.notNull())
    .addColumn('civilian_status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('date', 'text')
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  for (const table of ['harm_response', 'harm_casualty']) {
    await db.schema.createIndex(`${table}_incident_idx`).on(table).column('incident_id').execute();
  }
}
