import { sql, type Kysely } from 'kysely';
import { grantRows, REGISTER_PERMISSIONS } from '../../domain/access/permission.js';
import type { StoreKind } from '../ports.js';

/**
 * The protected-objects register and its versioned no-strike (NSL) and restricted-target (RTL)
 * list releases. A release's items are a frozen copy of the objects on the lists when the draft
 * was made, so any release can be exported or compared later whatever the register became.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  const pg = kind === 'postgres';
  const geometry = pg ? sql`geometry(Geometry, 4326)` : sql`text`;

  await db.insertInto('role_permission').values(grantRows(REGISTER_PERMISSIONS)).execute();

  await db.schema
    .createTable('protected_object')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_latin', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('protection', 'text', (c) => c.notNull())
    .addColumn('buffer_m', 'double precision', (c) => c.notNull())
    .addColumn('mgrs', 'text')
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('list_kind', 'text')
    .addColumn('restriction', 'text')
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('geom', geometry, (c) => c.notNull())
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('protected_object_source_uq', ['source', 'source_ref'])
    .execute();
  await db.schema
    .createIndex('protected_object_category_idx')
    .on('protected_object')
    .column('category')
    .execute();
  await db.schema
    .createIndex('protected_object_list_idx')
    .on('protected_object')
    .column('list_kind')
    .execute();
  if (pg) {
    await sql`CREATE INDEX protected_object_geom_gist ON protected_object USING GIST (geom)`.execute(
      db,
    );
    await sql`CREATE INDEX protected_object_geog_gist ON protected_object USING GIST ((ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography))`.execute(
      db,
    );
  } else {
    await sql`CREATE VIRTUAL TABLE protected_object_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(
      db,
    );
    await sql`CREATE TRIGGER protected_object_rtree_insert AFTER INSERT ON protected_object BEGIN
      INSERT INTO protected_object_rtree VALUES (new.rowid, new.min_lon, new.max_lon, new.min_lat, new.max_lat); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER protected_object_rtree_update AFTER UPDATE OF min_lon, min_lat, max_lon, max_lat ON protected_object BEGIN
      UPDATE protected_object_rtree SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat, max_lat = new.max_lat WHERE id = new.rowid; END`.execute(
      db,
    );
    await sql`CREATE TRIGGER protected_object_rtree_delete AFTER DELETE ON protected_object BEGIN
      DELETE FROM protected_object_rtree WHERE id = old.rowid; END`.execute(db);
  }

  await db.schema
    .createTable('list_release')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('approver', 'text')
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('object_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('released_at', 'text')
    .addUniqueConstraint('list_release_number_uq', ['number'])
    .execute();

  await db.schema
    .createTable('list_release_item')
    .addColumn('release_id', 'text', (c) =>
      c.notNull().references('list_release.id').onDelete('cascade'),
    )
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_release_item_pk', ['release_id', 'object_id'])
    .execute();
}
