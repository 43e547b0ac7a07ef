import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/role.js';
import type { Actor } from '../../src/domain/access/user.js';
import { newHarmReportSchema } from '../../src/domain/harm/harm.js';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import type { Classification, Marking, Releasability } from '../../src/domain/taxonomy/index.js';
import { haversineMetres } from '../../src/geo/index.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import {
  incidentObjects,
  incidentScreenings,
  listLessons,
  raiseLesson,
  reportObjects,
  SCREENING_LINK_RULE,
} from '../../src/service/harm/harm-links.service.js';
import { createReport } from '../../src/service/harm/harm.service.js';
import { createObject } from '../../src/service/register/object.service.js';
import { createScreening } from '../../src/service/screening/register-screening.service.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';

const system = systemActor('harm-links-test');
const OPEN: Marking = { classification: 'NU', releasability: ['PUBLIC'] };
const SECRET: Marking = { classification: 'NS', releasability: ['NATO'] };
const MARKET = { lon: 36.2304, lat: 49.9935 };

describe.each(testDatabases())('harm links on $name', (database) => {
  let store: Store;
  let deps: ServiceDeps;
  let dispose: () => Promise<void>;
  let clock: number;
  let n = 0;

  async function as(role: Role, clearance: Classification, orgs: Releasability[]): Promise<Actor> {
    n += 1;
    const { user } = await createUser(deps, system, {
      username: `${role}-${n}`,
      role,
      clearance,
      organisations: orgs,
      fullName: `Test ${n}`,
      contact: 'x',
      password: 'a long test pass phrase 4 civitas-free',
    });
    const fresh = (await store.users.get(user.id))!;
    return { kind: 'user', id: fresh.id, user: fresh, via: 'session', scopes: ['write'] };
  }

  const report = (overrides: Record<string, unknown> = {}) =>
    createReport(
      deps,
      system,
      newHarmReportSchema.parse({
        sourceType: 'LOCAL-POPULATION',
        reliability: 'C',
        sourceName: 'intake',
        receivedAt: '2024-03-06T09:00:00Z',
        location: { ...MARKET, precision: 'NEAR', adminCode: 'UA63', place: 'Market' },
        date: { start: '2024-03-05', end: '2024-03-05', precision: 'DAY' },
        narrative: { confidential: '', releasable: 'Strike near the market' },
        killed: { low: 2, best: 3, high: 4 },
        injured: { low: 5, best: 6, high: 9 },
        cause: 'AIR-STRIKE',
        suspectedParty: 'UNKNOWN',
        marking: OPEN,
        ...overrides,
      }),
    );

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
    clock = Date.parse('2024-03-11T10:00:00Z');
    deps = { ...defaultDeps(store), now: () => new Date(clock).toISOString() };
  });
  afterEach(async () => dispose());

  const screen = (
    title: string,
    aimpoints: { lon: number; lat: number; radius_m: number }[],
    marking = OPEN,
  ) =>
    createScreening(deps, system, {
      title,
      aimpoints: aimpoints.map((a, i) => ({
        id: `${title}-${i}`,
        ...a,
        input: `${a.lat}, ${a.lon}`,
      })),
      marking,
    });

  it('links screenings whose aimpoint reaches the incident and whose time fits, respecting markings', async () => {
    clock = Date.parse('2024-02-20T10:00:00Z');
    // 1 km north of the market: within NEAR's 25 km; another 40 km away (beyond 25 + 1 + 0.5 km).
    const north = { lon: MARKET.lon, lat: MARKET.lat + 1 / 111.2 };
    const far = { lon: MARKET.lon, lat: MARKET.lat + 40 / 111.2 };
    await screen('fits', [
      { ...north, radius_m: 500 },
      { ...far, radius_m: 500 },
    ]);
    await screen('hidden', [{ ...north, radius_m: 100 }], SECRET);
    clock = Date.parse('2023-10-01T00:00:00Z'); // more than 90 days before the incident
    await screen('too-early', [{ ...north, radius_m: 100 }]);
    clock = Date.parse('2024-03-10T00:00:00Z'); // after the incident's last day + 1
    await screen('too-late', [{ ...north, radius_m: 100 }]);
    clock = Date.parse('2024-03-11T00:00:00Z');
    const incident = (await report()).incidentId;

    const open = await as('targeting-officer', 'NR', ['NATO']);
    const linked = await incidentScreenings(deps, open, incident);
    expect(linked.rule).toMatchObject({ precisionRadiusKm: 25, ...SCREENING_LINK_RULE });
    expect(linked.reported.killed).toEqual({ low: 2, best: 3, high: 4 });
    expect(linked.items.map((i) => i.title)).toEqual(['fits']);
    const [aimpoint] = linked.items[0]!.aimpoints;
    expect(linked.items[0]!.aimpoints).toHaveLength(1);
    expect(aimpoint!.distanceM).toBe(
      Math.round(haversineMetres(north.lon, north.lat, MARKET.lon, MARKET.lat)),
    );
    expect(aimpoint!.estimated).toMatchObject({ hits: 0, withheldHits: 0 });

    const cleared = await as('targeting-officer', 'NS', ['NATO']);
    const all = await incidentScreenings(deps, cleared, incident);
    expect(all.items.map((i) => i.title).sort()).toEqual(['fits', 'hidden']);

    const noScreening = await as('viewer', 'NS', ['NATO']);
    await expect(incidentScreenings(deps, noScreening, incident)).rejects.toSatisfy((e: unknown) =>
      CivitasError.is(e, 'forbidden'),
    );
  });

  it('matches damaged objects to the register by id or nearest, never to an object the reader may not see', async () => {
    const object = (
      name: string,
      lon: number,
      lat: number,
      marking: Marking,
      category = 'education',
    ) =>
      createObject(deps, system, {
        name,
        category: category as 'education',
        protection: 'hague-general',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        bufferMetres: 50,
        source: 'test',
        sourceRef: name,
        topics: ['PoC'],
        marking,
        lists: [{ list: 'NSL' }],
      });
    const school = await object('School 12', MARKET.lon + 0.001, MARKET.lat, OPEN);
    await object('Hospital', MARKET.lon + 0.0005, MARKET.lat, OPEN, 'medical');
    const secretSchool = await object('Secret school', MARKET.lon + 0.0002, MARKET.lat, SECRET);
    const r = await report({
      location: { ...MARKET, precision: 'EXACT', adminCode: 'UA63', place: 'Market' },
      damagedObjects: [
        {
          description: 'School roof destroyed',
          category: 'education',
          lon: MARKET.lon,
          lat: MARKET.lat,
        },
        { description: 'Clinic by its register id', objectId: school.id },
        { description: 'Shop far away', lon: MARKET.lon + 0.1, lat: MARKET.lat },
      ],
    });
    const reader = await as('cimic-officer', 'NR', ['NATO']);
    const matches = await reportObjects(deps, reader, r.id);
    expect(matches.map((m) => [m.index, m.match?.objectId ?? null, m.match?.by ?? null])).toEqual([
      [0, school.id, 'nearest'],
      [1, school.id, 'id'],
      [2, null, null],
    ]);
    expect(matches[0]!.match!.distanceM).toBe(
      Math.round(haversineMetres(MARKET.lon, MARKET.lat, MARKET.lon + 0.001, MARKET.lat)),
    );
    const cleared = await as('hs-adviser', 'NS', ['NATO']);
    const seen = await incidentObjects(deps, cleared, r.incidentId);
    expect(seen[0]!.match!.objectId).toBe(secretSchool.id);
  });

  it('raises lessons from an incident, listed by marking', async () => {
    const incident = (await report()).incidentId;
    const author = await as('hs-adviser', 'NS', ['NATO']);
    await raiseLesson(deps, author, incident, {
      title: 'Market days',
      observation: 'Strikes near markets on market days harm most.',
      marking: OPEN,
    });
    await raiseLesson(deps, author, incident, {
      title: 'Secret lesson',
      observation: 'Targeting cell detail.',
      marking: SECRET,
    });
    const reader = await as('cimic-officer', 'NR', ['NATO']);
    const page = await listLessons(deps, reader, incident, { limit: 10, offset: 0 });
    expect(page.items.map((l) => l.title)).toEqual(['Market days']);
    expect((await listLessons(deps, author, null, { limit: 10, offset: 0 })).total).toBe(2);
    await expect(
      raiseLesson(deps, reader, incident, { title: 'x', observation: 'y', marking: SECRET }),
    ).rejects.toSatisfy((e: unknown) => CivitasError.is(e, 'validation_failed'));
    const audit = await store.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'harm_lesson.create')
      .execute();
    expect(audit).toHaveLength(2);
  });
});
