import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runCivitas } from '../helpers/cli.js';
import { sharedData } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-harm-cli-'));
const keyFile = join(dir, 'civitas.key');
const db = join(dir, 'harm.db');
const civitas = (args: string[]) => runCivitas([...args, '--db', db], { keyFile });
const MESSY = sharedData('ucdp-ged-ukraine', 'ged_ukraine_2022_2023_messy.csv');
const CLEAN = sharedData('ucdp-ged-ukraine', 'ged_ukraine_2014_2022-02-23.csv');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, string>;

/** Civilians killed, best estimate, and events per month start, straight from the file. */
function fromFile(file: string, from?: string, to?: string) {
  const bytes = readFileSync(file);
  const decoder = new TextDecoder(file === MESSY ? 'windows-1252' : 'utf-8');
  const rows = parse(decoder.decode(bytes, { stream: true }) + decoder.decode(), {
    columns: true,
    bom: true,
  }) as Row[];
  const day = (cell: string) => {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(cell);
    return us
      ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`
      : cell.slice(0, 10);
  };
  const kept = rows.filter(
    (r) => (!from || day(r.date_start!) >= from) && (!to || day(r.date_start!) <= to),
  );
  return {
    events: kept.length,
    civilians: kept.reduce((a, r) => a + Number(r.deaths_civilians), 0),
  };
}

describe('civitas harm (built executable)', () => {
  it('should refuse a file with bad rows, listing each line and field, and write nothing', async () => {
    expect((await civitas(['init'])).code).toBe(0);
    const [first, second] = parse(readFileSync(CLEAN, 'utf8'), { columns: true }) as Row[];
    const bad = join(dir, 'bad.csv');
    // Line 2 is the first row; the rows' quoted source cells keep each on one line here.
    writeFileSync(bad, stringify([{ ...first, where_prec: '8' }, second], { header: true }));
    expect(readFileSync(bad, 'utf8').split('\n')).toHaveLength(4);
    const res = await civitas(['harm', 'import', bad, '--format', 'ucdp']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'bad.csv: line 2 field where_prec: 8 is not a UCDP location precision',
    );
    expect(res.stderr).toMatch(/civitas: 1 bad row\(s\) in bad\.csv; nothing was written/);
    const stats = JSON.parse((await civitas(['harm', 'stats'])).stdout);
    expect(stats.incidents).toBe(0);

    const rejects = join(dir, 'rejects.csv');
    const skipped = await civitas([
      'harm',
      'import',
      bad,
      '--format',
      'ucdp',
      '--skip-invalid',
      '--rejects',
      rejects,
      '--dry-run',
    ]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('Dry run: would import 1 of 2 row(s)');
    expect(readFileSync(rejects, 'utf8')).toContain(
      'where_prec: 8 is not a UCDP location precision',
    );
    expect(JSON.parse((await civitas(['harm', 'stats'])).stdout).incidents).toBe(0);
  });

  it('should import the messy Ukraine file completely and give the same figures as the file', async () => {
    const res = await civitas(['harm', 'import', MESSY, '--format', 'ucdp']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const expected = fromFile(MESSY);
    expect(res.stdout).toContain(`Imported ${expected.events} of ${expected.events} row(s)`);
    expect(res.stdout).toContain('(windows-1252)');

    const stats = JSON.parse((await civitas(['harm', 'stats', '--format', 'json'])).stdout);
    expect(stats).toMatchObject({ incidents: expected.events, reports: expected.events });
    expect(stats.killed.best).toBe(expected.civilians);
    expect(stats.killed.low).toBeLessThanOrEqual(stats.killed.best);
    expect(stats.killed.high).toBeGreaterThanOrEqual(stats.killed.best);
    expect(Object.keys(stats.injured).sort()).toEqual(['best', 'high', 'low']);
    for (const group of ['byMonth', 'byArea', 'byCause', 'byAttribution', 'byWeek']) {
      const sum = (stats[group] as { killed: { best: number } }[]).reduce(
        (a, g) => a + g.killed.best,
        0,
      );
      expect(sum, group).toBe(expected.civilians);
    }

    const window = fromFile(MESSY, '2022-09-01', '2022-09-30');
    const september = JSON.parse(
      (await civitas(['harm', 'stats', '--from', '2022-09-01', '--to', '2022-09-30'])).stdout,
    );
    expect(september.incidents).toBe(window.events);
    expect(september.killed.best).toBe(window.civilians);

    const again = await civitas(['harm', 'import', MESSY, '--format', 'ucdp']);
    expect(again.stdout).toContain(`0 new, ${expected.events} already known`);
    const csv = (await civitas(['harm', 'stats', '--format', 'csv'])).stdout;
    const [marking, header, total] = csv.split('\r\n');
    expect(marking).toContain('NATO UNCLASSIFIED');
    expect(header).toBe(
      'group,key,incidents,reports,killed_low,killed_best,killed_high,injured_low,injured_best,injured_high',
    );
    expect(total!.split(',').slice(0, 3)).toEqual(['total', 'all', String(expected.events)]);
    const rows = csv.split('\r\n').map((l) => l.split(','));
    // UCDP gives no breakdown: every civilian killed is UNRECORDED by sex and by age.
    for (const group of ['sex', 'age']) {
      const unrecorded = rows.find((r) => r[0] === group && r[1] === 'UNRECORDED')!;
      expect(unrecorded[5], group).toBe(String(expected.civilians));
    }
    expect(rows.filter((r) => r[0] === 'week').length).toBeGreaterThan(10);
  });

  it('should export HXL and GeoJSON that import again with the same figures, and import UCDP GeoJSON', async () => {
    const hxl = join(dir, 'export.hxl.csv');
    const res = await civitas([
      'harm',
      'export',
      '--format',
      'hxl',
      '--from',
      '2022-09-01',
      '--to',
      '2022-09-30',
      '--out',
      hxl,
    ]);
    expect(res.code).toBe(0);
    const window = fromFile(MESSY, '2022-09-01', '2022-09-30');
    expect(res.stdout).toContain(`Exported ${window.events} incident(s)`);
    const [marking, , tags] = readFileSync(hxl, 'utf8').split('\r\n');
    expect(marking).toContain('NATO UNCLASSIFIED');
    expect(tags).toContain('#affected+killed');

    const other = join(dir, 'other.db');
    const elsewhere = (args: string[]) => runCivitas([...args, '--db', other], { keyFile });
    expect((await elsewhere(['init'])).code).toBe(0);
    expect(
      (await elsewhere(['harm', 'import', hxl, '--format', 'hxl', '--source', 'export'])).code,
    ).toBe(0);
    const stats = JSON.parse((await elsewhere(['harm', 'stats'])).stdout);
    expect(stats).toMatchObject({ incidents: window.events });
    expect(stats.killed.best).toBe(window.civilians);

    const geojson = join(dir, 'export.geojson');
    expect((await civitas(['harm', 'export', '--format', 'geojson', '--out', geojson])).code).toBe(
      0,
    );
    const features = (JSON.parse(readFileSync(geojson, 'utf8')) as { features: unknown[] })
      .features;
    expect(features.length).toBe(fromFile(MESSY).events);

    const car = sharedData('ucdp-ged-car', 'ged231_caf.geojson');
    const imported = await elsewhere(['harm', 'import', car, '--format', 'geojson']);
    expect(imported.stderr).toBe('');
    const events = (JSON.parse(readFileSync(car, 'utf8')) as { features: { properties: Row }[] })
      .features;
    expect(imported.stdout).toContain(`Imported ${events.length} of ${events.length} row(s)`);
    const after = JSON.parse(
      (
        await elsewhere([
          'harm',
          'stats',
          '--from',
          '1989-01-01',
          '--to',
          '2022-12-31',
          '--area',
          'x-none',
        ])
      ).stdout,
    );
    expect(after.incidents).toBe(0);
    const all = JSON.parse((await elsewhere(['harm', 'stats'])).stdout);
    expect(all.incidents).toBe(window.events + events.length);
    expect(all.killed.best).toBe(
      window.civilians + events.reduce((a, e) => a + Number(e.properties.deaths_civilians), 0),
    );
  });
});
