import { Readable } from 'node:stream';
import type { NewHarmReport } from '../../domain/harm/harm.js';
import { newHarmReportSchema } from '../../domain/harm/harm.js';
import {
  datePrecisionFromDatePrec,
  locationPrecisionFromWherePrec,
  type Marking,
} from '../../domain/taxonomy/index.js';
import { csvRecords, type CsvRecord } from '../import/csv.reader.js';
import {
  findHxlColumn,
  findHxlTagRow,
  HXL_MAX_HEADER_ROWS,
  parseHxlTagRow,
} from '../import/hxl.js';
import { ImportContentError, parseDecimal } from '../import/import-result.js';

/** The formats `civitas harm import` reads. */
export const HARM_IMPORT_FORMATS = ['ucdp', 'hxl', 'geojson'] as const;
export type HarmImportFormat = (typeof HARM_IMPORT_FORMATS)[number];

/** The encodings a harm file is recognised in. */
export type HarmFileEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

/** The dataset name UCDP GED reports carry; re-import recognises events by it and their id. */
export const UCDP_SOURCE = 'UCDP GED';

/** One problem of one row: the line (or feature), the column (or property) and what is wrong. */
export interface HarmRowProblem {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** One row of a file: the report it gives, or its problems; `cells` to write rejects back. */
export interface HarmFileRow {
  readonly line: number;
  readonly cells: readonly string[];
  readonly report?: NewHarmReport;
  /** Extra warnings about the source's own figures (docs/harm.md). */
  readonly sourceWarnings: readonly string[];
  readonly problems: readonly HarmRowProblem[];
}

/** A parsed file: the header (CSV) and its rows. */
export interface HarmFile {
  readonly encoding: HarmFileEncoding;
  readonly header: readonly string[];
  readonly rows: readonly HarmFileRow[];
  /** A problem with the whole file (no header, missing column); then there are no rows. */
  readonly fileProblems: readonly HarmRowProblem[];
}

/**
 * The encoding of a file: UTF-8 with a byte-order mark, UTF-8 when every byte sequence is valid
 * UTF-8, otherwise Windows-1252 (what spreadsheets on Windows save "CSV" in; every byte is a
 * character in it, so the choice never fails).
 *
 * @example
 * detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61])); // 'utf-8-bom'
 * detectEncoding(Buffer.from([0x4b, 0x69, 0xe9, 0x76])); // 'windows-1252'
 */
export function detectEncoding(bytes: Buffer): HarmFileEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * Decodes a whole buffer. Node 20's one-shot Windows-1252 decode drops some bytes (0x92, the
 * typographic apostrophe, among them); decoding as a stream does not, so this always streams.
 *
 * @example
 * decodeWhole(Buffer.from([0x92]), 'windows-1252'); // '’'
 */
export function decodeWhole(bytes: Buffer, encoding: HarmFileEncoding): string {
  const decoder = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8');
  return decoder.decode(bytes, { stream: true }) + decoder.decode();
}

/**
 * A day written in a file as `YYYY-MM-DD` (with any time after it), or month-first
 * `M/D/YYYY` with an optional time (`09/01/2022 00:00`, `8/31/2022 12:00:00 AM`), as
 * YYYY-MM-DD; undefined for anything else or a day that does not exist.
 *
 * @example
 * parseFileDate('8/31/2022 12:00:00 AM'); // '2022-08-31'
 * parseFileDate('2014-01-22'); // '2014-01-22'
 */
export function parseFileDate(text: string): string | undefined {
  const value = text.trim();
  let iso: string | undefined;
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(value);
  if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]}-${isoMatch[3]}`;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)?$/i.exec(
    value,
  );
  if (us) iso = `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  if (iso === undefined) return undefined;
  const time = Date.parse(`${iso}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === iso
    ? iso
    : undefined;
}

/**
 * Civilians killed from a GED event as low/best/high. GED gives `deaths_civilians` as a best
 * estimate and low/high only for all deaths, so: best = deaths_civilians; low lowers it by as
 * much as the total's low lies below the total's best, high raises it by as much as the total's
 * high lies above its best (all the uncertainty may concern civilians). Never below 0, and
 * low ≤ best ≤ high holds even where the event's own totals are inconsistent.
 *
 * @example
 * civilianEstimate(4, { best: 10, low: 7, high: 15 }); // { low: 1, best: 4, high: 9 }
 */
export function civilianEstimate(
  civilians: number,
  total: { best: number; low: number; high: number },
): { low: number; best: number; high: number } {
  return {
    low: Math.max(0, civilians - Math.max(0, total.best - total.low)),
    best: civilians,
    high: civilians + Math.max(0, total.high - total.best),
  };
}

const VIOLENCE = new Map([
  ['1', 'State-based conflict'],
  ['2', 'Non-state conflict'],
  ['3', 'One-sided violence'],
]);

/** The UCDP columns read; the others are ignored, in whatever order the file has them. */
const UCDP_REQUIRED = [
  'id',
  'where_prec',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_civilians',
  'best',
  'low',
  'high',
] as const;

type Props = Readonly<Record<string, unknown>>;

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());

/** Splits GED's semicolon-separated source fields into one source per article. */
function ucdpSources(p: Props): NewHarmReport['sources'] {
  const split = (k: string) => (text(p[k]) === '' ? [] : text(p[k]).split(';'));
  const offices = split('source_office');
  const dates = split('source_date');
  const titles = split('source_headline');
  const n = Math.max(offices.length, dates.length, titles.length);
  const out: NewHarmReport['sources'] = [];
  for (let i = 0; i < Math.min(n, 200); i += 1) {
    out.push({
      name: (offices[i] ?? '').trim().slice(0, 500) || text(p.source_original).slice(0, 500),
      date: (dates[i] ?? '').trim().slice(0, 40),
      title: (titles[i] ?? '').trim().slice(0, 2000),
    });
  }
  if (out.length === 0 && text(p.source_article) !== '') {
    out.push({ name: text(p.source_article).slice(0, 500), date: '', title: '' });
  }
  return out;
}

/**
 * One GED event (CSV row or GeoJSON properties) as a report sourced to the dataset, or the
 * problems naming each field. `coordinates` come from latitude/longitude or the geometry.
 */
export function ucdpReport(
  p: Props,
  coordinates: { lon: unknown; lat: unknown; lonField: string; latField: string },
  line: number,
  marking: Marking,
): Pick<HarmFileRow, 'report' | 'problems' | 'sourceWarnings'> {
  const problems: HarmRowProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ line, field, message });
  const int = (field: string): number => {
    const value = parseDecimal(p[field]);
    if (value === undefined || !Number.isInteger(value)) {
      fail(field, `"${text(p[field])}" is not a whole number`);
      return 0;
    }
    return value;
  };
  const id = text(p.id);
  if (id === '') fail('id', 'has no event id');
  const wherePrec = locationPrecisionFromWherePrec(int('where_prec'));
  if (problems.every((x) => x.field !== 'where_prec') && wherePrec === undefined)
    fail('where_prec', `${text(p.where_prec)} is not a UCDP location precision (1–7)`);
  const datePrec = datePrecisionFromDatePrec(int('date_prec'));
  if (problems.every((x) => x.field !== 'date_prec') && datePrec === undefined)
    fail('date_prec', `${text(p.date_prec)} is not a UCDP date precision (1–5)`);
  const start = parseFileDate(text(p.date_start));
  if (start === undefined)
    fail('date_start', `"${text(p.date_start)}" is not a date (YYYY-MM-DD or M/D/YYYY)`);
  const end = parseFileDate(text(p.date_end));
  if (end === undefined)
    fail('date_end', `"${text(p.date_end)}" is not a date (YYYY-MM-DD or M/D/YYYY)`);
  const civilians = int('deaths_civilians');
  const total = { best: int('best'), low: int('low'), high: int('high') };
  for (const [field, value] of Object.entries({ deaths_civilians: civilians, ...total })) {
    if (value < 0) fail(field, `${value} deaths is negative`);
  }
  const lat = parseDecimal(coordinates.lat);
  const lon = parseDecimal(coordinates.lon);
  if (lat === undefined || lat < -90 || lat > 90)
    fail(coordinates.latField, `"${text(coordinates.lat)}" is not a latitude (−90..90)`);
  if (lon === undefined || lon < -180 || lon > 180)
    fail(coordinates.lonField, `"${text(coordinates.lon)}" is not a longitude (−180..180)`);
  if (problems.length > 0) return { problems, sourceWarnings: [] };

  const sourceWarnings: string[] = [];
  if (!(total.low <= total.best && total.best <= total.high)) {
    sourceWarnings.push(
      `the event's own totals do not satisfy low ≤ best ≤ high (low ${total.low}, best ${total.best}, high ${total.high})`,
    );
  }
  if (civilians > total.best)
    sourceWarnings.push(`deaths_civilians ${civilians} exceeds the best total ${total.best}`);
  const violence = VIOLENCE.get(text(p.type_of_violence)) ?? 'Organised violence';
  const parsed = newHarmReportSchema.safeParse({
    sourceType: 'DATASET',
    reliability: 'B',
    sourceName: UCDP_SOURCE,
    sourceRef: id,
    sources: ucdpSources(p),
    // A dataset has no receipt time: the end of the event's last day stands for it (the later
    // date, so a reversed range is reported once, as such).
    receivedAt: `${end! > start! ? end : start}T23:59:59Z`,
    reporterContact: '',
    location: {
      lon,
      lat,
      precision: wherePrec,
      adminCode: null,
      adminName: text(p.adm_1) || null,
      place: text(p.where_coordinates).slice(0, 500),
    },
    date: { start, end, precision: datePrec },
    narrative: {
      confidential: '',
      releasable:
        `${violence}: ${text(p.side_a)} – ${text(p.side_b)}. ${text(p.where_description)}`.slice(
          0,
          20_000,
        ),
    },
    killed: civilianEstimate(civilians, total),
    injured: { low: 0, best: 0, high: 0 },
    cause: 'UNKNOWN',
    suspectedParty: 'UNKNOWN',
    topics: ['PoC'],
    marking,
  });
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => ({
        line,
        field: i.path.join('.'),
        message: i.message,
      })),
      sourceWarnings,
    };
  }
  return { report: parsed.data, problems: [], sourceWarnings };
}

async function allRecords(bytes: Buffer, encoding: HarmFileEncoding): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(Readable.from([bytes]), {
    encoding: encoding === 'windows-1252' ? 'latin1' : 'utf-8',
  })) {
    if (r.cells.some((c) => c.trim() !== '')) out.push(r);
  }
  return out;
}

function fileProblem(message: string, line = 1, field = 'file'): HarmFile['fileProblems'] {
  return [{ line, field, message }];
}

/** Reads a UCDP GED CSV file: a header row, then one event per row, columns in any order. */
async function readUcdpCsv(bytes: Buffer, encoding: HarmFileEncoding, marking: Marking) {
  const records = await allRecords(bytes, encoding);
  // A rejects file written by --skip-invalid starts with its marking line: skip lines above
  // the header.
  const headAt = records
    .slice(0, 5)
    .findIndex((r) => r.cells.some((c) => c.trim().toLowerCase() === 'where_prec'));
  const [head, ...body] = records.slice(Math.max(0, headAt));
  if (head === undefined)
    return { header: [], rows: [], fileProblems: fileProblem('the file is empty') };
  const header = head.cells.map((c) => c.trim().toLowerCase());
  const missing = [...UCDP_REQUIRED, 'latitude', 'longitude'].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      header: head.cells,
      rows: [],
      fileProblems: missing.map((c) => ({
        line: head.line,
        field: c,
        message: `the header has no column "${c}": is this a UCDP GED file?`,
      })),
    };
  }
  const rows: HarmFileRow[] = body.map((r) => {
    const props: Record<string, string> = {};
    header.forEach((name, i) => {
      props[name] = r.cells[i] ?? '';
    });
    return {
      line: r.line,
      cells: r.cells,
      ...ucdpReport(
        props,
        { lon: props.longitude, lat: props.latitude, lonField: 'longitude', latField: 'latitude' },
        r.line,
        marking,
      ),
    };
  });
  return { header: head.cells, rows, fileProblems: [] };
}

/** Reads UCDP GED events as a GeoJSON FeatureCollection of points; `line` is the feature number. */
function readUcdpGeoJson(bytes: Buffer, encoding: HarmFileEncoding, marking: Marking) {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeWhole(bytes, encoding));
  } catch (error) {
    return {
      header: [],
      rows: [],
      fileProblems: fileProblem(`the file is not JSON: ${(error as Error).message}`),
    };
  }
  const features = (doc as { features?: unknown }).features;
  if (!Array.isArray(features)) {
    return {
      header: [],
      rows: [],
      fileProblems: fileProblem('the file is not a GeoJSON FeatureCollection (no "features")'),
    };
  }
  const rows: HarmFileRow[] = features.map((f: unknown, index) => {
    const feature = f as {
      properties?: Props;
      geometry?: { type?: string; coordinates?: unknown };
    };
    const props = feature.properties ?? {};
    const coords = Array.isArray(feature.geometry?.coordinates)
      ? (feature.geometry.coordinates as unknown[])
      : [];
    const point = feature.geometry?.type === 'Point';
    return {
      line: index + 1,
      cells: [JSON.stringify(f)],
      ...ucdpReport(
        props,
        {
          lon: point ? coords[0] : props.longitude,
          lat: point ? coords[1] : props.latitude,
          lonField: 'geometry.coordinates[0]',
          latField: 'geometry.coordinates[1]',
        },
        index + 1,
        marking,
      ),
    };
  });
  return { header: [], rows, fileProblems: [] };
}

/** The HXL hashtags the harm import reads, tried in order. */
export const HARM_HXL_COLUMNS = Object.freeze({
  id: ['#meta+id', '#event+id', '#id'],
  date: ['#date+start', '#date-end'],
  dateEnd: ['#date+end'],
  lat: ['#geo+lat'],
  lon: ['#geo+lon'],
  adm1: ['#adm1+code'],
  adm1Name: ['#adm1+name', '#adm1-code'],
  place: ['#loc+name', '#loc'],
  killed: ['#affected+killed-f-m-children', '#affected+killed'],
  killedF: ['#affected+killed+f'],
  killedM: ['#affected+killed+m'],
  killedChildren: ['#affected+killed+children'],
  injured: ['#affected+injured-f-m-children', '#affected+injured'],
  injuredF: ['#affected+injured+f'],
  injuredM: ['#affected+injured+m'],
  injuredChildren: ['#affected+injured+children'],
} as const);

const HXL_REQUIRED = ['id', 'date', 'lat', 'lon', 'killed'] as const;

/**
 * Reads an HXL-tagged CSV of harm events: the hashtag row may sit below junk header rows, the
 * columns are found by hashtag (HARM_HXL_COLUMNS). Each row is one exact-located, exact-day
 * report; a count is taken as low = best = high (HXL has no ranges), and +f/+m/+children as the
 * breakdown by sex and age.
 */
async function readHxl(
  bytes: Buffer,
  encoding: HarmFileEncoding,
  marking: Marking,
  sourceName: string,
) {
  const records = await allRecords(bytes, encoding);
  const tagIndex = findHxlTagRow(records.slice(0, HXL_MAX_HEADER_ROWS).map((r) => r.cells));
  if (tagIndex === -1) {
    return {
      header: [],
      rows: [],
      fileProblems: fileProblem(
        `no HXL hashtag row (#date, #geo+lat, #geo+lon, #affected+killed) in the first ${HXL_MAX_HEADER_ROWS} rows: add one`,
      ),
    };
  }
  const tagRow = records[tagIndex]!;
  const tags = parseHxlTagRow(tagRow.cells)!;
  const col = Object.fromEntries(
    Object.entries(HARM_HXL_COLUMNS).map(([k, patterns]) => [k, findHxlColumn(tags, patterns)]),
  ) as Record<keyof typeof HARM_HXL_COLUMNS, number>;
  const missing = HXL_REQUIRED.filter((k) => col[k] === -1);
  if (missing.length > 0) {
    return {
      header: tagRow.cells,
      rows: [],
      fileProblems: missing.map((k) => ({
        line: tagRow.line,
        field: HARM_HXL_COLUMNS[k][0],
        message: `no column is tagged ${HARM_HXL_COLUMNS[k].join(' or ')}: tag the column that holds it`,
      })),
    };
  }
  const label = (k: keyof typeof HARM_HXL_COLUMNS) => tagRow.cells[col[k]]?.trim() ?? k;
  const rows: HarmFileRow[] = records.slice(tagIndex + 1).map((r) => {
    const problems: HarmRowProblem[] = [];
    const cell = (k: keyof typeof HARM_HXL_COLUMNS) =>
      col[k] === -1 ? '' : (r.cells[col[k]] ?? '').trim();
    const count = (k: keyof typeof HARM_HXL_COLUMNS): number | undefined => {
      if (cell(k) === '') return undefined;
      const v = parseDecimal(cell(k));
      if (v === undefined || !Number.isInteger(v) || v < 0) {
        problems.push({ line: r.line, field: label(k), message: `"${cell(k)}" is not a count` });
        return undefined;
      }
      return v;
    };
    const start = parseFileDate(cell('date'));
    if (start === undefined)
      problems.push({
        line: r.line,
        field: label('date'),
        message: `"${cell('date')}" is not a date`,
      });
    const end = col.dateEnd === -1 ? start : parseFileDate(cell('dateEnd'));
    if (end === undefined && start !== undefined)
      problems.push({
        line: r.line,
        field: label('dateEnd'),
        message: `"${cell('dateEnd')}" is not a date`,
      });
    const lat = parseDecimal(cell('lat'));
    const lon = parseDecimal(cell('lon'));
    if (lat === undefined)
      problems.push({
        line: r.line,
        field: label('lat'),
        message: `"${cell('lat')}" is not a latitude`,
      });
    if (lon === undefined)
      problems.push({
        line: r.line,
        field: label('lon'),
        message: `"${cell('lon')}" is not a longitude`,
      });
    if (cell('id') === '')
      problems.push({
        line: r.line,
        field: label('id'),
        message: 'has no id: re-import needs one',
      });
    const killed = count('killed') ?? 0;
    const injured = count('injured') ?? 0;
    const breakdown = (f: number | undefined, m: number | undefined, c: number | undefined) => ({
      sex: { ...(f === undefined ? {} : { FEMALE: f }), ...(m === undefined ? {} : { MALE: m }) },
      age: c === undefined ? {} : { CHILD: c },
    });
    const killedBreakdown = breakdown(count('killedF'), count('killedM'), count('killedChildren'));
    const injuredBreakdown = breakdown(
      count('injuredF'),
      count('injuredM'),
      count('injuredChildren'),
    );
    if (problems.length > 0) return { line: r.line, cells: r.cells, problems, sourceWarnings: [] };
    const parsed = newHarmReportSchema.safeParse({
      sourceType: 'PARTNER-NGO-IO',
      reliability: 'F',
      sourceName,
      sourceRef: cell('id'),
      receivedAt: `${end! > start! ? end : start}T23:59:59Z`,
      location: {
        lon,
        lat,
        precision: 'EXACT',
        adminCode: cell('adm1') || null,
        adminName: cell('adm1Name') || null,
        place: cell('place'),
      },
      date: { start, end, precision: start === end ? 'DAY' : 'DAYS' },
      narrative: { confidential: '', releasable: '' },
      killed: { low: killed, best: killed, high: killed },
      injured: { low: injured, best: injured, high: injured },
      killedBreakdown,
      injuredBreakdown,
      cause: 'UNKNOWN',
      suspectedParty: 'UNKNOWN',
      marking,
    });
    if (!parsed.success) {
      return {
        line: r.line,
        cells: r.cells,
        sourceWarnings: [],
        problems: parsed.error.issues.map((i) => ({
          line: r.line,
          field: i.path.join('.'),
          message: i.message,
        })),
      };
    }
    return { line: r.line, cells: r.cells, report: parsed.data, problems: [], sourceWarnings: [] };
  });
  return { header: tagRow.cells, rows, fileProblems: [] };
}

/**
 * Reads a harm file whole (the encoding is detected first) into reports or per-row problems.
 * Never throws for bad content: problems are data, so every bad row can be listed.
 *
 * @example
 * const file = await readHarmFile(bytes, 'ucdp', { classification: 'NU', releasability: ['PUBLIC'] });
 */
export async function readHarmFile(
  bytes: Buffer,
  format: HarmImportFormat,
  marking: Marking,
  sourceName = 'hxl',
): Promise<HarmFile> {
  const encoding = detectEncoding(bytes);
  try {
    const body =
      format === 'ucdp'
        ? await readUcdpCsv(bytes, encoding, marking)
        : format === 'geojson'
          ? readUcdpGeoJson(bytes, encoding, marking)
          : await readHxl(bytes, encoding, marking, sourceName);
    return { encoding, ...body };
  } catch (error) {
    if (!(error instanceof ImportContentError)) throw error;
    return {
      encoding,
      header: [],
      rows: [],
      fileProblems: fileProblem(error.message, error.line ?? 1),
    };
  }
}
