import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../ports.js';

/**
 * PostgreSQL: drops the GiST index on each object's centroid as a geography. No query uses it
 * (`near` takes candidates from the geometry index and decides by great-circle distance in
 * code, the same on both databases), and keeping it up to date cost about a quarter of every
 * insert and update.
 *
 * SQLite: re-importing a million unchanged objects rewrote a million R*Tree entries, as the
 * update trigger fired whenever the box columns were set, changed or not. It now fires only
 * when the box really changes. (Bulk inserts fill the R*Tree once instead of through the insert
 * trigger: see store/sqlite/object-rows.ts.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  if (kind === 'postgres') {
    await sql`DROP INDEX protected_object_geog_gist`.execute(db);
    return;
  }
  await sql`DROP TRIGGER protected_object_rtree_update`.execute(db);
  await sql`CREATE TRIGGER protected_object_rtree_update AFTER UPDATE OF min_lon, min_lat, max_lon, max_lat ON protected_object
    WHEN old.min_lon IS NOT new.min_lon OR old.max_lon IS NOT new.max_lon OR old.min_lat IS NOT new.min_lat OR old.max_lat IS NOT new.max_lat BEGIN
    UPDATE protected_object_rtree SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat, max_lat = new.max_lat WHERE id = new.rowid; END`.execute(
    db,
  );
}
