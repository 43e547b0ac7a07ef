import { sql, type Kysely } from 'kysely';
import { CivitasError } from '../domain/shared/civitas-error.js';
import type { Store } from './ports.js';
import type { Database } from './schema/database.js';

/**
 * Tables in the order a copy must write them (parents before children). Sessions are not copied:
 * a restored database starts with everyone signed out.
 */
export const COPIED_TABLES = [
  'role_permission',
  'area',
  'region',
  'place',
  'unit',
  'user_account',
  'compartment_grant',
  'api_token',
  'factor',
  'protected_object',
  'list_release',
  'list_release_item',
  'audit_event',
] as const;
type CopiedTable = (typeof COPIED_TABLES)[number];

const SPATIAL: ReadonlySet<CopiedTable> = new Set([
  'area',
  'region',
  'place',
  'unit',
  'protected_object',
]);
const BOOLEAN_COLUMNS: Record<string, readonly string[]> = {
  area: ['exercise'],
  user_account: ['disabled', 'demo'],
};
const ORDER: Partial<Record<CopiedTable, string>> = { audit_event: 'seq' };
/**
 * Decimals for PostGIS geometry copied out as GeoJSON. The default (9) rounds coordinates, so a
 * restored PostgreSQL database would not match its source; PostGIS 3 writes the shortest text that
 * reads back as the same double, within this many decimals.
 */
const GEOJSON_DECIMALS = 30;

/** Per-table row counts, to compare a copy with its source. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of COPIED_TABLES) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** True when the store holds no records (a freshly migrated database). */
export async function isEmptyStore(store: Store): Promise<boolean> {
  const counts = await tableCounts(store);
  return Object.entries(counts).every(([table, n]) => table === 'role_permission' || n === 0);
}

async function readRows(store: Store, table: CopiedTable): Promise<Record<string, unknown>[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the copy is generic over every table
  const db = store.db as unknown as Kysely<any>;
  let query = db.selectFrom(table).selectAll();
  if (SPATIAL.has(table) && store.kind === 'postgres') {
    query = query.select(sql<string>`ST_AsGeoJSON(geom, ${sql.lit(GEOJSON_DECIMALS)})`.as('geom'));
  }
  const order = ORDER[table];
  query = order ? query.orderBy(order) : query.orderBy(sql`1`);
  return (await query.execute()) as Record<string, unknown>[];
}

function convert(
  row: Record<string, unknown>,
  table: CopiedTable,
  target: Store,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const column of BOOLEAN_COLUMNS[table] ?? []) out[column] = out[column] ? 1 : 0;
  if (table === 'audit_event') out.seq = Number(out.seq);
  if (SPATIAL.has(table) && target.kind === 'postgres') {
    out.geom = sql`ST_SetSRID(ST_GeomFromGeoJSON(${String(out.geom)}), 4326)`;
  }
  return out;
}

/**
 * Copies every record from one store to another, table by table in one target transaction, so
 * SQLite and PostgreSQL can be backed up into and restored from the same portable file. The
 * target must be empty; encrypted fields are copied as ciphertext (the same keys open them).
 *
 * @example
 * await copyStore(source, target, (table, n) => console.log(table, n));
 */
export async function copyStore(
  source: Store,
  target: Store,
  onTable: (table: string, rows: number) => void = () => undefined,
): Promise<Record<string, number>> {
  if (!(await isEmptyStore(target))) {
    throw new CivitasError(
      'conflict',
      'The target database is not empty: restore only into a new or empty database.',
    );
  }
  const copied: Record<string, number> = {};
  const work = async (from: Store) =>
    target.transaction(async (tx) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generic over tables
      const db = tx.db as unknown as Kysely<any>;
      for (const table of COPIED_TABLES) {
        const rows = await readRows(from, table);
        if (table === 'role_permission') await db.deleteFrom('role_permission').execute();
        for (let i = 0; i < rows.length; i += 200) {
          await db
            .insertInto(table)
            .values(rows.slice(i, i + 200).map((r) => convert(r, table, tx)))
            .execute();
        }
        copied[table] = rows.length;
        onTable(table, rows.length);
      }
    });
  // A PostgreSQL source is read inside one repeatable-read transaction: a consistent snapshot.
  if (source.kind === 'postgres') {
    await source.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await work({ ...source, db: trx as Kysely<Database> });
      });
  } else {
    await work(source);
  }
  return copied;
}
