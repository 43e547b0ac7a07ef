import { sql } from 'kysely';
import type { DialectSql } from '../ports.js';
import { postgresObjectRows } from './object-rows.js';

/**
 * PostgreSQL keeps geometry in PostGIS `geometry(Geometry, 4326)` columns with GiST indexes; the
 * `&&` operator uses the index.
 */
/** An arbitrary but fixed advisory-lock key for the audit chain ("CIVAUDIT" in ASCII). */
const AUDIT_LOCK_KEY = 0x434956415544;

export const postgresDialectSql: DialectSql = {
  lockAuditChain: async (db) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(db);
  },
  geometryValue: (geometry) =>
    sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)`,
  geometryJson: (table) => sql<string>`ST_AsGeoJSON(${sql.ref(`${table}.geom`)})`,
  bboxCandidates: (table, [minLon, minLat, maxLon, maxLat]) =>
    sql<boolean>`${sql.ref(`${table}.geom`)} && ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`,
  // The words go in as tsquery text, not through a text-search configuration: each is a
  // lexeme as it is, quoted, with the prefix mark.
  nameWordsMatch: (words) =>
    sql<boolean>`array_to_tsvector(string_to_array(protected_object.search_text, ' ')) @@ ${words
      .map((w) => `'${w.replace(/'/g, "''")}':*`)
      .join(' & ')}::tsquery`,
  objectRows: postgresObjectRows,
};
