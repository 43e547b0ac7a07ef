import { bboxOfGeometry } from '../geo/index.js';
import type { ProtectedObject } from '../domain/protected-object/register.js';
import { encodeReleasability } from './marking-sql.js';
import type { ObjectRow, ObjectRowBatch } from './ports.js';

/** Latin letters with a stroke or ligatures, which have no decomposition to drop an accent from. */
const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};
const UNDECOMPOSED_RE = new RegExp(`[${Object.keys(UNDECOMPOSED).join('')}]`, 'g');

/**
 * The words of an object's names as the name search indexes them (`search_text`): lower case,
 * accents removed (in every script: `Київ` gives `киів`, `Łódź` gives `lodz`), and every run of
 * characters that are neither letters nor digits made one space (`Kirche St.-Florin` gives
 * `kirche st florin`).
 * A query is normalised the same way; both databases then index exactly these words.
 *
 * @example
 * searchText('Primärschule', 'Ebenholz'); // 'primarschule ebenholz'
 */
export function searchText(...parts: (string | null | undefined)[]): string {
  const text = parts.filter(Boolean).join(' ');
  // ASCII is its own NFKD form and has no combining marks: skip the Unicode work.
  if (/^\p{ASCII}*$/u.test(text)) {
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c]!)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Every column of `protected_object`, in the order an {@link ObjectRowBatch} holds them and the
 * adapters bind them.
 */
export const OBJECT_ROW_COLUMNS = [
  'id',
  'source',
  'source_ref',
  'name',
  'name_latin',
  'search_text',
  'category',
  'protection',
  'buffer_m',
  'mgrs',
  'topics',
  'list_kind',
  'restriction',
  'classification',
  'releasability',
  'geom',
  'min_lon',
  'min_lat',
  'max_lon',
  'max_lat',
  'lon',
  'lat',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const satisfies readonly (keyof ObjectRow)[];

/** Values per row of an {@link ObjectRowBatch}. */
export const OBJECT_ROW_WIDTH = OBJECT_ROW_COLUMNS.length;

/** Where each column is in a row of an {@link ObjectRowBatch}. */
export const OBJECT_ROW_AT = Object.freeze(
  Object.fromEntries(OBJECT_ROW_COLUMNS.map((c, i) => [c, i])) as Record<keyof ObjectRow, number>,
);

/** GeoJSON text of a geometry; a point's without the generic walk (what JSON.stringify gives). */
function geometryText(g: ProtectedObject['geometry']): string {
  if (g.type === 'Point' && g.coordinates.length === 2) {
    const [lon, lat] = g.coordinates;
    if (Number.isFinite(lon) && Number.isFinite(lat)) {
      return `{"type":"Point","coordinates":[${lon},${lat}]}`;
    }
  }
  return JSON.stringify(g);
}

/**
 * Appends the row of an object to a batch's values, in {@link OBJECT_ROW_COLUMNS} order, geometry
 * as GeoJSON text (each dialect turns it into its own type). The one place a row is made: a
 * large import makes millions, so no object per row on the way.
 */
export function pushObjectRow(values: unknown[], o: ProtectedObject): void {
  const g = o.geometry;
  let minLon: number;
  let minLat: number;
  let maxLon: number;
  let maxLat: number;
  if (g.type === 'Point') {
    // A point is its own box (most of a large import): skip the generic walk.
    minLon = maxLon = g.coordinates[0]!;
    minLat = maxLat = g.coordinates[1]!;
  } else {
    [minLon, minLat, maxLon, maxLat] = bboxOfGeometry(g);
  }
  values.push(
    o.id,
    o.source,
    o.sourceRef,
    o.name,
    o.nameLatin,
    searchText(o.name, o.nameLatin),
    o.category,
    o.protection,
    o.bufferMetres,
    o.mgrs,
    JSON.stringify(o.topics),
    o.list,
    o.restriction,
    o.marking.classification,
    encodeReleasability(o.marking.releasability),
    geometryText(o.geometry),
    minLon,
    minLat,
    maxLon,
    maxLat,
    o.centroid[0],
    o.centroid[1],
    o.version,
    o.createdAt,
    o.createdBy,
    o.updatedAt,
    o.updatedBy,
  );
}

/** The row of an object (see {@link pushObjectRow}). */
export function objectRow(o: ProtectedObject): ObjectRow {
  const values: unknown[] = [];
  pushObjectRow(values, o);
  return objectRowAt({ count: 1, values }, 0);
}

/** Row `i` of a batch as an {@link ObjectRow}. */
export function objectRowAt(batch: ObjectRowBatch, i: number): ObjectRow {
  const at = i * OBJECT_ROW_WIDTH;
  const row: Record<string, unknown> = {};
  OBJECT_ROW_COLUMNS.forEach((column, c) => {
    row[column] = batch.values[at + c];
  });
  return row as unknown as ObjectRow;
}
