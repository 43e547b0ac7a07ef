import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import { decodeWhole, detectEncoding, parseFileDate } from '../../src/service/harm/harm-file.js';
import { importHarm } from '../../src/service/harm/harm-import.service.js';
import { harmStats, listReports } from '../../src/service/harm/harm.service.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';
import { sharedData } from '../helpers/shared-data.js';

const actor = systemActor('harm-import-test');
const CLEAN = sharedData('ucdp-ged-ukraine', 'ged_ukraine_2014_2022-02-23.csv');
const MESSY = sharedData('ucdp-ged-ukraine', 'ged_ukraine_2022_2023_messy.csv');
const CAR = sharedData('ucdp-ged-car', 'ged231_caf.geojson');

type Row = Record<string, string>;

/** The file's rows read directly with csv-parse, decoding cp1252 where UTF-8 fails. */
function rows(file: string): Row[] {
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Streaming: Node 20's one-shot windows-1252 decode drops 0x92 (’).
    const decoder = new TextDecoder('windows-1252');
    text = decoder.decode(bytes, { stream: true }) + decoder.decode();
  }
  return parse(text, { columns: true, bom: true }) as Row[];
}

/** Civilians killed, independently: best = deaths_civilians, the total's spread moved over. */
function expectedKilled(events: readonly Record<string, unknown>[]) {
  let low = 0;
  let best = 0;
  let high = 0;
  for (const e of events) {
    const civ = Number(e.deaths_civilians);
    const spreadDown = Number(e.best) - Number(e.low);
    const spreadUp = Number(e.high) - Number(e.best);
    best += civ;
    low += spreadDown > 0 ? Math.max(0, civ - spreadDown) : civ;
    high += spreadUp > 0 ? civ + spreadUp : civ;
  }
  return { low, best, high };
}

/** US month-first or ISO date cell to its YYYY-MM month, independently of the importer. */
function monthOf(cell: string): string {
  const iso = /^(\d{4})-(\d{2})/.exec(cell);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const [m, , y] = cell.split(' ')[0]!.split('/');
  return `${y}-${m!.padStart(2, '0')}`;
}

describe('date and encoding detection', () => {
  it('reads both date formats of the messy file and refuses impossible days', () => {
    expect(parseFileDate('09/01/2022 00:00')).toBe('2022-09-01');
    expect(parseFileDate('8/31/2022 12:00:00 AM')).toBe('2022-08-31');
    expect(parseFileDate('2014-01-22')).toBe('2014-01-22');
    expect(parseFileDate('2009-02-20T00:00:00')).toBe('2009-02-20');
    expect(parseFileDate('02/30/2022 00:00')).toBeUndefined();
    expect(parseFileDate('31.08.2022')).toBeUndefined();
  });

  it('tells UTF-8, UTF-8 with BOM and Windows-1252 apart', () => {
    expect(detectEncoding(readFileSync(CLEAN))).toBe('utf-8');
    expect(detectEncoding(readFileSync(MESSY))).toBe('windows-1252');
    expect(decodeWhole(Buffer.from([0x92, 0x41]), 'windows-1252')).toBe('’A');
    expect(
      detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id')])),
    ).toBe('utf-8-bom');
  });
});

describe.each(testDatabases())('harm import on $name', (database) => {
  let store: Store;
  let deps: ServiceDeps;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
    deps = defaultDeps(store);
  });
  afterEach(async () => dispose());

  it('imports the clean Ukraine GED file with totals that match the file', async () => {
    const events = rows(CLEAN);
    const result = await importHarm(deps, actor, readFileSync(CLEAN), { format: 'ucdp' });
    expect(result).toMatchObject({ inserted: events.length, updated: 0, rejectedRows: 0 });
    const stats = await harmStats(deps, actor, {});
    expect(stats.incidents).toBe(events.length);
    expect(stats.reports).toBe(events.length);
    expect(stats.killed).toEqual(expectedKilled(events));
    expect(stats.injured).toEqual({ low: 0, best: 0, high: 0 });

    const byMonth = new Map<string, number>();
    for (const e of events) {
      const m = monthOf(e.date_start!);
      byMonth.set(m, (byMonth.get(m) ?? 0) + Number(e.deaths_civilians));
    }
    expect(new Map(stats.byMonth.map((g) => [g.key, g.killed.best]))).toEqual(byMonth);
    const byArea = new Map<string, number>();
    for (const e of events) {
      const k = e.adm_1 || 'UNKNOWN';
      byArea.set(k, (byArea.get(k) ?? 0) + 1);
    }
    expect(new Map(stats.byArea.map((g) => [g.key, g.incidents]))).toEqual(byArea);

    const area = 'Donetsk province';
    const inArea = events.filter((e) => e.adm_1 === area && e.date_start! >= '2015-01-01');
    const filtered = await harmStats(deps, actor, { area, from: '2015-01-01' });
    expect(filtered.incidents).toBe(inArea.length);
    expect(filtered.killed).toEqual(expectedKilled(inArea));
  });

  it('imports the messy Windows-1252 file completely, and re-importing changes nothing', async () => {
    const events = rows(MESSY);
    const bytes = readFileSync(MESSY);
    const first = await importHarm(deps, actor, bytes, { format: 'ucdp' });
    expect(first).toMatchObject({
      encoding: 'windows-1252',
      inserted: events.length,
      rejectedRows: 0,
    });
    const stats = await harmStats(deps, actor, {});
    expect(stats.incidents).toBe(events.length);
    expect(stats.killed).toEqual(expectedKilled(events));
    const months = new Set(events.map((e) => monthOf(e.date_start!)));
    expect(new Set(stats.byMonth.map((g) => g.key))).toEqual(months);

    // Headlines with characters outside ASCII (Windows-1252 bytes) are decoded, not mangled.
    const accented = events.filter((e) => /[^ -~]/.test(e.source_headline!));
    expect(accented.length).toBeGreaterThan(0);
    const page = await listReports(deps, actor, {}, { limit: 5000, offset: 0 });
    for (const event of accented) {
      const report = page.items.find((r) => r.sourceRef === event.id)!;
      expect(report.sources.map((s) => s.title)).toEqual(
        event.source_headline!.split(';').map((t) => t.trim()),
      );
    }

    const again = await importHarm(deps, actor, bytes, { format: 'ucdp' });
    expect(again).toMatchObject({ inserted: 0, updated: events.length });
    expect(await harmStats(deps, actor, {})).toEqual(stats);
  });

  it('reads any column order and a UTF-8 byte-order mark', async () => {
    const events = rows(CLEAN).slice(0, 300);
    const columns = Object.keys(events[0]!).reverse();
    const text = stringify(events, { header: true, columns });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const result = await importHarm(deps, actor, bytes, { format: 'ucdp' });
    expect(result).toMatchObject({ encoding: 'utf-8-bom', inserted: events.length });
    expect((await harmStats(deps, actor, {})).killed).toEqual(expectedKilled(events));
  });

  it('writes nothing when any row is bad, listing every bad row with line and field', async () => {
    const events = rows(CLEAN).slice(0, 50);
    const columns = Object.keys(events[0]!);
    const broken = events.map((e, i) =>
      i === 3
        ? { ...e, where_prec: '9' }
        : i === 7
          ? { ...e, date_start: '2014-13-40', deaths_civilians: 'many' }
          : i === 9
            ? { ...e, date_end: '2013-01-01' }
            : e,
    );
    // Multi-line quoted cells: the line of a row is where it starts in the file.
    const text = stringify(broken, { header: true, columns });
    const lineOf = (i: number) => {
      const before = stringify(broken.slice(0, i), { header: true, columns });
      return before.split('\n').length;
    };
    const error = await importHarm(deps, actor, Buffer.from(text), { format: 'ucdp' }).catch(
      (e: unknown) => e,
    );
    expect(CivitasError.is(error, 'harm_import_invalid')).toBe(true);
    const paths = (error as CivitasError).problems.map((p) => p.path);
    expect(paths).toEqual([
      `line ${lineOf(3)} field where_prec`,
      `line ${lineOf(7)} field date_start`,
      `line ${lineOf(7)} field deaths_civilians`,
      `line ${lineOf(9)} field date_end`,
    ]);
    expect((await harmStats(deps, actor, {})).incidents).toBe(0);

    const skipped = await importHarm(deps, actor, Buffer.from(text), {
      format: 'ucdp',
      skipInvalid: true,
    });
    expect(skipped).toMatchObject({ inserted: events.length - 3, rejectedRows: 3 });
    const rejects = parse(skipped.rejectsCsv!, { from_line: 2, columns: true }) as Row[];
    expect(rejects.map((r) => r.id)).toEqual([events[3]!.id, events[7]!.id, events[9]!.id]);
    expect(rejects[0]!.civitas_problems).toContain('where_prec');
    const valid = broken.filter((_, i) => ![3, 7, 9].includes(i));
    expect((await harmStats(deps, actor, {})).killed).toEqual(expectedKilled(valid));
  });

  it('imports UCDP GED GeoJSON with totals that match the file', async () => {
    const features = (
      JSON.parse(readFileSync(CAR, 'utf8')) as { features: { properties: Row }[] }
    ).features.map((f) => f.properties);
    const result = await importHarm(deps, actor, readFileSync(CAR), { format: 'geojson' });
    expect(result).toMatchObject({ inserted: features.length, rejectedRows: 0 });
    const stats = await harmStats(deps, actor, {});
    expect(stats.incidents).toBe(features.length);
    expect(stats.killed).toEqual(expectedKilled(features));
  });

  it('imports an HXL file below junk header rows, in Latin-1, with its breakdown', async () => {
    const lines = [
      'Civilian harm log,,,,,,,,',
      'exported by hand,,,,,,,,',
      'Id,Date,Lat,Lon,Oblast,Killed,Killed women,Killed children,Injured',
      '#meta+id,#date,#geo+lat,#geo+lon,#adm1+code,#affected+killed,#affected+killed+f,#affected+killed+children,#affected+injured',
      'H1,2023-04-02,48.0,37.8,UA14,4,2,1,6',
      'H2,2023-04-09,47.1,37.5,UA14,0,,,3',
      'H3,2023-05-01,50.0,36.2,UA63,2,1,,0',
    ];
    const bytes = Buffer.from(lines.join('\r\n').replace('Oblast', 'Oblast (région)'), 'latin1');
    const result = await importHarm(deps, actor, bytes, { format: 'hxl', source: 'ngo-log' });
    expect(result).toMatchObject({ encoding: 'windows-1252', inserted: 3 });
    const data = lines.slice(4).map((l) => l.split(','));
    const sum = (col: number, rowsOf = data) => rowsOf.reduce((a, r) => a + Number(r[col]), 0);
    const stats = await harmStats(deps, actor, {});
    expect(stats.killed).toEqual({ low: sum(5), best: sum(5), high: sum(5) });
    expect(stats.injured.best).toBe(sum(8));
    const ua14 = await harmStats(deps, actor, { area: 'UA14' });
    expect(ua14.killed.best).toBe(
      sum(
        5,
        data.filter((r) => r[4] === 'UA14'),
      ),
    );
    const page = await listReports(deps, actor, {}, { limit: 10, offset: 0 });
    const h1 = page.items.find((r) => r.sourceRef === 'H1')!;
    expect(h1.killedBreakdown).toEqual({ sex: { FEMALE: 2 }, age: { CHILD: 1 } });

    const untagged = Buffer.from('Id,Date,Lat\n1,2023-01-01,48\n');
    await expect(importHarm(deps, actor, untagged, { format: 'hxl' })).rejects.toThrow(
      /no HXL hashtag row/,
    );
  });
});
