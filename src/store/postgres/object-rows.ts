import { sql, type Kysely, type RawBuilder } from 'kysely';
import { objectRowOf } from '../object-row.js';
import type { ObjectRow, ObjectRowWriter } from '../ports.js';
import type { Database } from '../schema/database.js';

/** Every column with its SQL type, as `json_to_recordset` reads a batch of rows. */
const COLUMN_TYPES: Readonly<Record<keyof ObjectRow, string>> = {
  id: 'text',
  source: 'text',
  source_ref: 'text',
  name: 'text',
  name_latin: 'text',
  search_text: 'text',
  category: 'text',
  protection: 'text',
  buffer_m: 'double precision',
  mgrs: 'text',
  topics: 'text',
  list_kind: 'text',
  restriction: 'text',
  classification: 'text',
  releasability: 'text',
  geom: 'text',
  min_lon: 'double precision',
  min_lat: 'double precision',
  max_lon: 'double precision',
  max_lat: 'double precision',
  lon: 'double precision',
  lat: 'double precision',
  version: 'integer',
  created_at: 'text',
  created_by: 'text',
  updated_at: 'text',
  updated_by: 'text',
};
const COLUMNS = Object.keys(COLUMN_TYPES) as (keyof ObjectRow)[];
const UPDATED = COLUMNS.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'created_by');

const RECORD = sql.raw(`r(${COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')})`);
/** A column of the batch as the table takes it: GeoJSON text becomes a PostGIS geometry. */
const value = (c: keyof ObjectRow) =>
  c === 'geom' ? `ST_SetSRID(ST_GeomFromGeoJSON(r.geom), 4326)` : `r.${c}`;
const INSERT_COLUMNS = sql.raw(COLUMNS.join(', '));
const INSERT_VALUES = sql.raw(COLUMNS.map(value).join(', '));
const UPDATE_SET = sql.raw(UPDATED.map((c) => `${c} = ${value(c)}`).join(', '));

/** Rows written in one bulk write from which `finish` refreshes the table's statistics. */
const ANALYZE_AFTER_ROWS = 10_000;

/**
 * Bulk writes of protected objects on PostgreSQL: one statement per batch, its rows sent as one
 * JSON parameter and unpacked by `json_to_recordset` (numbers travel as their shortest
 * round-trip text, so every double arrives unchanged). One statement is in flight while the
 * caller prepares the next batch, so the server and Node.js work at the same time; an error
 * surfaces at the next call or at `finish`.
 *
 * @example
 * const writer = postgresObjectRows(trx);
 * await writer.insert(rows);
 * await writer.finish();
 */
export function postgresObjectRows(db: Kysely<Database>): ObjectRowWriter {
  if (!db.isTransaction) {
    throw new Error(
      'Bulk writes of protected objects need a transaction: call objects.bulkWrite inside store.transaction.',
    );
  }
  let pending: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  let finished = false;
  let written = 0;

  const submit = async (query: RawBuilder<unknown>) => {
    if (finished) throw new Error('This bulk writer has finished: start another bulkWrite.');
    await pending;
    if (failure) throw failure.error;
    pending = query.execute(db).then(
      () => undefined,
      (error: unknown) => {
        failure = { error };
      },
    );
  };

  const insert = async (rows: readonly ObjectRow[]) => {
    if (rows.length === 0) return;
    written += rows.length;
    await submit(
      sql`INSERT INTO protected_object (${INSERT_COLUMNS}) SELECT ${INSERT_VALUES} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS ${RECORD}`,
    );
  };

  return {
    insert,

    // The batch goes out as the same JSON rows: json_to_recordset reads rows by column name.
    insertRows: (batch) => insert(batch.rows.map(objectRowOf)),

    async update(rows) {
      if (rows.length === 0) return;
      written += rows.length;
      await submit(
        sql`UPDATE protected_object SET ${UPDATE_SET} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS ${RECORD} WHERE protected_object.id = r.id`,
      );
    },

    async finish() {
      if (finished) return;
      finished = true;
      await pending;
      if (failure) throw failure.error;
      // Fresh statistics, or the planner goes on believing the table is as small as before the
      // import: the next re-import's look-ups by (source, source_ref) then scan every row of the
      // source (minutes for a million rows) until autovacuum happens to analyze it.
      if (written >= ANALYZE_AFTER_ROWS) await sql`ANALYZE protected_object`.execute(db);
    },
  };
}
