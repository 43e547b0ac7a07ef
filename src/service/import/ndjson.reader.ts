import type { Readable } from 'node:stream';
import { importFeature, plainGeometry } from './geojson.reader.js';
import {
  buildImportResults,
  contentErrorResult,
  ImportResult,
  parseDecimal,
  pathFieldName,
  uniqueSourceIds,
  type ImportOptions,
  type RawObject,
} from './import-result.js';
import { decodeText, splitLineBatches } from './text-stream.js';

/**
 * Options of {@link readNdjson}.
 *
 * @example
 * const options: NdjsonReaderOptions = { source: 'field-survey', maxLineLength: 1_000_000 };
 */
export interface NdjsonReaderOptions extends ImportOptions {
  /** Longest line, in characters. Default 16 Mi. */
  readonly maxLineLength?: number;
}

const FLAT_NAMES = pathFieldName({
  sourceId: 'id',
  name: 'name',
  nameLatin: 'name_latin',
  category: 'category',
  protection: 'protection',
  bufferMetres: 'buffer_m',
  topics: 'topics',
  list: 'list',
  restriction: 'restriction',
  geometry: 'geometry',
});

/** Error names for a Point built from `lon`/`lat`: the coordinates are those two fields. */
function pointFieldName(field: keyof RawObject, path: readonly PropertyKey[]): string {
  if (field === 'geometry' && path[0] === 'coordinates') {
    if (path[1] === 0) return 'lon';
    if (path[1] === 1) return 'lat';
  }
  return FLAT_NAMES(field, path);
}

function importFlat(
  record: Record<string, unknown>,
  index: number,
  line: number,
  options: ImportOptions,
): ImportResult[] {
  const hasPoint = record.lon !== undefined || record.lat !== undefined;
  const errors: ImportResult[] = [];
  let geometry: unknown = plainGeometry(record.geometry);
  if (hasPoint) {
    const lon = parseDecimal(record.lon);
    const lat = parseDecimal(record.lat);
    if (lon === undefined) {
      errors.push(
        ImportResult.error(index, 'lon', `lon ${JSON.stringify(record.lon)} is not a number`, line),
      );
    }
    if (lat === undefined) {
      errors.push(
        ImportResult.error(index, 'lat', `lat ${JSON.stringify(record.lat)} is not a number`, line),
      );
    }
    if (lon === undefined || lat === undefined) return errors;
    geometry = { type: 'Point', coordinates: [lon, lat] };
  }
  const raw: RawObject = {
    sourceId: record.source_id ?? record.id,
    name: record.name,
    nameLatin: record.name_latin,
    category: record.category,
    protection: record.protection,
    bufferMetres: record.buffer_m,
    topics: record.topics,
    list: record.list,
    restriction: record.restriction,
    geometry,
  };
  return buildImportResults(
    raw,
    { index, line, fieldName: hasPoint ? pointFieldName : FLAT_NAMES, defaultSource: 'ndjson' },
    options,
  );
}

/** The results of one line (none for a blank line), the next record's index moved on. */
function readLine(
  text: string,
  line: number,
  index: number,
  options: NdjsonReaderOptions,
): ImportResult[] {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [ImportResult.error(index, 'json', `line ${line} is not valid JSON: ${reason}`, line)];
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return [ImportResult.error(index, 'json', `line ${line} is not a JSON object`, line)];
  }
  if ((record as { type?: unknown }).type === 'Feature') {
    return importFeature(record, index, line, options, 'ndjson');
  }
  return importFlat(record as Record<string, unknown>, index, line, options);
}

/**
 * {@link readNdjson}'s results as an array per chunk of the input: every line of a chunk is
 * parsed and checked in one go, not one asynchronous step per result (a large import's worker
 * reads this way).
 *
 * @example
 * for await (const results of readNdjsonBatches(fs.createReadStream('sites.ndjson'))) …
 */
export async function* readNdjsonBatches(
  input: Readable,
  options: NdjsonReaderOptions = {},
): AsyncGenerator<ImportResult[], void, undefined> {
  const unique = uniqueSourceIds('id');
  let index = 0;
  let out: ImportResult[] = [];
  try {
    for await (const lines of splitLineBatches(
      decodeText(input),
      options.maxLineLength ?? 16 * 1024 * 1024,
    )) {
      for (const { line, text } of lines) {
        if (text.trim() === '') continue;
        for (const result of readLine(text, line, index, options)) out.push(unique(result));
        index += 1;
      }
      if (out.length > 0) yield out;
      out = [];
    }
  } catch (error) {
    const result = contentErrorResult(error, index);
    if (result === undefined) throw error;
    out.push(result);
    yield out;
  }
}

/**
 * Reads newline-delimited JSON, one object per line, streaming. A line is either a GeoJSON
 * Feature (read as {@link importFeature} says) or a flat record
 * `{"id", "name", "name_latin", "category", "protection", "lon", "lat", "buffer_m", "topics",
 * "list", "restriction"}` (`geometry` may replace `lon`/`lat`). Blank lines are skipped;
 * `index` counts records, `line` is the file line, and a line that is not JSON is an error
 * naming it. Throws only when the stream itself fails.
 *
 * @example
 * for await (const result of readNdjson(fs.createReadStream('sites.ndjson'))) …
 */
export async function* readNdjson(
  input: Readable,
  options: NdjsonReaderOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  for await (const results of readNdjsonBatches(input, options)) yield* results;
}
