import { sql, type RawBuilder } from 'kysely';
import { visibleLevels, type Viewer } from '../domain/access/viewer.js';
import type { Releasability } from '../domain/taxonomy/index.js';

/**
 * Releasability is stored as `,EU,UN,` (or `,` for none): both SQLite and PostgreSQL can then
 * test membership with LIKE, inside the query, so lists and counts never include a record the
 * viewer may not see.
 */
export function encodeReleasability(list: readonly Releasability[]): string {
  return `,${[...list].sort().join(',')}${list.length > 0 ? ',' : ''}`;
}

/** The inverse of {@link encodeReleasability}. */
export function decodeReleasability(text: string): Releasability[] {
  return text.split(',').filter(Boolean) as Releasability[];
}

/**
 * The SQL condition for "this viewer may see this row": clearance, releasability and (when the
 * table has one) compartment. Mirrors `canSee` in domain/access/viewer.ts.
 *
 * @example
 * db.selectFrom('factor').where(visibleTo('factor', viewer, { compartment: true }))
 */
export function visibleTo(
  table: string,
  viewer: Viewer,
  options: { compartment: boolean },
): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const levels = visibleLevels(viewer);
  const parts: RawBuilder<unknown>[] = [sql`${col('classification')} IN (${sql.join(levels)})`];
  if (!viewer.organisations.includes('NATO')) {
    const audiences = [...viewer.organisations, 'PUBLIC'];
    parts.push(
      sql`(${sql.join(
        audiences.map((a) => sql`${col('releasability')} LIKE ${`%,${a},%`}`),
        sql` OR `,
      )})`,
    );
  }
  if (options.compartment) {
    parts.push(
      viewer.compartments.length > 0
        ? sql`(${col('compartment')} IS NULL OR ${col('compartment')} IN (${sql.join([...viewer.compartments])}))`
        : sql`${col('compartment')} IS NULL`,
    );
  }
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}
