import type { Readable } from 'node:stream';
import {
  buildImportResults,
  contentErrorResult,
  FILE_FIELD,
  ImportResult,
  pathFieldName,
  withUniqueSourceIds,
  type ImportOptions,
  type RawObject,
} from './import-result.js';
import { JsonArrayStreamer } from './json-stream.js';
import { osmObjectFields, type OsmTags } from './osm-tag-mapping.js';
import { decodeText } from './text-stream.js';

/**
 * Options of {@link readGeoJson}.
 *
 * @example
 * const options: GeoJsonReaderOptions = { source: 'unesco-sites', maxFeatureBytes: 8e6 };
 */
export interface GeoJsonReaderOptions extends ImportOptions {
  /** Largest single feature, in characters. Default 64 Mi. */
  readonly maxFeatureBytes?: number;
}

/** How the properties of a feature are named, for error messages. */
export interface FeatureFieldNames {
  readonly prefix: string;
  readonly geometry: string;
}

const GEOJSON_NAMES: FeatureFieldNames = { prefix: 'properties.', geometry: 'geometry' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps only `type` and `coordinates` (dropping `bbox` and foreign members) of a geometry. */
export function plainGeometry(geometry: unknown): unknown {
  if (!isObject(geometry) || !('coordinates' in geometry)) return geometry;
  return { type: geometry.type, coordinates: geometry.coordinates };
}

function osmTagsOf(properties: Record<string, unknown>): OsmTags {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!key.startsWith('@') && typeof value === 'string') tags[key] = value;
  }
  return tags;
}

/**
 * Turns one GeoJSON Feature into import results. Properties read: `id` or `source_id` (else the
 * feature's own `id`), `name`, `name_latin`, `category`, `protection`, `buffer_m`, `topics`,
 * `list`, `restriction`; other properties are ignored. A feature without `category` that
 * carries OSM tags with `@type` and `@id` (as `osmium export` writes them) is mapped by the
 * OSM tag table, with source id `osm:<type>/<id>`; one that matches no row is skipped (no
 * results). Shared with the NDJSON and KML readers.
 *
 * @example
 * importFeature({ type: 'Feature', geometry: …, properties: { id: 'h1', name: 'Clinic', category: 'medical' } },
 *   0, 3, {}, 'geojson'); // [{ kind: 'ok', … }]
 */
export function importFeature(
  feature: unknown,
  index: number,
  line: number | undefined,
  options: ImportOptions,
  defaultSource: string,
  names: FeatureFieldNames = GEOJSON_NAMES,
): ImportResult[] {
  if (!isObject(feature) || feature.type !== 'Feature') {
    const type = isObject(feature) ? JSON.stringify(feature.type) : typeof feature;
    return [ImportResult.error(index, 'type', `is not a GeoJSON Feature (type ${type})`, line)];
  }
  const properties = feature.properties ?? {};
  if (!isObject(properties)) {
    return [ImportResult.error(index, 'properties', 'properties must be an object or null', line)];
  }
  const geometry = plainGeometry(feature.geometry);
  const p = names.prefix;
  const fieldName = pathFieldName({
    sourceId: `${p}id`,
    name: `${p}name`,
    nameLatin: `${p}name_latin`,
    category: `${p}category`,
    protection: `${p}protection`,
    bufferMetres: `${p}buffer_m`,
    topics: `${p}topics`,
    list: `${p}list`,
    restriction: `${p}restriction`,
    geometry: names.geometry,
  });
  const context = { index, fieldName, defaultSource, ...(line === undefined ? {} : { line }) };

  const osmType = properties['@type'];
  const osmId = properties['@id'];
  if (
    properties.category === undefined &&
    (osmType === 'node' || osmType === 'way' || osmType === 'relation') &&
    (typeof osmId === 'number' || typeof osmId === 'string')
  ) {
    const sourceId = `osm:${osmType}/${osmId}`;
    const fields = osmObjectFields(osmTagsOf(properties), sourceId);
    if (fields === undefined) return [];
    const raw: RawObject = { sourceId, ...fields, geometry };
    return buildImportResults(raw, context, { ...options, source: options.source ?? 'osm' });
  }

  const raw: RawObject = {
    sourceId: properties.source_id ?? properties.id ?? feature.id,
    name: properties.name,
    nameLatin: properties.name_latin,
    category: properties.category,
    protection: properties.protection,
    bufferMetres: properties.buffer_m,
    topics: properties.topics,
    list: properties.list,
    restriction: properties.restriction,
    geometry,
  };
  return buildImportResults(raw, context, options);
}

async function* readFeatures(
  input: Readable,
  options: GeoJsonReaderOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  const streamer = new JsonArrayStreamer({
    streamKey: 'features',
    maxDepth: 64,
    ...(options.maxFeatureBytes === undefined ? {} : { maxElementChars: options.maxFeatureBytes }),
  });
  let root: unknown;
  try {
    for await (const text of decodeText(input)) {
      for (const element of streamer.write(text)) {
        yield* importFeature(element.value, element.index, element.line, options, 'geojson');
      }
    }
    root = streamer.end();
  } catch (error) {
    const result = contentErrorResult(error, streamer.count);
    if (result === undefined) throw error;
    yield result;
    return;
  }
  if (!isObject(root)) {
    yield ImportResult.error(
      0,
      FILE_FIELD,
      'is not a GeoJSON object: expected a FeatureCollection',
    );
    return;
  }
  if (root.type === 'Feature') {
    yield* importFeature(root, 0, 1, options, 'geojson');
    return;
  }
  if (root.type !== 'FeatureCollection') {
    yield ImportResult.error(
      streamer.count,
      FILE_FIELD,
      `is a GeoJSON ${JSON.stringify(root.type)}, not a FeatureCollection: wrap geometries in features`,
    );
    return;
  }
  if (!Array.isArray(root.features)) {
    yield ImportResult.error(0, FILE_FIELD, 'the FeatureCollection has no "features" array');
  }
}

/**
 * Reads a GeoJSON FeatureCollection (RFC 7946) feature by feature, streaming: one feature is in
 * memory at a time, so files far larger than memory import. A single Feature is accepted too.
 * Yields one result per feature (`index` is its position in `features`, `line` the line it
 * starts on); features read as {@link importFeature} says. Broken JSON, a truncated file or a
 * document that is not a FeatureCollection ends with an error whose `field` is `file`. Throws
 * only when the stream itself fails.
 *
 * @example
 * for await (const result of readGeoJson(fs.createReadStream('sites.geojson'), { source: 'unesco' })) …
 */
export function readGeoJson(
  input: Readable,
  options: GeoJsonReaderOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readFeatures(input, options), 'properties.id');
}
