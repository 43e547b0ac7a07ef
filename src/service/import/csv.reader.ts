import type { Readable } from 'node:stream';
import { CsvError, parse, type CastingContext } from 'csv-parse';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { findHxlColumn, HXL_MAX_HEADER_ROWS, parseHxlTagRow, type HxlHashtag } from './hxl.js';
import {
  buildImportResults,
  contentErrorResult,
  FILE_FIELD,
  ImportContentError,
  ImportResult,
  parseDecimal,
  withUniqueSourceIds,
  type ImportError,
  type ImportOptions,
  type RawObject,
} from './import-result.js';
import { decodeText, type TextEncoding } from './text-stream.js';

/**
 * Which CSV column holds each field, by header name. `sourceId`, `name`, `lat` and `lon` are
 * required; the others are read when named.
 *
 * @example
 * const gppd: CsvColumnMapping = { sourceId: 'gppd_idnr', name: 'name', lat: 'latitude', lon: 'longitude' };
 */
export interface CsvColumnMapping {
  readonly sourceId: string;
  readonly name: string;
  readonly lat: string;
  readonly lon: string;
  readonly nameLatin?: string;
  readonly category?: string;
  readonly protection?: string;
  readonly buffer?: string;
  readonly topics?: string;
  readonly list?: string;
  readonly restriction?: string;
}

/** A field of {@link CsvColumnMapping}. */
export type CsvField = keyof CsvColumnMapping;

/**
 * The HXL tag patterns read for each field when no mapping is given, tried in order. The
 * native name is the `#loc+name` column without a Latin or English attribute; the
 * transliteration is `#loc+name+latin` or `#loc+name+i_en`.
 *
 * @example
 * HXL_COLUMNS.lat; // ['#geo+lat']
 */
export const HXL_COLUMNS: Readonly<Record<CsvField, readonly string[]>> = Object.freeze({
  sourceId: ['#meta+id'],
  name: ['#loc+name-latin-i_en', '#loc+name'],
  nameLatin: ['#loc+name+latin', '#loc+name+i_en'],
  lat: ['#geo+lat'],
  lon: ['#geo+lon'],
  category: ['#meta+category'],
  protection: ['#meta+protection'],
  buffer: ['#meta+buffer'],
  topics: ['#meta+topics'],
  list: ['#meta+list'],
  restriction: ['#meta+restriction'],
});

const REQUIRED: readonly CsvField[] = ['sourceId', 'name', 'lat', 'lon'];
const FIELDS = Object.keys(HXL_COLUMNS) as CsvField[];

/**
 * Options of {@link readCsv}.
 *
 * @example
 * const options: CsvReaderOptions = { columns: gppd, category: 'power', source: 'wri-gppd' };
 */
export interface CsvReaderOptions extends ImportOptions {
  /** Column names per field; without it the file must have an HXL hashtag row. */
  readonly columns?: CsvColumnMapping;
  /** Cell separator. Default `,`. */
  readonly delimiter?: string;
  /** Default UTF-8 (a BOM is dropped); `latin1` for old spreadsheet exports. */
  readonly encoding?: TextEncoding;
  /** Longest record, in characters. Default 1 Mi. */
  readonly maxRecordSize?: number;
}

interface Column {
  readonly index: number;
  /** The column as the file names it: its header, or its hashtag. */
  readonly label: string;
}

type Columns = Partial<Record<CsvField, Column>>;

/** One CSV record: its cells and the line it starts on. */
export interface CsvRecord {
  readonly cells: string[];
  readonly line: number;
}

/**
 * Maps byte offsets to line numbers. csv-parse reports where each record ends (`info.bytes`);
 * its own line count drifts on CRLF inside quoted cells, so lines are counted here.
 */
class LineIndex {
  readonly #newlines: number[] = [];
  #head = 0;
  #dropped = 0;
  #bytes = 0;

  #pendingCR = -1;

  /** Encodes a chunk, remembering where its line breaks (LF, CRLF or a lone CR) are. */
  add(text: string): Buffer {
    const buffer = Buffer.from(text, 'utf8');
    if (this.#pendingCR !== -1 && buffer[0] !== 10) this.#newlines.push(this.#pendingCR);
    this.#pendingCR = -1;
    for (let i = 0; i < buffer.length; i += 1) {
      const byte = buffer[i];
      if (byte === 10) {
        this.#newlines.push(this.#bytes + i);
      } else if (byte === 13) {
        if (i + 1 === buffer.length) this.#pendingCR = this.#bytes + i;
        else if (buffer[i + 1] !== 10) this.#newlines.push(this.#bytes + i);
      }
    }
    this.#bytes += buffer.length;
    return buffer;
  }

  /** The 1-based line of the byte at `offset`; offsets must not decrease between calls. */
  lineAt(offset: number): number {
    while (this.#head < this.#newlines.length && (this.#newlines[this.#head] as number) < offset) {
      this.#head += 1;
    }
    if (this.#head > 4096) {
      this.#newlines.splice(0, this.#head);
      this.#dropped += this.#head;
      this.#head = 0;
    }
    return this.#dropped + this.#head + 1;
  }
}

/**
 * Parses CSV text chunks into records with the line each starts on (also used by the harm
 * import, which maps its own columns). A CSV syntax error throws an ImportContentError.
 *
 * @example
 * for await (const { cells, line } of csvRecords(stream, { encoding: 'latin1' })) …
 */
export async function* csvRecords(
  input: Readable,
  options: Pick<CsvReaderOptions, 'delimiter' | 'encoding' | 'maxRecordSize'>,
): AsyncGenerator<CsvRecord, void, undefined> {
  const lines = new LineIndex();
  const queue: CsvRecord[] = [];
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    // Any line ending, even mixed in one file (spreadsheets end files with a lone CR).
    record_delimiter: ['\r\n', '\n', '\r'],
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: options.maxRecordSize ?? 1024 * 1024,
    // Records are taken here, synchronously, rather than read from the stream, so that rows
    // before a syntax error are reported rather than lost when the stream is destroyed.
    on_record: (cells: string[], context: CastingContext) => {
      // `bytes` (where the record ends) is passed at run time but missing from the typings.
      const { bytes } = context as CastingContext & { readonly bytes: number };
      const end = lines.lineAt(Math.max(0, bytes - 1));
      const inner = cells.reduce(
        (count, cell) => count + (cell.match(/\r\n|\r|\n/g)?.length ?? 0),
        0,
      );
      queue.push({ cells, line: end - inner });
      return null;
    },
  });
  let failure: unknown;
  parser.on('error', (error: unknown) => {
    failure ??= error;
  });
  const finished = new Promise<void>((resolve) => {
    parser.on('finish', resolve);
    parser.on('close', resolve);
  });
  const raise = (error: unknown): never => {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new ImportContentError(error.message, line);
    }
    throw error;
  };
  for await (const text of decodeText(input, options.encoding)) {
    parser.write(lines.add(text));
    yield* queue.splice(0);
    if (failure !== undefined) raise(failure);
  }
  parser.end();
  await finished;
  yield* queue.splice(0);
  if (failure !== undefined) raise(failure);
}

function resolveMapping(header: readonly string[], mapping: CsvColumnMapping): Columns | string[] {
  const missing: string[] = [];
  const columns: Columns = {};
  const trimmed = header.map((cell) => cell.trim());
  for (const field of FIELDS) {
    const name = mapping[field];
    if (name === undefined) continue;
    let index = trimmed.indexOf(name.trim());
    if (index === -1) {
      const lower = name.trim().toLowerCase();
      index = trimmed.findIndex((cell) => cell.toLowerCase() === lower);
    }
    if (index === -1) missing.push(name);
    else columns[field] = { index, label: trimmed[index] as string };
  }
  return missing.length > 0 ? missing : columns;
}

function resolveHxl(tags: readonly (HxlHashtag | undefined)[]): Columns {
  const columns: Columns = {};
  for (const field of FIELDS) {
    const index = findHxlColumn(tags, HXL_COLUMNS[field]);
    if (index !== -1) columns[field] = { index, label: (tags[index] as HxlHashtag).text };
  }
  // The native name fell back to any #loc+name: then it is not also the transliteration.
  if (columns.nameLatin?.index === columns.name?.index) delete columns.nameLatin;
  return columns;
}

function checkMapping(mapping: CsvColumnMapping): void {
  const missing = REQUIRED.filter(
    (field) => typeof mapping[field] !== 'string' || mapping[field].trim() === '',
  );
  if (missing.length > 0) {
    throw new CivitasError(
      'bad_request',
      `The CSV column mapping must name the columns of ${missing.join(', ')}: add them to "columns".`,
    );
  }
}

function importRow(
  record: CsvRecord,
  index: number,
  columns: Columns,
  options: CsvReaderOptions,
): ImportResult[] {
  const { cells, line } = record;
  const errors: ImportError[] = [];
  const cell = (field: CsvField): string | undefined => {
    const column = columns[field];
    if (column === undefined) return undefined;
    const value = cells[column.index]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  for (const field of REQUIRED) {
    const column = columns[field] as Column;
    if (column.index >= cells.length) {
      errors.push(
        ImportResult.error(
          index,
          column.label,
          `the row has ${cells.length} cells, so column ${column.index + 1} (${column.label}) is missing`,
          line,
        ),
      );
    }
  }
  if (errors.length > 0) return errors;

  const coordinate = (field: 'lat' | 'lon'): number | undefined => {
    const label = (columns[field] as Column).label;
    const value = cell(field);
    const word = field === 'lat' ? 'latitude' : 'longitude';
    if (value === undefined) {
      errors.push(ImportResult.error(index, label, `has no ${word}`, line));
      return undefined;
    }
    const number = parseDecimal(value);
    if (number === undefined) {
      errors.push(
        ImportResult.error(
          index,
          label,
          `${word} "${value}" is not a decimal number of degrees (write e.g. 47.1410, with a point)`,
          line,
        ),
      );
    }
    return number;
  };
  const lat = coordinate('lat');
  const lon = coordinate('lon');
  if (lat === undefined || lon === undefined) return errors;

  const raw: RawObject = {
    sourceId: cell('sourceId'),
    name: cell('name'),
    nameLatin: cell('nameLatin'),
    category: cell('category'),
    protection: cell('protection'),
    bufferMetres: cell('buffer'),
    topics: cell('topics'),
    list: cell('list'),
    restriction: cell('restriction'),
    geometry: { type: 'Point', coordinates: [lon, lat] },
  };
  const labelOf = (field: CsvField): string => columns[field]?.label ?? field;
  return buildImportResults(
    raw,
    {
      index,
      line,
      defaultSource: 'csv',
      fieldName: (field, path) => {
        if (field === 'geometry') {
          if (path[1] === 1) return labelOf('lat');
          if (path[1] === 0) return labelOf('lon');
          return `${labelOf('lat')}, ${labelOf('lon')}`;
        }
        if (field === 'bufferMetres') return labelOf('buffer');
        return labelOf(field);
      },
    },
    options,
  );
}

async function* readRows(
  input: Readable,
  options: CsvReaderOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  if (options.columns !== undefined) checkMapping(options.columns);
  let columns: Columns | undefined;
  let headerRows = 0;
  let skipTagRow = false;
  let index = 0;
  try {
    for await (const record of csvRecords(input, options)) {
      if (record.cells.every((cell) => cell.trim() === '')) continue;
      if (columns === undefined) {
        headerRows += 1;
        if (options.columns !== undefined) {
          const resolved = resolveMapping(record.cells, options.columns);
          if (Array.isArray(resolved)) {
            for (const name of resolved) {
              yield ImportResult.error(
                0,
                name,
                `the header has no column "${name}": it has ${record.cells.map((c) => `"${c.trim()}"`).join(', ')}`,
                record.line,
              );
            }
            return;
          }
          columns = resolved;
          skipTagRow = true;
          continue;
        }
        const tags = parseHxlTagRow(record.cells);
        if (tags === undefined) {
          if (headerRows >= HXL_MAX_HEADER_ROWS) {
            yield ImportResult.error(
              0,
              FILE_FIELD,
              `no HXL hashtag row (#loc+name, #geo+lat, …) in the first ${HXL_MAX_HEADER_ROWS} rows: add one, or give a column mapping`,
            );
            return;
          }
          continue;
        }
        columns = resolveHxl(tags);
        const missing = REQUIRED.filter((field) => columns?.[field] === undefined);
        if (missing.length > 0) {
          for (const field of missing) {
            yield ImportResult.error(
              0,
              HXL_COLUMNS[field][0] as string,
              `no column is tagged ${HXL_COLUMNS[field].join(' or ')}: tag the column that holds it`,
              record.line,
            );
          }
          return;
        }
        continue;
      }
      if (skipTagRow) {
        // A file with both a header and an HXL row, read with a mapping: skip the HXL row.
        skipTagRow = false;
        if (record.cells.every((cell) => cell.trim() === '' || cell.trim().startsWith('#'))) {
          continue;
        }
      }
      yield* importRow(record, index, columns, options);
      index += 1;
    }
  } catch (error) {
    const result = contentErrorResult(error, index);
    if (result === undefined) throw error;
    yield result;
    return;
  }
  if (columns === undefined) {
    yield ImportResult.error(
      0,
      FILE_FIELD,
      options.columns === undefined
        ? 'the file has no HXL hashtag row: add one (#meta+id, #loc+name, #geo+lat, #geo+lon) or give a column mapping'
        : 'the file is empty: it has no header row',
    );
  }
}

/**
 * Reads a CSV file row by row, streaming. Columns are found by a mapping of header names
 * (`columns`) or, without one, by HXL hashtags: a hashtag row among the first 25 rows
 * (`#meta+id`, `#loc+name`, `#geo+lat`, `#geo+lon`, `#meta+category`, …, see
 * {@link HXL_COLUMNS}). Each data row gives one result: `index` counts data rows from 0,
 * `line` is the line the row starts on, and errors name the column (its header or hashtag).
 * A header without a mapped column, or a CSV syntax error, is reported and ends the read.
 * Throws only when the stream fails, or when the mapping lacks a required field.
 *
 * @example
 * readCsv(fs.createReadStream('global_power_plant_database_ukraine.csv'), {
 *   columns: { sourceId: 'gppd_idnr', name: 'name', lat: 'latitude', lon: 'longitude' },
 *   category: 'power', source: 'wri-gppd',
 * });
 */
export function readCsv(
  input: Readable,
  options: CsvReaderOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readRows(input, options), options.columns?.sourceId ?? '#meta+id');
}
