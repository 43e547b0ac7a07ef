import type { Readable } from 'node:stream';
import { importFeature, plainGeometry } from './geojson.reader.js';
import {
  buildImportResults,
  contentErrorResult,
  ImportResult,
  parseDecimal,
  pathFieldName,
  withUniqueSourceIds,
  type ImportOptions,
  type RawObject,
} from './import-result.js';
import { decodeText, splitLines } from './text-stream.js';

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

async function* readRecords(
  input: Readable,
  options: NdjsonReaderOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  let index = 0;
  try {
    for await (const { line, text } of splitLines(
      decodeText(input),
      options.maxLineLength ?? 16 * 1024 * 1024,
    )) {
      if (text.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        yield ImportResult.error(index, 'json', `line ${line} is not valid JSON: ${reason}`, line);
        index += 1;
        continue;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        yield ImportResult.error(index, 'json', `line ${line} is not a JSON object`, line);
      } else if ((record as { type?: unknown }).type === 'Feature') {
        yield* importFeature(record, index, line, options, 'ndjson');
      } else {
        yield* importFlat(record as Record<string, unknown>, index, line, options);
      }
      index += 1;
    }
  } catch (error) {
    const result = contentErrorResult(error, index);
    if (result === undefined) throw error;
    yield result;
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
export function readNdjson(
  input: Readable,
  options: NdjsonReaderOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readRecords(input, options), 'id');
}
