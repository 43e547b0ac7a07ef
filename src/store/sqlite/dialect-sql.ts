import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { DialectSql } from '../ports.js';
import { sqliteObjectRows } from './object-rows.js';

/**
 * SQLite keeps geometry as GeoJSON text and indexes each row's box in a `<table>_rtree` R*Tree
 * (kept in step by triggers, see migrations/0001-platform.ts). Bulk writes use the raw
 * better-sqlite3 connection the store was opened with.
 *
 * @example
 * const dialect = sqliteDialectSql(new SQLite('civitas.db'));
 */
export function sqliteDialectSql(raw: SQLite.Database): DialectSql {
  return {
    // SQLite has one writer at a time: a transaction that appends holds the write lock already.
    lockAuditChain: async () => undefined,
    geometryValue: (geometry) => JSON.stringify(geometry),
    geometryJson: (table) => sql<string>`${sql.ref(`${table}.geom`)}`,
    bboxCandidates: (table, [minLon, minLat, maxLon, maxLat]) =>
      sql<boolean>`${sql.ref(`${table}.rowid`)} IN (SELECT id FROM ${sql.table(`${table}_rtree`)} WHERE max_lon >= ${minLon} AND min_lon <= ${maxLon} AND max_lat >= ${minLat} AND min_lat <= ${maxLat})`,
    // Each word a quoted prefix term; FTS5 ANDs terms by default.
    nameWordsMatch: (words) =>
      sql<boolean>`protected_object.rowid IN (SELECT rowid FROM protected_object_fts WHERE protected_object_fts MATCH ${words
        .map((w) => `"${w.replace(/"/g, '""')}"*`)
        .join(' ')})`,
    objectRows: (db) => sqliteObjectRows(raw, db),
  };
}
