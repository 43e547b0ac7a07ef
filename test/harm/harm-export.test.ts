import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/role.js';
import type { Actor } from '../../src/domain/access/user.js';
import { newHarmReportSchema } from '../../src/domain/harm/harm.js';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import type { Classification, Releasability } from '../../src/domain/taxonomy/index.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import { exportHarm } from '../../src/service/harm/harm-export.service.js';
import { importHarm } from '../../src/service/harm/harm-import.service.js';
import { createReport, harmStats, listIncidents } from '../../src/service/harm/harm.service.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';
import { sharedData } from '../helpers/shared-data.js';

const system = systemActor('harm-export-test');
const CAR = sharedData('ucdp-ged-car', 'ged231_caf.geojson');
const CONTACT = 'Reporter +236-555-0199 (teacher)';
const SECRET = 'confidential: the informant saw the patrol';

function report(n: number, overrides: Record<string, unknown> = {}) {
  return newHarmReportSchema.parse({
    sourceType: 'PARTNER-NGO-IO',
    reliability: 'B',
    sourceName: 'ngo',
    sourceRef: `N-${n}`,
    receivedAt: '2024-05-02T10:00:00Z',
    reporterContact: CONTACT,
    location: {
      lon: -12.5 - n / 10, // west of Greenwich: negative longitudes must survive CSV
      lat: 8.4 + n / 10,
      precision: 'EXACT',
      adminCode: n % 2 === 0 ? 'SL01' : 'SL02',
      place: `Village ${n}`,
    },
    date: { start: `2024-04-0${n}`, end: `2024-04-0${n}`, precision: 'DAY' },
    narrative: { confidential: SECRET, releasable: `Shelling of village ${n}` },
    killed: { low: n, best: n + 1, high: n + 3 },
    injured: { low: 1, best: 2 * n, high: 3 * n },
    killedBreakdown: { sex: { FEMALE: 1, MALE: n }, age: { CHILD: 1 } },
    injuredBreakdown: { sex: { FEMALE: n }, age: {} },
    cause: 'ARTILLERY',
    suspectedParty: 'UNKNOWN',
    marking: { classification: 'NU', releasability: ['PUBLIC'] },
    ...overrides,
  });
}

describe.each(testDatabases())('harm export on $name', (database) => {
  let store: Store;
  let other: Store;
  let deps: ServiceDeps;
  let otherDeps: ServiceDeps;
  const disposers: (() => Promise<void>)[] = [];
  let n = 0;

  async function as(
    role: Role,
    clearance: Classification,
    organisations: Releasability[],
  ): Promise<Actor> {
    n += 1;
    const { user } = await createUser(deps, system, {
      username: `${role}-${n}`,
      role,
      clearance,
      organisations,
      fullName: `Test ${n}`,
      contact: 'x',
      password: 'a long test pass phrase 4 civitas-free',
    });
    const fresh = (await store.users.get(user.id))!;
    return { kind: 'user', id: fresh.id, user: fresh, via: 'session', scopes: ['write'] };
  }

  beforeEach(async () => {
    const a = await database.open();
    const b = await database.open();
    store = a.store;
    other = b.store;
    disposers.push(a.dispose, b.dispose);
    deps = defaultDeps(store);
    otherDeps = defaultDeps(other);
  });
  afterEach(async () => {
    for (const d of disposers.splice(0)) await d();
  });

  it('exports what the caller may see, never contact, confidential narrative or names, and HXL re-imports', async () => {
    for (let i = 1; i <= 4; i += 1) await createReport(deps, system, report(i));
    // Above an NATO RESTRICTED reader, and one not releasable to a reader outside the EU.
    await createReport(
      deps,
      system,
      report(5, { marking: { classification: 'NS', releasability: ['NATO'] } }),
    );
    await createReport(
      deps,
      system,
      report(6, { marking: { classification: 'NU', releasability: ['EU'] } }),
    );
    const reader = await as('cimic-officer', 'NR', ['UN']);

    const csv = await exportHarm(deps, reader, { format: 'csv', filter: {} });
    expect(csv.body).not.toContain(CONTACT);
    expect(csv.body).not.toContain(SECRET);
    const rows = parse(csv.body, { from_line: 2, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.place).sort()).toEqual([
      'Village 1',
      'Village 2',
      'Village 3',
      'Village 4',
    ]);
    expect(rows.find((r) => r.place === 'Village 2')).toMatchObject({
      lon: String(-12.5 - 0.2),
      killed_low: '2',
      killed_best: '3',
      killed_high: '5',
      killed_f: '1',
      killed_m: '2',
      killed_children: '1',
      injured_f: '2',
    });
    expect(csv.body.split('\r\n')[0]).toMatch(/UNCLASSIFIED/);

    const hxl = await exportHarm(deps, reader, { format: 'hxl', filter: { area: 'SL02' } });
    expect(hxl.incidents).toBe(2);
    const imported = await importHarm(otherDeps, systemActor('other'), Buffer.from(hxl.body), {
      format: 'hxl',
      source: 'civitas-export',
    });
    expect(imported).toMatchObject({ inserted: 2, rejectedRows: 0 });
    const original = await harmStats(deps, reader, { area: 'SL02' });
    const again = await harmStats(otherDeps, systemActor('other'), {});
    expect(again.incidents).toBe(original.incidents);
    expect(again.killed.best).toBe(original.killed.best);
    expect(again.injured.best).toBe(original.injured.best);
    for (const key of ['FEMALE', 'MALE']) {
      expect(again.bySex.find((g) => g.key === key)!.killed.best).toBe(
        original.bySex.find((g) => g.key === key)!.killed.best,
      );
    }
    expect(again.byAge.find((g) => g.key === 'CHILD')!.killed.best).toBe(
      original.byAge.find((g) => g.key === 'CHILD')!.killed.best,
    );
    const places = (
      await listIncidents(otherDeps, systemActor('other'), {}, { limit: 10, offset: 0 })
    ).items.map((i) => [i.location.lon, i.location.lat, i.location.adminCode, i.date.start]);
    expect(places.sort()).toEqual(
      [1, 3].map((k) => [-12.5 - k / 10, 8.4 + k / 10, 'SL02', `2024-04-0${k}`]).sort(),
    );

    // The export is audited; a role without export permission is refused.
    const audit = await store.db
      .selectFrom('audit_event')
      .select(['action'])
      .where('action', '=', 'harm_incident.export')
      .execute();
    expect(audit).toHaveLength(2);
    const targeting = await as('targeting-officer', 'NS', ['NATO']);
    await expect(exportHarm(deps, targeting, { format: 'csv', filter: {} })).rejects.toSatisfy(
      (e: unknown) => CivitasError.is(e, 'forbidden'),
    );
  });

  it('exports UCDP GeoJSON that re-imports with the same figures and places', async () => {
    await importHarm(deps, system, readFileSync(CAR), { format: 'geojson' });
    const filter = { from: '2020-01-01' };
    const file = await exportHarm(deps, system, { format: 'geojson', filter });
    const doc = JSON.parse(file.body) as {
      marking: string;
      features: { properties: Record<string, unknown> }[];
    };
    expect(doc.features.length).toBe(file.incidents);
    expect(file.incidents).toBeGreaterThan(100);
    expect(JSON.stringify(doc.features[0]!.properties.reports)).not.toContain('reporterContact');
    await importHarm(otherDeps, systemActor('other'), Buffer.from(file.body), {
      format: 'geojson',
    });
    const original = await harmStats(deps, system, filter);
    const again = await harmStats(otherDeps, systemActor('other'), {});
    expect(again.incidents).toBe(original.incidents);
    expect(again.killed).toEqual(original.killed);
    expect(again.byMonth).toEqual(original.byMonth);
  });
});
