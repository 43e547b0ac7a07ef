/**
 * Reading a planner's aimpoints from pasted text, CSV or GeoJSON into {@link Aimpoint}s, with
 * every bad line reported (line or feature, field, message). Pure; no I/O.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import {
  AIMPOINTS_MAX,
  EFFECT_RADIUS_MAX_METRES,
  type Aimpoint,
} from '../../domain/screening/screening.js';
import { lonLatProblem } from './input.js';
import { parsePosition, type PositionProblem } from './position.js';

/** The input formats; `auto` looks at the text. */
export type AimpointFormat = 'auto' | 'csv' | 'geojson' | 'ndjson' | 'text';

/** A problem with one line (text, CSV) or feature (GeoJSON; 1 = the first) of the input. */
export interface AimpointProblem {
  readonly line?: number;
  readonly feature?: number;
  readonly field: string;
  readonly message: string;
}

/** Something read but worth a second look. */
export interface AimpointWarning {
  readonly line?: number;
  readonly message: string;
}

/** What reading aimpoints gives: the aimpoints when there are no errors, and every problem. */
export interface AimpointParse {
  readonly aimpoints: Aimpoint[];
  readonly warnings: AimpointWarning[];
  readonly errors: AimpointProblem[];
  readonly format: Exclude<AimpointFormat, 'auto'>;
}

/** How to read: the format, the effect classes known (code → radius) and the defaults. */
export interface AimpointParseOptions {
  readonly format?: AimpointFormat;
  readonly effectClasses: ReadonlyMap<string, number>;
  readonly defaultEffectClass?: string;
  readonly defaultRadiusMetres?: number;
}

/** What a line or feature gave before ids and radii are settled. */
interface Draft {
  readonly where: { line?: number; feature?: number };
  readonly id: string | undefined;
  readonly lon: number;
  readonly lat: number;
  readonly input: string;
  readonly radius?: number;
  readonly effectClass?: string;
  readonly label?: string;
}

const RADIUS = /^(\d+(?:\.\d+)?)\s*m?$/i;

function radiusProblem(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0)
    return `radius_m ${value} must be a number of metres ≥ 0`;
  if (value > EFFECT_RADIUS_MAX_METRES) {
    return `radius_m ${value} is above the largest effect radius, ${EFFECT_RADIUS_MAX_METRES} m`;
  }
  return undefined;
}

/** Detects the format of pasted text. */
export function detectAimpointFormat(text: string): Exclude<AimpointFormat, 'auto'> {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{')) {
    // One JSON object per line (the file-mode actions format) unless the whole text is one.
    const first = t.split(/\r?\n/, 1)[0]!.trim();
    try {
      const line = JSON.parse(first) as { type?: unknown };
      if (line.type !== 'FeatureCollection' && line.type !== 'Feature') return 'ndjson';
    } catch {
      // Not a whole object on the first line: a multi-line GeoJSON document.
    }
    return 'geojson';
  }
  if (t.startsWith('[')) return 'geojson';
  const first = t.split(/\r?\n/, 1)[0] ?? '';
  const cells = first.split(/[,;\t]/).map((c) => headerKey(c));
  if (cells.length >= 2 && cells.some((c) => c in POSITION_COLUMNS)) return 'csv';
  return 'text';
}

function headerKey(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[()]/g, '');
}

const POSITION_COLUMNS: Record<string, 'mgrs' | 'lat' | 'lon' | 'position'> = {
  mgrs: 'mgrs',
  grid: 'mgrs',
  lat: 'lat',
  latitude: 'lat',
  lon: 'lon',
  lng: 'lon',
  long: 'lon',
  longitude: 'lon',
  position: 'position',
  location: 'position',
  coordinates: 'position',
};
const OTHER_COLUMNS: Record<string, 'id' | 'radius_m' | 'effect_class' | 'label'> = {
  id: 'id',
  radius_m: 'radius_m',
  radius: 'radius_m',
  radius_m_: 'radius_m',
  effect_class: 'effect_class',
  effect: 'effect_class',
  class: 'effect_class',
  label: 'label',
  name: 'label',
  description: 'label',
};

/**
 * Reads aimpoints from text, CSV or GeoJSON. Every problem is reported with its line (text,
 * CSV; 1 = the first line) or feature (GeoJSON; 1 = the first) and field; when there is any,
 * `aimpoints` is empty. Aimpoints without an id get `AP-<n>`; without a radius or effect class,
 * the default.
 *
 * - Text: one aimpoint per line, `[id] position [radius_m | effect class]`, separated by commas,
 *   tabs, semicolons or spaces; blank lines and lines starting with `#` are skipped.
 * - CSV: a header naming `id`, and `mgrs`, `position` or `lat` + `lon`, and `radius_m` or
 *   `effect_class` (optional `label`).
 * - GeoJSON: a FeatureCollection of Point features with `id`, `radius_m`, `effect_class`, `label`
 *   properties (or the feature's own `id`).
 * - NDJSON (the file-mode actions format): one `{"id","lon","lat","radius_m"|"effect_class"}`
 *   object per line.
 *
 * @example
 * parseAimpoints('T1 35T LC 12345 67890 MEDIUM\nT2 50.45N 30.52E 250', { effectClasses: new Map([['MEDIUM', 100]]) });
 */
export function parseAimpoints(text: string, options: AimpointParseOptions): AimpointParse {
  const body = text.replace(/^\uFEFF/, '');
  const format =
    options.format && options.format !== 'auto' ? options.format : detectAimpointFormat(body);
  const errors: AimpointProblem[] = [];
  const warnings: AimpointWarning[] = [];
  const drafts =
    format === 'geojson'
      ? readGeoJson(body, options, errors)
      : format === 'ndjson'
        ? readNdjson(body, options, errors)
        : format === 'csv'
          ? readCsv(body, options, errors, warnings)
          : readText(body, options, errors, warnings);
  const aimpoints = settle(drafts, options, errors);
  if (errors.length === 0 && aimpoints.length === 0) {
    errors.push({ field: 'text', message: 'no aimpoints found' });
  }
  if (aimpoints.length > AIMPOINTS_MAX) {
    errors.push({
      field: 'text',
      message: `${aimpoints.length} aimpoints: at most ${AIMPOINTS_MAX} per screening`,
    });
  }
  return { aimpoints: errors.length > 0 ? [] : aimpoints, warnings, errors, format };
}

/** Settles ids (explicit first, then AP-<n>), radii and effect classes; checks duplicates. */
function settle(
  drafts: readonly Draft[],
  options: AimpointParseOptions,
  errors: AimpointProblem[],
): Aimpoint[] {
  let defaultRadius: number | undefined = options.defaultRadiusMetres;
  let defaultClass: string | undefined;
  if (options.defaultEffectClass !== undefined) {
    const code = options.defaultEffectClass.toUpperCase();
    const radius = options.effectClasses.get(code);
    if (radius === undefined) {
      errors.push({
        field: 'default_effect_class',
        message: `unknown effect class ${JSON.stringify(options.defaultEffectClass)}${known(options)}`,
      });
    } else {
      defaultRadius = radius;
      defaultClass = code;
    }
  }
  const first = new Map<string, Draft>();
  for (const d of drafts) {
    if (d.id === undefined) continue;
    const seen = first.get(d.id);
    if (seen) {
      errors.push({
        ...d.where,
        field: 'id',
        message: `duplicate id ${JSON.stringify(d.id)} (first ${describe(seen.where)})`,
      });
    } else first.set(d.id, d);
  }
  let n = 0;
  const nextId = (): string => {
    do n += 1;
    while (first.has(`AP-${n}`));
    return `AP-${n}`;
  };
  const out: Aimpoint[] = [];
  for (const d of drafts) {
    let radius = d.radius;
    let effectClass = d.effectClass;
    if (radius === undefined && effectClass === undefined) {
      if (defaultRadius === undefined) {
        errors.push({
          ...d.where,
          field: 'radius_m',
          message: 'no radius_m or effect class given, and no default set',
        });
        continue;
      }
      radius = defaultRadius;
      effectClass = defaultClass;
    }
    out.push({
      id: d.id ?? nextId(),
      lon: d.lon,
      lat: d.lat,
      radius_m: radius!,
      ...(effectClass ? { effect_class: effectClass } : {}),
      ...(d.label ? { label: d.label } : {}),
      input: d.input,
    });
  }
  return out;
}

function describe(where: { line?: number; feature?: number }): string {
  return where.line !== undefined ? `on line ${where.line}` : `in feature ${where.feature}`;
}

function known(options: AimpointParseOptions): string {
  const codes = [...options.effectClasses.keys()];
  return codes.length > 0 ? ` (known: ${codes.join(', ')})` : ' (no effect classes are set)';
}

/** A radius in metres or an effect-class code, from a cell or a trailing token. */
function readSize(
  token: string,
  options: AimpointParseOptions,
): { radius: number } | { effectClass: string; radius: number } | { error: string } {
  const r = RADIUS.exec(token.trim());
  if (r) {
    const value = Number(r[1]);
    const problem = radiusProblem(value);
    return problem ? { error: problem } : { radius: value };
  }
  const code = token.trim().toUpperCase();
  const radius = options.effectClasses.get(code);
  if (radius !== undefined) return { effectClass: code, radius };
  return {
    error: `${JSON.stringify(token.trim())} is neither a radius in metres nor an effect class${known(options)}`,
  };
}

function readText(
  body: string,
  options: AimpointParseOptions,
  errors: AimpointProblem[],
  warnings: AimpointWarning[],
): Draft[] {
  const drafts: Draft[] = [];
  body.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const result = readTextLine(text, options);
    if ('error' in result) {
      errors.push({ line, field: result.error.field, message: result.error.message });
      return;
    }
    if (result.warning) warnings.push({ line, message: result.warning });
    drafts.push({ ...result.draft, where: { line } });
  });
  return drafts;
}

const looksNumeric = (token: string) => /^[+-]?[\d.]+$/.test(token);

/**
 * One text line: tries `[id] position [size]` splits, preferring an id with a letter in it and a
 * trailing size; a line readable more than one way is read the documented way, with a warning.
 */
function readTextLine(
  text: string,
  options: AimpointParseOptions,
):
  | { draft: Omit<Draft, 'where'>; warning?: string }
  | { error: { field: string; message: string } } {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  interface Candidate {
    id?: string;
    pos: string;
    size?: ReturnType<typeof readSize>;
    result: ReturnType<typeof parsePosition>;
  }
  const candidates: Candidate[] = [];
  for (const [p, q] of [
    [1, 1],
    [1, 0],
    [0, 1],
    [0, 0],
  ] as const) {
    if (tokens.length - p - q < 1) continue;
    const pos = tokens.slice(p, tokens.length - q).join(' ');
    candidates.push({
      ...(p ? { id: tokens[0] } : {}),
      pos,
      ...(q ? { size: readSize(tokens[tokens.length - 1]!, options) } : {}),
      result: parsePosition(pos),
    });
  }
  const valid = candidates.filter((c) => c.result.ok && !(c.size && 'error' in c.size));
  const lettered = valid.filter((c) => c.id !== undefined && !looksNumeric(c.id));
  let chosen: Candidate | undefined = lettered[0];
  let warning: string | undefined;
  if (!chosen) {
    const rest = valid
      .filter((c) => c.id === undefined || looksNumeric(c.id))
      .sort(
        (a, b) =>
          b.pos.split(' ').length - a.pos.split(' ').length || (b.size ? 1 : 0) - (a.size ? 1 : 0),
      );
    chosen = rest[0];
    if (chosen && rest.length > 1) {
      warning = `read as position ${JSON.stringify(chosen.pos)}${chosen.id ? ` with id ${chosen.id}` : ''}${chosen.size ? ` and size ${tokens[tokens.length - 1]}` : ''}; give an id with a letter in it (e.g. T${tokens[0]}) to read it otherwise`;
    }
  }
  if (!chosen) {
    // A position read but a trailing size not understood: say so about the size.
    const badSize = candidates.find((c) => c.result.ok && c.size && 'error' in c.size);
    if (badSize && badSize.size && 'error' in badSize.size) {
      const token = tokens[tokens.length - 1]!;
      return {
        error: {
          field: RADIUS.test(token) || looksNumeric(token) ? 'radius_m' : 'effect_class',
          message: badSize.size.error,
        },
      };
    }
    const problems = candidates
      .map((c) => c.result)
      .filter((r): r is PositionProblem => !r.ok)
      .sort((a, b) => b.rank - a.rank);
    const best = problems[0];
    return {
      error: best
        ? { field: best.field, message: best.message }
        : { field: 'position', message: 'could not read a position' },
    };
  }
  const r = chosen.result as Extract<ReturnType<typeof parsePosition>, { ok: true }>;
  const size = chosen.size as { radius: number; effectClass?: string } | undefined;
  const warnings = [r.warning, warning].filter(Boolean).join('; ');
  return {
    draft: {
      id: chosen.id,
      lon: r.lon,
      lat: r.lat,
      input: chosen.pos,
      ...(size ? { radius: size.radius } : {}),
      ...(size?.effectClass ? { effectClass: size.effectClass } : {}),
    },
    ...(warnings ? { warning: warnings } : {}),
  };
}

function readCsv(
  body: string,
  options: AimpointParseOptions,
  errors: AimpointProblem[],
  warnings: AimpointWarning[],
): Draft[] {
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].sort(
    (a, b) => firstLine.split(b).length - firstLine.split(a).length,
  )[0]!;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(body, {
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    errors.push({ ...(e.lines ? { line: e.lines } : {}), field: 'csv', message: e.message });
    return [];
  }
  const [head, ...rows] = records;
  if (!head) return [];
  const columns = new Map<string, number>();
  head.record.forEach((cell, i) => {
    const key = headerKey(cell);
    const name = POSITION_COLUMNS[key] ?? OTHER_COLUMNS[key];
    if (name && !columns.has(name)) columns.set(name, i);
  });
  const headerLine = head.info.lines;
  const hasLatLon = columns.has('lat') && columns.has('lon');
  if (!columns.has('mgrs') && !columns.has('position') && !hasLatLon) {
    errors.push({
      line: headerLine,
      field: 'header',
      message: `the header needs an mgrs or position column, or lat and lon columns; it has ${head.record.join(', ')}`,
    });
    return [];
  }
  const drafts: Draft[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (name: string) => {
      const i = columns.get(name);
      return i === undefined ? '' : (record[i] ?? '').trim();
    };
    let input: string;
    let field: string;
    if (cell('mgrs')) [input, field] = [cell('mgrs'), 'mgrs'];
    else if (cell('position')) [input, field] = [cell('position'), 'position'];
    else if (hasLatLon && (cell('lat') || cell('lon'))) {
      if (!cell('lat')) {
        errors.push({ line, field: 'lat', message: 'lat is empty' });
        continue;
      }
      if (!cell('lon')) {
        errors.push({ line, field: 'lon', message: 'lon is empty' });
        continue;
      }
      [input, field] = [`${cell('lat')}, ${cell('lon')}`, 'lat'];
    } else {
      errors.push({
        line,
        field: columns.has('mgrs') ? 'mgrs' : columns.has('position') ? 'position' : 'lat',
        message: 'no position on this row',
      });
      continue;
    }
    const r = parsePosition(input);
    if (!r.ok) {
      errors.push({ line, field: r.field === 'position' ? field : r.field, message: r.message });
      continue;
    }
    if (r.warning) warnings.push({ line, message: r.warning });
    let size: { radius: number; effectClass?: string } | undefined;
    if (cell('radius_m')) {
      const s = readSize(cell('radius_m'), options);
      if ('error' in s || 'effectClass' in s) {
        errors.push({
          line,
          field: 'radius_m',
          message:
            'error' in s ? s.error : `radius_m must be a number of metres, not ${cell('radius_m')}`,
        });
        continue;
      }
      size = s;
    } else if (cell('effect_class')) {
      const code = cell('effect_class').toUpperCase();
      const radius = options.effectClasses.get(code);
      if (radius === undefined) {
        errors.push({
          line,
          field: 'effect_class',
          message: `unknown effect class ${JSON.stringify(cell('effect_class'))}${known(options)}`,
        });
        continue;
      }
      size = { radius, effectClass: code };
    }
    drafts.push({
      where: { line },
      id: cell('id') || undefined,
      lon: r.lon,
      lat: r.lat,
      input,
      ...(size ? { radius: size.radius } : {}),
      ...(size?.effectClass ? { effectClass: size.effectClass } : {}),
      ...(cell('label') ? { label: cell('label') } : {}),
    });
  }
  return drafts;
}

function readGeoJson(
  body: string,
  options: AimpointParseOptions,
  errors: AimpointProblem[],
): Draft[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    errors.push({ field: 'json', message: `not JSON: ${(error as Error).message}` });
    return [];
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const features: unknown[] = Array.isArray(doc)
    ? doc
    : isObject(doc) && doc.type === 'FeatureCollection' && Array.isArray(doc.features)
      ? doc.features
      : isObject(doc) && doc.type === 'Feature'
        ? [doc]
        : [];
  if (features.length === 0 && !(isObject(doc) && doc.type === 'FeatureCollection')) {
    errors.push({
      field: 'type',
      message: 'expected a GeoJSON FeatureCollection of Point features',
    });
    return [];
  }
  const drafts: Draft[] = [];
  features.forEach((f, index) => {
    const feature = index + 1;
    const fail = (field: string, message: string) => errors.push({ feature, field, message });
    if (!isObject(f) || f.type !== 'Feature') return fail('type', 'not a GeoJSON Feature');
    const g = f.geometry;
    if (!isObject(g) || g.type !== 'Point') {
      return fail(
        'geometry',
        `geometry must be a Point, not ${isObject(g) ? String(g.type) : String(g)}`,
      );
    }
    const c = g.coordinates;
    if (!Array.isArray(c) || c.length < 2) {
      return fail('geometry.coordinates', 'coordinates must be [lon, lat]');
    }
    const problem = lonLatProblem(c[0], c[1]);
    if (problem) return fail(`geometry.coordinates.${problem.field}`, problem.message);
    const props = isObject(f.properties) ? f.properties : {};
    const rawId = props.id ?? f.id;
    if (rawId !== undefined && typeof rawId !== 'string' && typeof rawId !== 'number') {
      return fail('id', 'id must be a string or a number');
    }
    const size = recordSize(props, options);
    if (size && 'field' in size) return fail(size.field, size.message);
    const label = props.label ?? props.name;
    drafts.push({
      where: { feature },
      id: rawId === undefined || rawId === '' ? undefined : String(rawId),
      lon: c[0] as number,
      lat: c[1] as number,
      input: `${c[1] as number}, ${c[0] as number}`,
      ...(size ? { radius: size.radius } : {}),
      ...(size?.effectClass ? { effectClass: size.effectClass } : {}),
      ...(typeof label === 'string' && label ? { label } : {}),
    });
  });
  return drafts;
}

/** The size of a record: `radius_m` (metres) or `effect_class` (a known code), or neither. */
function recordSize(
  props: Readonly<Record<string, unknown>>,
  options: AimpointParseOptions,
): { radius: number; effectClass?: string } | { field: string; message: string } | undefined {
  if (props.radius_m !== undefined && props.radius_m !== null) {
    const value = props.radius_m;
    const message =
      typeof value !== 'number'
        ? `radius_m must be a number of metres, not ${JSON.stringify(value)}`
        : radiusProblem(value);
    return message ? { field: 'radius_m', message } : { radius: value as number };
  }
  if (props.effect_class !== undefined && props.effect_class !== null) {
    const code = String(props.effect_class).toUpperCase();
    const radius = options.effectClasses.get(code);
    if (radius === undefined) {
      return {
        field: 'effect_class',
        message: `unknown effect class ${JSON.stringify(props.effect_class)}${known(options)}`,
      };
    }
    return { radius, effectClass: code };
  }
  return undefined;
}

function readNdjson(
  body: string,
  options: AimpointParseOptions,
  errors: AimpointProblem[],
): Draft[] {
  const drafts: Draft[] = [];
  body.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fail = (field: string, message: string) => errors.push({ line, field, message });
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      return fail('json', `not JSON: ${(error as Error).message}`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return fail('json', 'each line must be one JSON object');
    }
    const r = record as Record<string, unknown>;
    const problem = lonLatProblem(r.lon, r.lat);
    if (problem) return fail(problem.field, problem.message);
    if (r.id !== undefined && typeof r.id !== 'string' && typeof r.id !== 'number') {
      return fail('id', 'id must be a string or a number');
    }
    const size = recordSize(r, options);
    if (size && 'field' in size) return fail(size.field, size.message);
    const label = r.label ?? r.name;
    drafts.push({
      where: { line },
      id: r.id === undefined || r.id === '' ? undefined : String(r.id),
      lon: r.lon as number,
      lat: r.lat as number,
      input: `${r.lat as number}, ${r.lon as number}`,
      ...(size ? { radius: size.radius } : {}),
      ...(size?.effectClass ? { effectClass: size.effectClass } : {}),
      ...(typeof label === 'string' && label ? { label } : {}),
    });
  });
  return drafts;
}
