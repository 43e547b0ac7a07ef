import type { Readable } from 'node:stream';
import { readCsv, type CsvReaderOptions } from './csv.reader.js';
import { readGeoJson } from './geojson.reader.js';
import type { ImportOptions, ImportResult } from './import-result.js';
import { readKml } from './kml.reader.js';
import { readNdjson, readNdjsonBatches } from './ndjson.reader.js';
import { readOsmPbf, readOsmXml } from './osm.reader.js';

/** The file formats the register imports. */
export const IMPORT_FORMATS = ['geojson', 'ndjson', 'csv', 'kml', 'osm', 'osm-pbf'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What every reader takes, plus the CSV column mapping. Plain data: it can go to a worker. */
export type ReaderOptions = ImportOptions & Pick<CsvReaderOptions, 'columns'>;

/** Guesses the format from a file name; undefined when it cannot tell. */
export function formatOfFile(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.osm.pbf') || lower.endsWith('.pbf')) return 'osm-pbf';
  if (lower.endsWith('.osm')) return 'osm';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.kml')) return 'kml';
  return undefined;
}

/** The reader of a format, run in this thread. */
export function readFormat(
  format: ImportFormat,
  input: Readable,
  options: ReaderOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  switch (format) {
    case 'geojson':
      return readGeoJson(input, options);
    case 'ndjson':
      return readNdjson(input, options);
    case 'csv':
      return readCsv(input, options);
    case 'kml':
      return readKml(input, options);
    case 'osm':
      return readOsmXml(input, options);
    case 'osm-pbf':
      return readOsmPbf(input, options);
  }
}

/**
 * The reader of a format, its results an array at a time: NDJSON's per chunk of the input (see
 * `readNdjsonBatches`), any other format's one by one.
 *
 * @example
 * for await (const results of readFormatBatches('ndjson', stream, {})) …
 */
export async function* readFormatBatches(
  format: ImportFormat,
  input: Readable,
  options: ReaderOptions,
): AsyncGenerator<ImportResult[], void, undefined> {
  if (format === 'ndjson') {
    yield* readNdjsonBatches(input, options);
    return;
  }
  for await (const result of readFormat(format, input, options)) yield [result];
}

/**
 * A file to import: its format, its bytes and the reader's options. Iterating it runs the
 * format's reader in this thread; `importObjects` may instead hand the bytes to a worker thread
 * that reads, checks and prepares the rows while this thread writes them (see
 * register/import-batches.ts) — with the same results either way.
 *
 * @example
 * const file = new ImportFile('ndjson', fs.createReadStream('sites.ndjson'), { source: 'survey' });
 * for await (const result of file) …
 */
export class ImportFile implements AsyncIterable<ImportResult> {
  constructor(
    readonly format: ImportFormat,
    readonly input: Readable,
    readonly options: ReaderOptions = {},
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<ImportResult> {
    return readFormat(this.format, this.input, this.options)[Symbol.asyncIterator]();
  }

  /** The results an array at a time ({@link readFormatBatches}). */
  batches(): AsyncGenerator<ImportResult[], void, undefined> {
    return readFormatBatches(this.format, this.input, this.options);
  }
}
