import type { Polygon } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newHarmReportSchema } from '../../src/domain/harm/harm.js';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import { haversineMetres } from '../../src/geo/index.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import { importHarm } from '../../src/service/harm/harm-import.service.js';
import { createReport } from '../../src/service/harm/harm.service.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';

const system = systemActor('harm-admin-test');
/** A square oblast: 35–38°E, 49–50.5°N. */
const OBLAST: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [35, 49],
      [38, 49],
      [38, 50.5],
      [35, 50.5],
      [35, 49],
    ],
  ],
};
/** 0.09° north of the northern edge: about 10 km outside. */
const OUTSIDE = { lon: 36.5, lat: 50.59 };
const OUTSIDE_KM = haversineMetres(OUTSIDE.lon, OUTSIDE.lat, OUTSIDE.lon, 50.5) / 1000;

describe.each(testDatabases())('coordinates outside the stated admin area on $name', (database) => {
  let store: Store;
  let deps: ServiceDeps;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
    deps = defaultDeps(store);
    await store.areas.insertArea({
      id: 'ao',
      name: 'AO',
      description: '',
      exercise: true,
      marking: { classification: 'NU', releasability: ['PUBLIC'] },
      source: 'test',
      outline: OBLAST,
      bbox: [35, 49, 38, 50.5],
      createdAt: '2024-01-01T00:00:00Z',
      createdBy: 'test',
    });
    await store.areas.insertRegions([
      {
        id: 'r63',
        areaId: 'ao',
        name: 'Kharkivska',
        code: 'UA63',
        source: 'test',
        geometry: OBLAST,
      },
    ]);
  });
  afterEach(async () => dispose());

  const file = (point: { lon: number; lat: number }, precision: string, adminCode: string) =>
    createReport(
      deps,
      system,
      newHarmReportSchema.parse({
        sourceType: 'MEDIA',
        reliability: 'C',
        sourceName: 'intake',
        receivedAt: '2024-03-06T09:00:00Z',
        location: { ...point, precision, adminCode },
        date: { start: '2024-03-05', end: '2024-03-05', precision: 'DAY' },
        narrative: { confidential: '', releasable: '' },
        killed: { low: 1, best: 1, high: 1 },
        injured: { low: 0, best: 0, high: 0 },
        cause: 'ARTILLERY',
        suspectedParty: 'UNKNOWN',
        marking: { classification: 'NU', releasability: ['PUBLIC'] },
      }),
    );

  it('accepts a point inside, warns within the precision, rejects beyond it', async () => {
    expect((await file({ lon: 36.2, lat: 49.99 }, 'EXACT', 'UA63')).warnings).toEqual([]);
    expect(OUTSIDE_KM).toBeGreaterThan(2);
    expect(OUTSIDE_KM).toBeLessThan(25);
    const near = await file(OUTSIDE, 'NEAR', 'UA63');
    expect(near.warnings).toEqual([
      expect.objectContaining({ code: 'outside_admin_area', path: 'location' }),
    ]);
    // The edge is a great-circle arc, which bows north of the parallel: a little under 10 km.
    const km = Number(/lies ([0-9.]+) km outside UA63/.exec(near.warnings[0]!.message)?.[1]);
    expect(km).toBeGreaterThan(2);
    expect(km).toBeLessThanOrEqual(Math.round(OUTSIDE_KM * 10) / 10);
    await expect(file(OUTSIDE, 'EXACT', 'UA63')).rejects.toSatisfy(
      (e: unknown) =>
        CivitasError.is(e, 'harm_report_invalid') &&
        e.problems.some(
          (p) => p.path === 'body.location' && /outside its stated admin area UA63/.test(p.message),
        ),
    );
    // An area Civitas has no outline for is not checked.
    expect((await file(OUTSIDE, 'EXACT', 'UA14')).warnings).toEqual([]);
  });

  it('rejects such a row in an HXL import, naming its line', async () => {
    const csv = [
      '#meta+id,#date,#geo+lat,#geo+lon,#adm1+code,#affected+killed',
      'H1,2023-04-02,49.9,36.2,UA63,2',
      `H2,2023-04-03,${OUTSIDE.lat},${OUTSIDE.lon},UA63,1`,
    ].join('\n');
    await expect(
      importHarm(deps, system, Buffer.from(csv), { format: 'hxl', source: 'ngo' }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        CivitasError.is(e, 'harm_import_invalid') &&
        e.problems.some((p) => p.path === 'line 3 field location'),
    );
  });
});
