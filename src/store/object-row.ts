import { bboxOfGeometry } from '../geo/index.js';
import type { ProtectedObject } from '../domain/protected-object/register.js';
import { encodeReleasability } from './marking-sql.js';
import type { ObjectRow } from './ports.js';

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
// eslint-disable-next-line no-control-regex -- the test is for any character beyond ASCII
const NOT_ASCII = /[^\x00-\x7f]/;

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
  let text = '';
  for (const part of parts) if (part) text = text === '' ? part : `${text} ${part}`;
  // ASCII is its own NFKD form and has no combining marks: skip the Unicode work (most names
  // of a large import; a plain regular expression tests it several times faster than \p{ASCII}).
  if (!NOT_ASCII.test(text)) {
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
 * The row of an object as an array in {@link OBJECT_ROW_COLUMNS} order, geometry as GeoJSON text
 * (each dialect turns it into its own type). The one place a row is made: a large import makes
 * millions, so no object per row on the way. One small array per row, not one flat array per
 * batch: V8 stores into, and a worker's message rebuilds, many small arrays several times faster
 * than one large one (3–7 µs per row measured for 27 values into a batch's flat array).
 *
 * @example
 * batch.rows.push(objectRowValues(object));
 */
export function objectRowValues(o: ProtectedObject): unknown[] {
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
  return [
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
  ];
}

/** The row of an object (see {@link objectRowValues}). */
export function objectRow(o: ProtectedObject): ObjectRow {
  return objectRowOf(objectRowValues(o));
}

/** A row of an {@link ObjectRowBatch} as an {@link ObjectRow}. */
export function objectRowOf(values: readonly unknown[]): ObjectRow {
  const row: Record<string, unknown> = {};
  OBJECT_ROW_COLUMNS.forEach((column, c) => {
    row[column] = values[c];
  });
  return row as unknown as ObjectRow;
}
