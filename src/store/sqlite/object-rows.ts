import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { OBJECT_ROW_AT as AT, OBJECT_ROW_COLUMNS } from '../object-row.js';
import type { ObjectRowWriter } from '../ports.js';
import type { Database } from '../schema/database.js';
import { loadRtree, RtreeEntryList } from './rtree-load.js';
import { sharedValuesInsert } from './shared-values.js';

/** The columns in the order the statements below bind them. */
const COLUMNS = OBJECT_ROW_COLUMNS;

/**
 * The row triggers a bulk write drops, each with the statement that indexes, all at once in
 * `finish`, the rows inserted after rowid `?`, and the one that indexes every row (when rowids
 * were not handed out in order).
 */
const RTREE_INSERT_TRIGGER = 'protected_object_rtree_insert';

/**
 * Rows inserted into an empty register by one bulk write from which `finish` loads the R*Tree
 * packed (rtree-load.ts) rather than inserting its entries one by one.
 */
export const LOAD_RTREE_AFTER = 10_000;

const DEFERRED_TRIGGERS = [
  {
    name: RTREE_INSERT_TRIGGER,
    fill: 'INSERT INTO protected_object_rtree SELECT rowid, min_lon, max_lon, min_lat, max_lat FROM protected_object WHERE rowid > ?',
    fillAll:
      'INSERT INTO protected_object_rtree SELECT p.rowid, p.min_lon, p.max_lon, p.min_lat, p.max_lat FROM protected_object p WHERE NOT EXISTS (SELECT 1 FROM protected_object_rtree r WHERE r.id = p.rowid)',
  },
  {
    name: 'protected_object_fts_insert',
    fill: 'INSERT INTO protected_object_fts (rowid, search_text) SELECT rowid, search_text FROM protected_object WHERE rowid > ?',
    fillAll: "INSERT INTO protected_object_fts (protected_object_fts) VALUES ('rebuild')",
  },
] as const;

/**
 * Columns whose value the rows of an import often share (its source, author and time, marking,
 * version, often its category and buffer): written into the statement, not bound, when every row of a batch has the same (shared-values.ts).
 */
const SHAREABLE = [
  'source',
  'name_latin',
  'category',
  'protection',
  'buffer_m',
  'topics',
  'list_kind',
  'restriction',
  'classification',
  'releasability',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const;

const UPDATED = COLUMNS.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'created_by');

/**
 * Page cache during a bulk write, in KiB (SQLite's default is 2 MiB). The table, its indexes and
 * the R*Tree of a million objects touch a few hundred MiB; with the default cache most inserts
 * into the primary-key and unique indexes and the R*Tree read and write pages again and again
 * (a million-row import took three times as long).
 */
export const BULK_CACHE_KIB = 128 * 1024;

/**
 * Rows inserted by one bulk write (and at least as many as the table held before) from which
 * the secondary indexes (not those of constraints) are dropped and built again in `finish`:
 * building sorts, which costs less than a B-tree insert per row.
 */
export const DEFER_INDEXES_AFTER = 20_000;

/**
 * Bulk writes of protected objects on SQLite: better-sqlite3 statements prepared once and run on
 * the connection Kysely's transaction holds (the driver has one connection and keeps it for the
 * whole transaction, so nothing else runs in between). The R*Tree and name-search (FTS5) insert
 * triggers are dropped for the duration and the entries of the inserted rows are added by one
 * `INSERT … SELECT` each in `finish`, which then re-creates the triggers — all inside the one
 * transaction.
 *
 * @example
 * const writer = sqliteObjectRows(raw, trx);
 * await writer.insert(rows);
 * await writer.finish();
 */
export function sqliteObjectRows(raw: SQLite.Database, db: Kysely<Database>): ObjectRowWriter {
  if (!db.isTransaction || !raw.inTransaction) {
    throw new Error(
      'Bulk writes of protected objects need a transaction: call objects.bulkWrite inside store.transaction.',
    );
  }
  // The R*Tree entry and the name-search entry of each inserted row are added in `finish`, by
  // one INSERT … SELECT each: from the row triggers they cost three to four times as much.
  // Dropping the triggers is part of this transaction, like everything else here: a rollback
  // brings them back, and `finish` re-creates them from their own text before the transaction
  // can commit.
  const triggerSql = raw
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
    .pluck();
  const deferredTriggers = DEFERRED_TRIGGERS.map((trigger) => {
    const text = triggerSql.get(trigger.name) as string | undefined;
    if (text === undefined) {
      throw new Error(
        `The trigger ${trigger.name} is missing: a bulk write of protected objects is already running in this transaction (finish it first), or the schema is damaged.`,
      );
    }
    return { ...trigger, sql: text };
  });
  const insert = sharedValuesInsert(raw, 'protected_object', COLUMNS, SHAREABLE);
  const update = raw.prepare(
    `UPDATE protected_object SET ${UPDATED.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
  );
  // Rowids are 64-bit: read and bind them as BigInt.
  const sinceRowid = raw
    .prepare('SELECT coalesce(max(rowid), 0) FROM protected_object')
    .pluck()
    .safeIntegers(true)
    .get() as bigint;
  for (const trigger of deferredTriggers) raw.exec(`DROP TRIGGER ${trigger.name}`);
  const cacheBefore = raw.pragma('cache_size', { simple: true }) as number;
  raw.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  // The write reads every page it builds indexes from: through the memory map those would all
  // stay resident in this process (a million objects: some 700 MB more at the peak).
  const mmapBefore = raw.pragma('mmap_size', { simple: true }) as number;
  raw.pragma('mmap_size = 0');
  let inserted = 0;
  let finished = false;
  /** The secondary indexes dropped for this write, with their SQL. */
  let deferred: { name: string; sql: string }[] | undefined;
  const open = () => {
    if (finished) throw new Error('This bulk writer has finished: start another bulkWrite.');
  };
  /** Once the write is large, drops the secondary indexes (in the transaction, like the trigger). */
  const deferIndexes = () => {
    if (deferred !== undefined || inserted < Math.max(DEFER_INDEXES_AFTER, Number(sinceRowid))) {
      return;
    }
    deferred = raw
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'protected_object' AND sql IS NOT NULL ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    for (const index of deferred) raw.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
  };

  /**
   * The boxes of the rows inserted, while the table was empty as the write began: the R*Tree is
   * then loaded from them in `finish` (rtree-load.ts), not filled row by row.
   */
  let entries: RtreeEntryList | undefined = sinceRowid === 0n ? new RtreeEntryList() : undefined;
  const insertRows = (rows: readonly (readonly unknown[])[]) => {
    insert(rows, (row, rowid) =>
      entries?.add(
        rowid,
        row[AT.min_lon] as number,
        row[AT.max_lon] as number,
        row[AT.min_lat] as number,
        row[AT.max_lat] as number,
      ),
    );
    inserted += rows.length;
    deferIndexes();
  };

  return {
    async insert(rows) {
      open();
      insertRows(rows.map((r) => COLUMNS.map((c) => r[c])));
    },

    async insertRows({ rows }) {
      open();
      insertRows(rows);
    },

    async update(rows) {
      open();
      // A row inserted by this write may be among them, with a new box: index from the table.
      if (rows.length > 0) entries = undefined;
      for (const r of rows) {
        update.run(
          r.source,
          r.source_ref,
          r.name,
          r.name_latin,
          r.search_text,
          r.category,
          r.protection,
          r.buffer_m,
          r.mgrs,
          r.topics,
          r.list_kind,
          r.restriction,
          r.classification,
          r.releasability,
          r.geom,
          r.min_lon,
          r.min_lat,
          r.max_lon,
          r.max_lat,
          r.lon,
          r.lat,
          r.version,
          r.updated_at,
          r.updated_by,
          r.id,
        );
      }
    },

    async finish() {
      if (finished) return;
      finished = true;
      try {
        // SQLite rolls a transaction back by itself after some errors (a full disk): then the
        // rows are gone, the trigger and indexes are back, and there is nothing to do.
        if (!raw.inTransaction) return;
        for (const index of deferred ?? []) raw.exec(index.sql);
        for (const trigger of deferredTriggers) {
          // Only when every row of the table is among the entries (nothing else wrote to it).
          if (
            trigger.name === RTREE_INSERT_TRIGGER &&
            entries !== undefined &&
            entries.count >= LOAD_RTREE_AFTER &&
            raw.prepare('SELECT count(*) FROM protected_object').pluck().get() === entries.count
          ) {
            loadRtree(raw, 'protected_object_rtree', entries);
            entries = undefined;
            raw.exec(trigger.sql);
            continue;
          }
          const filled = raw.prepare(trigger.fill).run(sinceRowid).changes;
          // Rowids were not handed out in order (the largest rowid was taken) or rows came and
          // went meanwhile: index whatever has no entry yet, whatever it costs.
          if (filled !== inserted) raw.prepare(trigger.fillAll).run();
          raw.exec(trigger.sql);
        }
      } finally {
        raw.pragma(`cache_size = ${cacheBefore}`);
        raw.pragma(`mmap_size = ${mmapBefore}`);
      }
    },
  };
}
