import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../ports.js';
import type { SpatialTable } from '../schema/database.js';

/**
 * The platform tables: areas of operations, regions, places, own units and the audit trail.
 * Releasability is stored as `,EU,UN,` so every database can filter it with LIKE.
 * One migration for both databases; the only differences are the geometry column type, its index
 * (R*Tree on SQLite, GiST on PostgreSQL), booleans and the audit sequence.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  const pg = kind === 'postgres';
  const geometry = pg ? sql`geometry(Geometry, 4326)` : sql`text`;

  await db.schema
    .createTable('area')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('exercise', pg ? 'boolean' : 'integer', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('geom', geometry, (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  const child = (table: Exclude<SpatialTable, 'area'>) =>
    db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('area_id', 'text', (c) => c.notNull().references('area.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull());

  await child('region')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('geom', geometry, (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .execute();

  await child('place')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('admin_code', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('geom', geometry, (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .execute();

  await child('unit')
    .addColumn('sidc', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('geom', geometry, (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .execute();

  for (const table of ['region', 'place', 'unit'] as const) {
    await db.schema.createIndex(`${table}_area_idx`).on(table).column('area_id').execute();
  }

  for (const table of ['area', 'region', 'place', 'unit'] as const) {
    if (pg) {
      await sql`CREATE INDEX ${sql.id(`${table}_geom_gist`)} ON ${sql.table(table)} USING GIST (geom)`.execute(
        db,
      );
    } else {
      // SQLite's built-in R*Tree indexes each row's box; triggers keep it in step with the table.
      const rtree = sql.table(`${table}_rtree`);
      const t = sql.table(table);
      await sql`CREATE VIRTUAL TABLE ${rtree} USING rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.id(`${table}_rtree_insert`)} AFTER INSERT ON ${t} BEGIN
        INSERT INTO ${rtree} VALUES (new.rowid, new.min_lon, new.max_lon, new.min_lat, new.max_lat); END`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.id(`${table}_rtree_update`)} AFTER UPDATE OF min_lon, min_lat, max_lon, max_lat ON ${t} BEGIN
        UPDATE ${rtree} SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat, max_lat = new.max_lat WHERE id = new.rowid; END`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.id(`${table}_rtree_delete`)} AFTER DELETE ON ${t} BEGIN
        DELETE FROM ${rtree} WHERE id = old.rowid; END`.execute(db);
    }
  }

  await db.schema
    .createTable('audit_event')
    // The sequence is assigned by the audit repository under a lock, because each event's hash
    // covers its sequence number and the previous event's hash.
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('before_digest', 'text')
    .addColumn('after_digest', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_event_record_idx')
    .on('audit_event')
    .columns(['record_type', 'record_id'])
    .execute();
}
