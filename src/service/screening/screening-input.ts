/**
 * Reading the actions file (NDJSON or GeoJSON), turning GeoJSON features into screening records,
 * and the error every reader throws for a bad record: file, line, field, what is wrong.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import {
  actionRecordProblem,
  lonLatProblem,
  type RecordProblem,
} from '../../analysis/screening/input.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { readFeatures } from './geojson-features.js';
import { BLANK, latin1, RecordScanner, SCANNED } from './record-scanner.js';

/** Below this size an actions file is read with JSON.parse per line. */
const SMALL_ACTIONS_BYTES = 4 << 20;

/** The two input formats. */
export type ScreeningFormat = 'ndjson' | 'geojson';

/**
 * The format of a screening input file, from its name: `.ndjson`/`.jsonl` or
 * `.geojson`/`.json` (a FeatureCollection).
 *
 * @example
 * screeningFormatOf('plan.geojson'); // 'geojson'
 */
export function screeningFormatOf(path: string): ScreeningFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  throw new CivitasError(
    'validation_failed',
    `${path}: cannot tell the format from the name; use .ndjson (one JSON object per line) or .geojson (a FeatureCollection)`,
  );
}

/**
 * The error for one bad record, naming file, line and field.
 *
 * @example
 * throw recordError('actions.ndjson', 12, 'radius_m', 'radius_m -5 is negative');
 * // civitas: actions.ndjson line 12, field radius_m: radius_m -5 is negative
 */
export function recordError(
  path: string,
  line: number,
  field: string | undefined,
  message: string,
): CivitasError {
  const where =
    field === undefined ? `${path} line ${line}` : `${path} line ${line}, field ${field}`;
  return new CivitasError('validation_failed', `${where}: ${message}`, [
    { path: field === undefined ? `line ${line}` : `line ${line} field ${field}`, message },
  ]);
}

/**
 * The record a GeoJSON Feature stands for: `properties` with the id taken from `properties.id`
 * or else the feature's `id`, and lon/lat from a Point geometry; or the problem with it.
 *
 * @example
 * featureRecord({ type: 'Feature', id: 'O1', geometry: { type: 'Point', coordinates: [30.5, 50.4] }, properties: { buffer_m: 100 } });
 * // { record: { buffer_m: 100, id: 'O1', lon: 30.5, lat: 50.4 } }
 */
export function featureRecord(
  feature: unknown,
): { record: Record<string, unknown> } | { problem: RecordProblem } {
  if (feature === null || typeof feature !== 'object' || Array.isArray(feature)) {
    return { problem: { field: 'feature', message: 'a feature must be an object' } };
  }
  const f = feature as { type?: unknown; id?: unknown; properties?: unknown; geometry?: unknown };
  if (f.type !== 'Feature') {
    return {
      problem: { field: 'type', message: `type must be "Feature", not ${JSON.stringify(f.type)}` },
    };
  }
  const properties =
    f.properties !== null && typeof f.properties === 'object' && !Array.isArray(f.properties)
      ? (f.properties as Record<string, unknown>)
      : {};
  const geometry = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  if (!geometry || geometry.type !== 'Point') {
    return {
      problem: {
        field: 'geometry',
        message: `geometry must be a Point (screening uses the point), not ${geometry ? JSON.stringify(geometry.type) : 'missing'}`,
      },
    };
  }
  const c = geometry.coordinates;
  if (!Array.isArray(c) || c.length < 2) {
    return { problem: { field: 'geometry', message: 'Point coordinates must be [lon, lat]' } };
  }
  const problem = lonLatProblem(c[0], c[1]);
  if (problem)
    return {
      problem: { field: `geometry.coordinates (${problem.field})`, message: problem.message },
    };
  const id =
    properties.id !== undefined ? properties.id : typeof f.id === 'number' ? String(f.id) : f.id;
  return { record: { ...properties, id, lon: c[0], lat: c[1] } };
}

/** The actions of a plan, column by column. */
export interface ActionsInput {
  readonly ids: string[];
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly radius: Float64Array;
}

/**
 * Reads and checks the actions file (NDJSON or GeoJSON). Throws a CivitasError naming the file,
 * line and field of the first bad record, or of a repeated id.
 *
 * @example
 * const actions = readActions('plan.ndjson'); // { ids: ['A1', …], lon, lat, radius }
 */
export function readActions(path: string): ActionsInput {
  const ids: string[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const radius: number[] = [];
  const lines = new Map<string, number>();
  const add = (id: string, x: number, y: number, r: number, line: number): void => {
    const first = lines.get(id);
    if (first !== undefined) {
      throw recordError(
        path,
        line,
        'id',
        `duplicate id ${JSON.stringify(id)} (first on line ${first})`,
      );
    }
    lines.set(id, line);
    ids.push(id);
    lon.push(x);
    lat.push(y);
    radius.push(r);
  };
  const addRecord = (record: Record<string, unknown>, line: number, fieldPrefix = ''): void => {
    const problem = actionRecordProblem(record);
    if (problem) throw recordError(path, line, fieldPrefix + problem.field, problem.message);
    add(
      record.id as string,
      record.lon as number,
      record.lat as number,
      record.radius_m as number,
      line,
    );
  };

  const parseLine = (text: string, line: number): Record<string, unknown> => {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      throw recordError(path, line, undefined, `not valid JSON (${(e as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw recordError(path, line, undefined, 'each line must be one JSON object');
    }
    return record as Record<string, unknown>;
  };

  if (screeningFormatOf(path) === 'geojson') {
    readFeatures(path, ({ feature, line }) => {
      const r = featureRecord(feature);
      if ('problem' in r) throw recordError(path, line, r.problem.field, r.problem.message);
      addRecord(r.record, line, 'properties.');
    });
  } else {
    const buf = readFileSync(path);
    if (buf.length < SMALL_ACTIONS_BYTES) {
      // A plan of a few thousand lines is read before the scanner's code is optimised; JSON.parse
      // (native) is faster there. Both give the same values.
      const text = buf.toString('utf8');
      const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
      for (let i = 0; i < lines.length; i += 1) {
        const text = lines[i] as string;
        if (text.trim() !== '') addRecord(parseLine(text, i + 1), i + 1);
      }
    } else {
      const scanner = new RecordScanner('radius_m');
      const decoder = new TextDecoder('utf-8');
      let start = 0;
      let line = 1;
      while (start < buf.length) {
        const status = scanner.scanLine(buf, start, buf.length);
        const end = scanner.lineEnd;
        if (status === SCANNED && scanner.seen === 15 && scanner.wrongType === '') {
          const record = {
            id: latin1(buf, scanner.idStart, scanner.idEnd),
            lon: scanner.numbers[0],
            lat: scanner.numbers[1],
            radius_m: scanner.numbers[2],
          };
          addRecord(record, line);
        } else if (status !== BLANK) {
          const text = decoder.decode(buf.subarray(start, end));
          if (text.trim() !== '') addRecord(parseLine(text, line), line);
        }
        start = end + 1;
        line += 1;
      }
    }
  }
  return {
    ids,
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
    radius: Float64Array.from(radius),
  };
}

/**
 * The 1-based line number of the byte at `offset` in a file (counts newlines before it).
 *
 * @example
 * lineAt('objects.ndjson', 0); // 1
 */
export function lineAt(path: string, offset: number): number {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let position = 0;
    while (position < offset) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, offset - position), position);
      if (n === 0) break;
      for (let i = 0; i < n; i += 1) if (chunk[i] === 0x0a) line += 1;
      position += n;
    }
    return line;
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of the line that starts at `offset`.
 *
 * @example
 * lineTextAt('objects.ndjson', 0); // '{"id":"O1",…}'
 */
export function lineTextAt(path: string, offset: number): string {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    let position = offset;
    for (;;) {
      const chunk = Buffer.allocUnsafe(65536);
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      const newline = chunk.subarray(0, n).indexOf(0x0a);
      if (newline !== -1) {
        parts.push(chunk.subarray(0, newline));
        break;
      }
      parts.push(chunk.subarray(0, n));
      position += n;
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(parts));
  } finally {
    closeSync(fd);
  }
}
