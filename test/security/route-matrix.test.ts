import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_ROLE_PERMISSIONS,
  type Action,
  type RecordType,
} from '../../src/domain/access/permission.js';
import { Role } from '../../src/domain/access/role.js';
import type { User } from '../../src/domain/access/user.js';
import { canSee, type Viewer } from '../../src/domain/access/viewer.js';
import type { Marking } from '../../src/domain/taxonomy/index.js';
import { createArea } from '../../src/service/area/area.service.js';
import { issueToken } from '../../src/service/auth/auth.service.js';
import { systemActor } from '../../src/service/deps.js';
import { createFactor } from '../../src/service/factor/factor.service.js';
import { createObject } from '../../src/service/register/object.service.js';
import { putEffectClass } from '../../src/service/screening/effect-class.service.js';
import { createScreening } from '../../src/service/screening/register-screening.service.js';
import {
  addCasualty,
  createReport,
  createResponse,
  mergeIncidents,
} from '../../src/service/harm/harm.service.js';
import { newHarmReportSchema } from '../../src/domain/harm/harm.js';
import { testDatabases } from '../helpers/databases.js';
import { buildTestApp, TEST_PASSWORD, type TestApp, type TestUserSpec } from '../helpers/app.js';

/**
 * The route × role matrix (R01–R04): every API route, for every role and for no user at all,
 * against records inside and outside the caller's marking and compartment. The expected outcome
 * comes from the permission seed (ROLE_PERMISSIONS) and the visibility rule (canSee): the
 * specification as data. The server answers from its database tables and SQL filters.
 * A route without a row here fails the test, so a new route cannot ship unreviewed.
 */

const system = systemActor('matrix');
const outline = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [20, 5],
      [21, 5],
      [21, 6],
      [20, 5],
    ],
  ],
};

const SPECS: Record<Role, TestUserSpec> = {
  admin: { role: 'admin', clearance: 'NS' },
  'hs-adviser': { role: 'hs-adviser', clearance: 'NS', compartments: ['CRSV', 'CHILD-IDENTITY'] },
  'cimic-officer': { role: 'cimic-officer', clearance: 'NR' },
  'targeting-officer': { role: 'targeting-officer', clearance: 'NS' },
  'legal-adviser': { role: 'legal-adviser', clearance: 'NS' },
  analyst: { role: 'analyst', clearance: 'NC', compartments: ['CHILD-IDENTITY'] },
  trainer: { role: 'trainer', clearance: 'NR' },
  partner: { role: 'partner', clearance: 'NU', organisations: ['UN'] },
  viewer: { role: 'viewer', clearance: 'NU' },
};

const can = (role: Role, type: RecordType, action: Action) =>
  (ALL_ROLE_PERMISSIONS[role][type] ?? []).includes(action);

interface Caller {
  readonly role: Role | 'anonymous';
  readonly user?: User;
  readonly cookie?: string;
}

type Target = 'open' | 'hidden';

interface Row {
  readonly method: string;
  readonly url: string;
  /** Builds the request for one caller and target; may create fresh records (writes are destructive). */
  request(
    caller: Caller,
    target: Target,
  ): Promise<{ url: string; payload?: unknown; headers?: Record<string, string> }>;
  /** The status this caller must get for this target. */
  expect(caller: Caller & { role: Role }, target: Target): number;
  /** Optional extra check of the body. */
  check?(caller: Caller & { role: Role }, target: Target, body: unknown): void;
}

function viewerOf(user: User): Viewer {
  return {
    clearance: user.clearance,
    organisations: user.organisations,
    compartments: user.compartments,
  };
}

describe.each(testDatabases())('route × role matrix on $name', (database) => {
  let t: TestApp;
  const callers: (Caller & { role: Role })[] = [];
  const fixtures = {} as {
    areaOpen: string;
    areaSecret: string;
    factorOpen: string;
    factorCrsv: string;
    factorSecret: string;
    markings: Record<string, { marking: Marking; compartment: 'CRSV' | null }>;
    analyst: User;
    objectOpen: string;
    objectSecret: string;
    releaseOpen: string;
    releaseSecret: string;
    screeningOpen: string;
    screeningSecret: string;
    harmOpen: { id: string; incidentId: string };
    harmSecret: { id: string; incidentId: string };
  };

  /** A harm report (with an incident of its own) of a given marking and admin area code. */
  const newHarm = async (marking: Marking) =>
    createReport(
      t.deps,
      system,
      newHarmReportSchema.parse({
        sourceType: 'LOCAL-POPULATION',
        reliability: 'C',
        sourceName: 'matrix',
        receivedAt: '2024-03-06T09:00:00Z',
        reporterContact: 'reporter phone +380-000-REPORTER',
        location: {
          lon: 20.5,
          lat: 5.5,
          precision: 'EXACT',
          adminCode: marking.classification === 'NS' ? 'SECRET-AREA' : 'OPEN-AREA',
        },
        date: { start: '2024-03-05', end: '2024-03-05', precision: 'DAY' },
        narrative: { confidential: 'confidential account', releasable: 'r' },
        killed: { low: 1, best: 1, high: 2 },
        injured: { low: 0, best: 0, high: 0 },
        cause: 'ARTILLERY',
        suspectedParty: 'UNKNOWN',
        marking,
      }),
    );
  const harmMarking = (target: Target) => (target === 'open' ? open : secret);
  const harmVisible = (c: Caller & { role: Role }, target: Target) =>
    canSee(viewerOf(c.user!), harmMarking(target), null);
  const harmFixture = (target: Target) =>
    target === 'open' ? fixtures.harmOpen : fixtures.harmSecret;
  /** !can → 403, else visible → ok, else 404. */
  const harmStatus = (
    c: Caller & { role: Role },
    target: Target,
    type: RecordType,
    action: Action,
    ok: number,
  ) => (!can(c.role, type, action) ? 403 : harmVisible(c, target) ? ok : 404);
  const newCandidate = async (target: Target) => {
    const [a, b] = [await newHarm(harmMarking(target)), await newHarm(harmMarking(target))];
    const id = randomUUID();
    await t.store.harm.insertCandidates([
      {
        id,
        reportA: a.id,
        reportB: b.id,
        score: 1,
        distanceKm: 0,
        dayGap: 0,
        status: 'open',
        decidedAt: null,
        decidedBy: null,
      },
    ]);
    return id;
  };

  const newObject = async (marking: Marking) =>
    (
      await createObject(t.deps, system, {
        name: `object ${randomUUID()}`,
        category: 'medical',
        protection: 'geneva-medical',
        geometry: { type: 'Point', coordinates: [20.5, 5.5] },
        bufferMetres: 100,
        source: 'matrix',
        sourceRef: randomUUID(),
        topics: ['PoC'],
        marking,
        lists: [{ list: 'NSL' }],
      })
    ).id;

  /** A release row of a given marking and status, authored by someone other than the callers. */
  const newRelease = async (marking: Marking, status: 'draft' | 'review') => {
    const id = randomUUID();
    await t.store.releases.insert(
      {
        id,
        number: null,
        status,
        title: 'matrix',
        author: fixtures.analyst.id,
        approver: null,
        marking,
        objectCount: 0,
        createdAt: new Date().toISOString(),
        submittedAt: null,
        releasedAt: null,
      },
      [],
    );
    return id;
  };

  const newFactor = async (
    marking: Marking,
    compartment: 'CRSV' | null,
    areaId = fixtures.areaOpen,
  ) =>
    (
      await createFactor(t.deps, system, areaId, {
        regionId: null,
        pmesii: 'SOCIAL',
        ascope: 'PEOPLE',
        topics: compartment ? ['CRSV'] : ['PoC'],
        title: `factor ${randomUUID()}`,
        summary: 's',
        details: 'd',
        marking,
        compartment,
      })
    ).id;

  const open: Marking = { classification: 'NU', releasability: ['UN'] };
  const secret: Marking = { classification: 'NS', releasability: [] };

  beforeAll(async () => {
    t = await buildTestApp(database);
    fixtures.areaOpen = (
      await createArea(t.deps, system, {
        name: 'AO OPEN',
        description: '',
        exercise: true,
        marking: open,
        source: 't',
        outline,
      })
    ).id;
    fixtures.areaSecret = (
      await createArea(t.deps, system, {
        name: 'AO SECRET',
        description: '',
        exercise: true,
        marking: secret,
        source: 't',
        outline,
      })
    ).id;
    fixtures.factorOpen = await newFactor(open, null);
    fixtures.factorCrsv = await newFactor(open, 'CRSV');
    fixtures.factorSecret = await newFactor(secret, null);
    fixtures.analyst = await t.user({
      role: 'analyst',
      clearance: 'NR',
      username: 'matrix-target',
    });
    fixtures.objectOpen = await newObject(open);
    fixtures.objectSecret = await newObject(secret);
    fixtures.releaseOpen = await newRelease(open, 'draft');
    fixtures.releaseSecret = await newRelease(secret, 'draft');
    // Screenings far from every object, so their markings stay as given.
    const screen = async (marking: Marking) =>
      (
        await createScreening(t.deps, system, {
          title: 'matrix',
          aimpoints: [{ id: 'A1', lon: -40, lat: -10, radius_m: 100, input: '-10, -40' }],
          marking,
        })
      ).header.id;
    fixtures.screeningOpen = await screen(open);
    fixtures.screeningSecret = await screen(secret);
    fixtures.harmOpen = await newHarm(open);
    fixtures.harmSecret = await newHarm(secret);
    for (const target of ['open', 'hidden'] as const) {
      await addCasualty(t.deps, system, harmFixture(target).incidentId, {
        name: 'Casualty Name-Matrix',
        sex: 'FEMALE',
        ageYears: 30,
        civilianStatus: 'CIVILIAN',
        outcome: 'KILLED',
      });
    }
    for (const role of Role.codes) {
      const { user, cookie } = await t.signIn(SPECS[role]);
      callers.push({ role, user, cookie });
    }
  });
  afterAll(async () => {
    await t.dispose();
  });

  const areaVisible = (c: Caller & { role: Role }, target: Target) =>
    canSee(viewerOf(c.user!), target === 'open' ? open : secret, null);

  /** Factor targets: `open` is releasable to UN; `hidden` is CRSV-compartmented for most, NS for others. */
  const factorFor = async (c: Caller, target: Target, fresh: boolean) => {
    if (target === 'open') return fresh ? newFactor(open, null) : fixtures.factorOpen;
    const inCrsv = c.user?.compartments.includes('CRSV') ?? false;
    // For CRSV members the hidden record is the NS one only if their clearance is below NS.
    if (!inCrsv) return fresh ? newFactor(open, 'CRSV') : fixtures.factorCrsv;
    return fresh ? newFactor(secret, null) : fixtures.factorSecret;
  };
  const factorVisible = (c: Caller & { role: Role }, target: Target) => {
    if (target === 'open') return canSee(viewerOf(c.user!), open, null);
    const inCrsv = c.user!.compartments.includes('CRSV');
    return inCrsv
      ? canSee(viewerOf(c.user!), secret, null)
      : canSee(viewerOf(c.user!), open, 'CRSV');
  };
  const screeningOf = (target: Target) =>
    target === 'open' ? fixtures.screeningOpen : fixtures.screeningSecret;
  const readScreening = (suffix: string, action: 'read' | 'export'): Row => ({
    method: 'GET',
    url: `/api/screenings/:id${suffix}`,
    request: async (_c, target) => ({ url: `/api/screenings/${screeningOf(target)}${suffix}` }),
    expect: (c, target) =>
      !can(c.role, 'screening', 'read') || !can(c.role, 'screening', action)
        ? 403
        : canSee(viewerOf(c.user!), target === 'open' ? open : secret, null)
          ? 200
          : 404,
  });
  const areaOf = (target: Target) => (target === 'open' ? fixtures.areaOpen : fixtures.areaSecret);
  const readArea = (suffix: string): Row => ({
    method: 'GET',
    url: `/api/areas/:id${suffix}`,
    request: async (_c, target) => ({ url: `/api/areas/${areaOf(target)}${suffix}` }),
    expect: (c, target) => (areaVisible(c, target) ? 200 : 404),
  });

  const rows: Row[] = [
    {
      method: 'GET',
      url: '/api/areas',
      request: async () => ({ url: '/api/areas?limit=500' }),
      expect: () => 200,
      check: (c, _t, body) => {
        const ids = (body as { items: { id: string }[] }).items.map((a) => a.id);
        expect(ids.includes(fixtures.areaSecret)).toBe(areaVisible(c, 'hidden'));
        expect(ids.includes(fixtures.areaOpen)).toBe(areaVisible(c, 'open'));
      },
    },
    {
      method: 'POST',
      url: '/api/areas',
      request: async () => ({
        url: '/api/areas',
        payload: { name: 'AO NEW', marking: { classification: 'NU', releasability: [] }, outline },
      }),
      expect: (c) => (can(c.role, 'area', 'create') ? 201 : 403),
    },
    readArea(''),
    readArea('/regions'),
    readArea('/places'),
    readArea('/units'),
    {
      ...readArea('/factors'),
      check: (c, target, body) => {
        if (target !== 'open') return;
        const ids = (body as { items: { id: string }[] }).items.map((f) => f.id);
        expect(ids.includes(fixtures.factorCrsv)).toBe(c.user!.compartments.includes('CRSV'));
        expect(ids.includes(fixtures.factorSecret)).toBe(canSee(viewerOf(c.user!), secret, null));
      },
    },
    {
      ...readArea('/factors/matrix'),
      check: (c, target, body) => {
        if (target !== 'open') return;
        const restricted = (body as { restricted: { compartment: string; count: unknown }[] })
          .restricted;
        const crsv = restricted.find((r) => r.compartment === 'CRSV');
        if (c.user!.compartments.includes('CRSV') || !canSee(viewerOf(c.user!), open, null))
          expect(crsv).toBeUndefined();
        else expect(crsv?.count).toBe('<5');
      },
    },
    {
      method: 'GET',
      url: '/api/areas/:id/factors.csv',
      request: async (_c, target) => ({ url: `/api/areas/${areaOf(target)}/factors.csv` }),
      expect: (c, target) =>
        !areaVisible(c, target) ? 404 : can(c.role, 'factor', 'export') ? 200 : 403,
      check: (c, target, body) => {
        if (target === 'open' && typeof body === 'string')
          expect(body.includes(fixtures.factorCrsv)).toBe(c.user!.compartments.includes('CRSV'));
      },
    },
    {
      method: 'POST',
      url: '/api/areas/:id/factors',
      request: async (_c, target) => ({
        url: `/api/areas/${areaOf(target)}/factors`,
        payload: {
          pmesii: 'SOCIAL',
          ascope: 'AREAS',
          title: 'new',
          marking: { classification: 'NU', releasability: [] },
        },
      }),
      expect: (c, target) =>
        !can(c.role, 'factor', 'create') ? 403 : areaVisible(c, target) ? 201 : 404,
    },
    {
      method: 'GET',
      url: '/api/factors/:id',
      request: async (c, target) => ({ url: `/api/factors/${await factorFor(c, target, false)}` }),
      expect: (c, target) => (factorVisible(c, target) ? 200 : 404),
    },
    {
      method: 'PATCH',
      url: '/api/factors/:id',
      request: async (c, target) => ({
        url: `/api/factors/${await factorFor(c, target, true)}`,
        payload: { title: 'changed' },
      }),
      expect: (c, target) =>
        !can(c.role, 'factor', 'update') ? 403 : factorVisible(c, target) ? 200 : 404,
    },
    {
      method: 'DELETE',
      url: '/api/factors/:id',
      request: async (c, target) => ({ url: `/api/factors/${await factorFor(c, target, true)}` }),
      expect: (c, target) =>
        !can(c.role, 'factor', 'delete') ? 403 : factorVisible(c, target) ? 204 : 404,
    },
    {
      method: 'GET',
      url: '/api/objects',
      request: async () => ({ url: '/api/objects?limit=500' }),
      expect: () => 200,
      check: (c, _t, body) => {
        const ids = (body as { items: { id: string }[] }).items.map((o) => o.id);
        expect(ids.includes(fixtures.objectSecret)).toBe(canSee(viewerOf(c.user!), secret, null));
        expect(ids.includes(fixtures.objectOpen)).toBe(canSee(viewerOf(c.user!), open, null));
      },
    },
    {
      method: 'POST',
      url: '/api/objects',
      request: async () => ({
        url: '/api/objects',
        payload: {
          name: 'New clinic',
          category: 'medical',
          protection: 'geneva-medical',
          geometry: { type: 'Point', coordinates: [20.6, 5.6] },
          bufferMetres: 100,
          source: 'matrix',
          sourceRef: randomUUID(),
          topics: [],
          marking: { classification: 'NU', releasability: [] },
          lists: [],
        },
      }),
      expect: (c) => (can(c.role, 'protected_object', 'create') ? 201 : 403),
    },
    {
      method: 'POST',
      url: '/api/objects/import',
      request: async () => ({
        url: '/api/objects/import?format=ndjson&source=matrix',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: `${JSON.stringify({ id: randomUUID(), name: 'Imported school', category: 'education', lon: 20.7, lat: 5.7 })}\n`,
      }),
      expect: (c) =>
        can(c.role, 'protected_object', 'create') && can(c.role, 'protected_object', 'update')
          ? 200
          : 403,
    },
    {
      method: 'GET',
      url: '/api/objects/export',
      request: async () => ({ url: '/api/objects/export?format=geojson' }),
      expect: (c) => (can(c.role, 'protected_object', 'export') ? 200 : 403),
      check: (c, _t, body) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        expect(text.includes(fixtures.objectSecret)).toBe(canSee(viewerOf(c.user!), secret, null));
      },
    },
    {
      method: 'GET',
      url: '/api/objects/:id',
      request: async (_c, target) => ({
        url: `/api/objects/${target === 'open' ? fixtures.objectOpen : fixtures.objectSecret}`,
      }),
      expect: (c, target) =>
        canSee(viewerOf(c.user!), target === 'open' ? open : secret, null) ? 200 : 404,
    },
    {
      method: 'GET',
      url: '/api/objects/:id/history',
      request: async (_c, target) => ({
        url: `/api/objects/${target === 'open' ? fixtures.objectOpen : fixtures.objectSecret}/history`,
      }),
      expect: (c, target) =>
        canSee(viewerOf(c.user!), target === 'open' ? open : secret, null) ? 200 : 404,
    },
    {
      method: 'PATCH',
      url: '/api/objects/:id',
      request: async (_c, target) => ({
        url: `/api/objects/${await newObject(target === 'open' ? open : secret)}`,
        payload: { bufferMetres: 250 },
      }),
      expect: (c, target) =>
        !can(c.role, 'protected_object', 'update')
          ? 403
          : canSee(viewerOf(c.user!), target === 'open' ? open : secret, null)
            ? 200
            : 404,
    },
    {
      method: 'DELETE',
      url: '/api/objects/:id',
      request: async (_c, target) => ({
        url: `/api/objects/${await newObject(target === 'open' ? open : secret)}`,
      }),
      expect: (c, target) =>
        !can(c.role, 'protected_object', 'delete')
          ? 403
          : canSee(viewerOf(c.user!), target === 'open' ? open : secret, null)
            ? 204
            : 404,
    },
    {
      method: 'GET',
      url: '/api/releases',
      request: async () => ({ url: '/api/releases?limit=500' }),
      expect: () => 200,
      check: (c, _t, body) => {
        const ids = (body as { items: { id: string }[] }).items.map((r) => r.id);
        expect(ids.includes(fixtures.releaseSecret)).toBe(canSee(viewerOf(c.user!), secret, null));
      },
    },
    {
      method: 'POST',
      url: '/api/releases',
      request: async () => ({ url: '/api/releases', payload: { title: 'draft' } }),
      expect: (c) => (can(c.role, 'release', 'create') ? 201 : 403),
    },
    {
      method: 'GET',
      url: '/api/releases/:id',
      request: async (_c, target) => ({
        url: `/api/releases/${target === 'open' ? fixtures.releaseOpen : fixtures.releaseSecret}`,
      }),
      expect: (c, target) =>
        canSee(viewerOf(c.user!), target === 'open' ? open : secret, null) ? 200 : 404,
    },
    {
      method: 'GET',
      url: '/api/releases/:id/diff',
      request: async (_c, target) => ({
        url: `/api/releases/${target === 'open' ? fixtures.releaseOpen : fixtures.releaseSecret}/diff`,
      }),
      expect: (c, target) =>
        canSee(viewerOf(c.user!), target === 'open' ? open : secret, null) ? 200 : 404,
    },
    {
      method: 'POST',
      url: '/api/releases/:id/submit',
      request: async (_c, target) => ({
        url: `/api/releases/${await newRelease(target === 'open' ? open : secret, 'draft')}/submit`,
      }),
      expect: (c, target) =>
        !can(c.role, 'release', 'update')
          ? 403
          : canSee(viewerOf(c.user!), target === 'open' ? open : secret, null)
            ? 200
            : 404,
    },
    {
      method: 'POST',
      url: '/api/releases/:id/approve',
      request: async (_c, target) => ({
        url: `/api/releases/${await newRelease(target === 'open' ? open : secret, 'review')}/approve`,
      }),
      expect: (c, target) =>
        !can(c.role, 'release', 'approve')
          ? 403
          : canSee(viewerOf(c.user!), target === 'open' ? open : secret, null)
            ? 200
            : 404,
    },
    {
      method: 'GET',
      url: '/api/effect-classes',
      request: async () => ({ url: '/api/effect-classes' }),
      expect: (c) => (can(c.role, 'effect_class', 'read') ? 200 : 403),
    },
    {
      method: 'PUT',
      url: '/api/effect-classes/:code',
      request: async () => ({
        url: `/api/effect-classes/M${randomUUID().slice(0, 8).toUpperCase()}`,
        payload: { label: 'Matrix', radius_m: 50 },
      }),
      expect: (c) => (can(c.role, 'effect_class', 'update') ? 200 : 403),
    },
    {
      method: 'DELETE',
      url: '/api/effect-classes/:code',
      request: async () => {
        const code = `D${randomUUID().slice(0, 8).toUpperCase()}`;
        await putEffectClass(t.deps, system, code, { label: 'Doomed', radiusMetres: 10 });
        return { url: `/api/effect-classes/${code}` };
      },
      expect: (c) => (can(c.role, 'effect_class', 'delete') ? 204 : 403),
    },
    {
      method: 'POST',
      url: '/api/screenings/parse',
      request: async () => ({
        url: '/api/screenings/parse',
        payload: { text: 'T1 5.5N 20.5E 100' },
      }),
      expect: (c) => (can(c.role, 'screening', 'create') ? 200 : 403),
    },
    {
      method: 'POST',
      url: '/api/screenings',
      request: async () => ({
        url: '/api/screenings',
        payload: {
          title: 'matrix plan',
          aimpoints: [{ id: 'A1', lon: 20.5, lat: 5.5, radius_m: 100, input: '5.5N 20.5E' }],
          marking: { classification: 'NU', releasability: [] },
        },
      }),
      expect: (c) => (can(c.role, 'screening', 'create') ? 201 : 403),
    },
    {
      method: 'GET',
      url: '/api/screenings',
      request: async () => ({ url: '/api/screenings?limit=500' }),
      expect: (c) => (can(c.role, 'screening', 'read') ? 200 : 403),
      check: (c, _t, body) => {
        const ids = (body as { items: { id: string }[] }).items.map((s) => s.id);
        expect(ids.includes(fixtures.screeningSecret)).toBe(
          canSee(viewerOf(c.user!), secret, null),
        );
        expect(ids.includes(fixtures.screeningOpen)).toBe(canSee(viewerOf(c.user!), open, null));
      },
    },
    readScreening('', 'read'),
    readScreening('/flag-sheet.csv', 'export'),
    readScreening('/flag-sheet.pdf', 'export'),
    {
      method: 'GET',
      url: '/api/users',
      request: async () => ({ url: '/api/users' }),
      expect: (c) => (can(c.role, 'user', 'read') ? 200 : 403),
    },
    {
      method: 'POST',
      url: '/api/users',
      request: async () => ({
        url: '/api/users',
        payload: {
          username: `u-${randomUUID().slice(0, 8)}`,
          role: 'viewer',
          clearance: 'NU',
          fullName: 'New User',
        },
      }),
      expect: (c) => (can(c.role, 'user', 'create') ? 201 : 403),
    },
    {
      method: 'GET',
      url: '/api/users/:id',
      request: async (c, target) => ({
        url: `/api/users/${target === 'open' ? (c.user ?? fixtures.analyst).id : fixtures.analyst.id}`,
      }),
      expect: (c, target) => (target === 'open' || can(c.role, 'user', 'read') ? 200 : 403),
    },
    {
      method: 'PATCH',
      url: '/api/users/:id',
      request: async () => ({
        url: `/api/users/${fixtures.analyst.id}`,
        payload: { clearance: 'NR' },
      }),
      expect: (c) => (can(c.role, 'user', 'update') ? 200 : 403),
    },
    {
      method: 'POST',
      url: '/api/users/:id/compartments',
      request: async () => ({
        url: `/api/users/${fixtures.analyst.id}/compartments`,
        payload: { compartment: 'CHILD-IDENTITY' },
      }),
      expect: (c) => (can(c.role, 'user', 'update') ? 200 : 403),
    },
    {
      method: 'DELETE',
      url: '/api/users/:id/compartments/:compartment',
      request: async () => ({
        url: `/api/users/${fixtures.analyst.id}/compartments/CHILD-IDENTITY`,
      }),
      expect: (c) => (can(c.role, 'user', 'update') ? 200 : 403),
    },
    {
      method: 'GET',
      url: '/api/audit',
      request: async () => ({ url: '/api/audit' }),
      expect: (c) => (can(c.role, 'audit', 'read') ? 200 : 403),
    },
    {
      method: 'GET',
      url: '/api/audit/verify',
      request: async () => ({ url: '/api/audit/verify' }),
      expect: (c) => (can(c.role, 'audit', 'read') ? 200 : 403),
    },
    {
      method: 'GET',
      url: '/api/auth/me',
      request: async () => ({ url: '/api/auth/me' }),
      expect: () => 200,
      check: (c, _t, body) => expect((body as { role: string }).role).toBe(c.role),
    },
    {
      method: 'POST',
      url: '/api/auth/password',
      // A wrong current password: every signed-in role reaches the check, nothing changes.
      request: async () => ({
        url: '/api/auth/password',
        payload: { current: 'not the password', next: 'another long pass phrase 77' },
      }),
      expect: () => 400,
    },
    {
      method: 'GET',
      url: '/api/auth/tokens',
      request: async () => ({ url: '/api/auth/tokens' }),
      expect: () => 200,
    },
    {
      method: 'POST',
      url: '/api/auth/tokens',
      request: async () => ({
        url: '/api/auth/tokens',
        payload: { name: 'script', scopes: ['read'], days: 1 },
      }),
      expect: () => 201,
    },
    {
      method: 'DELETE',
      url: '/api/auth/tokens/:tokenId',
      request: async (c, target) => {
        const owner = target === 'open' ? (c.user ?? fixtures.analyst) : fixtures.analyst;
        const issued = await issueToken(t.deps, system, owner, {
          name: 'x',
          scopes: ['read'],
          days: 1,
        });
        return { url: `/api/auth/tokens/${issued.record.id}` };
      },
      expect: (c, target) => (target === 'open' || can(c.role, 'user', 'update') ? 204 : 404),
    },
    {
      method: 'POST',
      url: '/api/auth/sign-out',
      // A session of its own, so the caller's main session lives on.
      request: async () => ({ url: '/api/auth/sign-out' }),
      expect: () => 204,
    },
    {
      method: 'POST',
      url: '/api/auth/sign-out-everywhere',
      request: async () => ({ url: '/api/auth/sign-out-everywhere' }),
      expect: () => 204,
    },
    {
      method: 'POST',
      url: '/api/harm/reports',
      request: async () => {
        const { id: _i, incidentId: _n, warnings: _w, ...input } = await newHarm(open);
        void _i;
        void _n;
        void _w;
        const { createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, ...body } = input;
        return { url: '/api/harm/reports', payload: body };
      },
      expect: (c) => (can(c.role, 'harm_report', 'create') ? 201 : 403),
    },
    {
      method: 'GET',
      url: '/api/harm/reports',
      request: async () => ({ url: '/api/harm/reports?limit=500' }),
      expect: (c) => (can(c.role, 'harm_report', 'read') ? 200 : 403),
      check: (c, _t, body) => {
        const items = (body as { items: { id: string; reporterContact: string }[] }).items;
        const ids = items.map((r) => r.id);
        expect(ids.includes(fixtures.harmSecret.id)).toBe(harmVisible(c, 'hidden'));
        expect(ids.includes(fixtures.harmOpen.id)).toBe(harmVisible(c, 'open'));
        expect(items.every((r) => r.reporterContact === '')).toBe(true);
      },
    },
    {
      method: 'GET',
      url: '/api/harm/reports/:id',
      request: async (_c, target) => ({ url: `/api/harm/reports/${harmFixture(target).id}` }),
      expect: (c, target) => harmStatus(c, target, 'harm_report', 'read', 200),
      check: (c, _t, body) => {
        const report = body as { reporterContact: string; narrative: { confidential: string } };
        const need = can(c.role, 'harm_reporter', 'read');
        expect(report.reporterContact.includes('REPORTER')).toBe(need);
        expect(report.narrative.confidential !== '').toBe(need);
      },
    },
    {
      method: 'GET',
      url: '/api/harm/incidents',
      request: async () => ({ url: '/api/harm/incidents?limit=500' }),
      expect: (c) => (can(c.role, 'harm_incident', 'read') ? 200 : 403),
      check: (c, _t, body) => {
        const ids = (body as { items: { id: string }[] }).items.map((i) => i.id);
        expect(ids.includes(fixtures.harmSecret.incidentId)).toBe(harmVisible(c, 'hidden'));
      },
    },
    {
      method: 'GET',
      url: '/api/harm/incidents/:id',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}`,
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'read', 200),
    },
    {
      method: 'PUT',
      url: '/api/harm/incidents/:id/assessment',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${(await newHarm(harmMarking(target))).incidentId}/assessment`,
        payload: { grade: 'FAIR', attribution: 'UNKNOWN', investigation: 'INITIAL-REVIEW' },
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'approve', 200),
    },
    {
      method: 'POST',
      url: '/api/harm/incidents/:id/merge',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${(await newHarm(harmMarking(target))).incidentId}/merge`,
        payload: { incidentIds: [(await newHarm(open)).incidentId] },
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'update', 200),
    },
    {
      method: 'POST',
      url: '/api/harm/incidents/:id/split',
      request: async (_c, target) => {
        const [a, b] = [await newHarm(harmMarking(target)), await newHarm(harmMarking(target))];
        await mergeIncidents(t.deps, system, a.incidentId, [b.incidentId]);
        return { url: `/api/harm/incidents/${a.incidentId}/split`, payload: { reportIds: [b.id] } };
      },
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'update', 200),
    },
    {
      method: 'GET',
      url: '/api/harm/incidents/:id/responses',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/responses`,
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_response', 'read', 200),
    },
    {
      method: 'POST',
      url: '/api/harm/incidents/:id/responses',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/responses`,
        payload: { type: 'ACKNOWLEDGEMENT', status: 'PLANNED' },
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_response', 'create', 201),
    },
    {
      method: 'PATCH',
      url: '/api/harm/responses/:id',
      request: async (_c, target) => {
        const response = await createResponse(t.deps, system, harmFixture(target).incidentId, {
          type: 'APOLOGY',
          status: 'PLANNED',
          dueDate: null,
          amount: null,
          currency: null,
          recipientRef: '',
          note: '',
        });
        return { url: `/api/harm/responses/${response.id}`, payload: { status: 'DELIVERED' } };
      },
      expect: (c, target) => harmStatus(c, target, 'harm_response', 'update', 200),
    },
    {
      method: 'GET',
      url: '/api/harm/incidents/:id/casualties',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/casualties`,
      }),
      expect: (c, target) => harmStatus(c, target, 'casualty', 'read', 200),
      check: (c, _t, body) => {
        const names = (body as { name: string | null }[]).map((x) => x.name);
        expect(names.length).toBeGreaterThan(0);
        const need = can(c.role, 'casualty_name', 'read');
        for (const name of names) expect(name === 'Casualty Name-Matrix').toBe(need);
      },
    },
    {
      method: 'POST',
      url: '/api/harm/incidents/:id/casualties',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${(await newHarm(harmMarking(target))).incidentId}/casualties`,
        payload: { sex: 'MALE', ageYears: 40, civilianStatus: 'CIVILIAN', outcome: 'INJURED' },
      }),
      expect: (c, target) => harmStatus(c, target, 'casualty', 'create', 201),
    },
    {
      method: 'POST',
      url: '/api/harm/candidates/find',
      request: async () => ({ url: '/api/harm/candidates/find' }),
      expect: (c) => (can(c.role, 'harm_incident', 'update') ? 200 : 403),
    },
    {
      method: 'GET',
      url: '/api/harm/candidates',
      request: async () => ({ url: '/api/harm/candidates?limit=500' }),
      expect: (c) =>
        can(c.role, 'harm_incident', 'read') && can(c.role, 'harm_report', 'read') ? 200 : 403,
      check: (c, _t, body) => {
        const items = (body as { items: { reports: { marking: Marking }[] }[] }).items;
        for (const item of items)
          for (const r of item.reports)
            expect(canSee(viewerOf(c.user!), r.marking, null)).toBe(true);
      },
    },
    ...(['accept', 'reject', 'reopen'] as const).map((verb): Row => ({
      method: 'POST',
      url: `/api/harm/candidates/:id/${verb}`,
      request: async (_c, target) => ({
        url: `/api/harm/candidates/${await newCandidate(target)}/${verb}`,
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'update', 200),
    })),
    {
      method: 'GET',
      url: '/api/harm/incidents/:id/screenings',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/screenings`,
      }),
      expect: (c, target) =>
        !can(c.role, 'screening', 'read')
          ? 403
          : harmStatus(c, target, 'harm_incident', 'read', 200),
      check: (c, _t, body) => {
        const ids = (body as { items: { screeningId: string }[] }).items.map((i) => i.screeningId);
        if (!canSee(viewerOf(c.user!), secret, null)) {
          expect(ids).not.toContain(fixtures.screeningSecret);
        }
      },
    },
    {
      method: 'GET',
      url: '/api/harm/reports/:id/objects',
      request: async (_c, target) => ({
        url: `/api/harm/reports/${harmFixture(target).id}/objects`,
      }),
      expect: (c, target) =>
        !can(c.role, 'protected_object', 'read')
          ? 403
          : harmStatus(c, target, 'harm_report', 'read', 200),
    },
    {
      method: 'GET',
      url: '/api/harm/incidents/:id/objects',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/objects`,
      }),
      expect: (c, target) =>
        !can(c.role, 'protected_object', 'read') || !can(c.role, 'harm_report', 'read')
          ? 403
          : harmStatus(c, target, 'harm_incident', 'read', 200),
    },
    {
      method: 'POST',
      url: '/api/harm/incidents/:id/lessons',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/lessons`,
        payload: { title: 'Lesson', observation: 'Observed.', marking: open },
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'update', 201),
    },
    {
      method: 'GET',
      url: '/api/harm/incidents/:id/lessons',
      request: async (_c, target) => ({
        url: `/api/harm/incidents/${harmFixture(target).incidentId}/lessons`,
      }),
      expect: (c, target) => harmStatus(c, target, 'harm_incident', 'read', 200),
    },
    {
      method: 'GET',
      url: '/api/harm/lessons',
      request: async () => ({ url: '/api/harm/lessons' }),
      expect: (c) => (can(c.role, 'harm_incident', 'read') ? 200 : 403),
    },
    {
      method: 'GET',
      url: '/api/harm/export',
      request: async () => ({ url: '/api/harm/export?format=csv' }),
      expect: (c) => (can(c.role, 'harm_incident', 'export') ? 200 : 403),
      check: (c, _t, body) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        expect(text.includes(fixtures.harmSecret.incidentId)).toBe(harmVisible(c, 'hidden'));
        expect(text.includes(fixtures.harmOpen.incidentId)).toBe(harmVisible(c, 'open'));
      },
    },
    {
      method: 'GET',
      url: '/api/harm/stats',
      request: async () => ({ url: '/api/harm/stats' }),
      expect: (c) => (can(c.role, 'harm_incident', 'read') ? 200 : 403),
      check: (c, _t, body) => {
        const keys = (body as { byArea: { key: string }[] }).byArea.map((g) => g.key);
        expect(keys.includes('SECRET-AREA')).toBe(harmVisible(c, 'hidden'));
        expect(keys.includes('OPEN-AREA')).toBe(harmVisible(c, 'open'));
      },
    },
  ];

  const sessionKillers = new Set(['POST /api/auth/sign-out', 'POST /api/auth/sign-out-everywhere']);

  it('has a row for every signed-in route the server registers', () => {
    const registered = t.app.apiRoutes
      .filter((r) => r.policy === 'signed-in')
      .map((r) => `${r.method} ${r.url}`);
    const covered = rows.map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !covered.includes(r))).toEqual([]);
    expect(covered.filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('answers 401 to every signed-in route without a session', async () => {
    for (const row of rows) {
      const { url, payload, headers } = await row.request({ role: 'anonymous' }, 'open');
      const res = await t.app.inject({
        method: row.method as 'GET',
        url,
        ...(headers ? { headers } : {}),
        ...(payload ? { payload } : {}),
      });
      expect(`${row.method} ${row.url} → ${res.statusCode}`).toBe(`${row.method} ${row.url} → 401`);
    }
  });

  it('answers every role as the permission table and markings say, for open and hidden records', async () => {
    const failures: string[] = [];
    for (const row of rows) {
      for (const caller of callers) {
        for (const target of ['open', 'hidden'] as const) {
          let cookie = caller.cookie!;
          if (sessionKillers.has(`${row.method} ${row.url}`)) {
            const res = await t.app.inject({
              method: 'POST',
              url: '/api/auth/sign-in',
              payload: { username: caller.user!.username, password: TEST_PASSWORD },
            });
            cookie = String(res.headers['set-cookie']).split(';')[0]!;
          }
          const { url, payload, headers } = await row.request(caller, target);
          const res = await t.app.inject({
            method: row.method as 'GET',
            url,
            headers: { cookie, ...headers },
            ...(payload ? { payload } : {}),
          });
          const want = row.expect(caller, target);
          if (res.statusCode !== want) {
            failures.push(
              `${row.method} ${row.url} as ${caller.role} on ${target}: got ${res.statusCode}, want ${want} (${res.body.slice(0, 120)})`,
            );
            continue;
          }
          if (row.check && res.statusCode < 300) {
            const body = String(res.headers['content-type'] ?? '').includes('json')
              ? res.json()
              : res.body;
            try {
              row.check(caller, target, body);
            } catch (error) {
              failures.push(
                `${row.method} ${row.url} as ${caller.role} on ${target}: ${(error as Error).message}`,
              );
            }
          }
        }
        // Sign-out-everywhere ended this caller's main session too: sign in again for later rows.
        if (row.url === '/api/auth/sign-out-everywhere') {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            payload: { username: caller.user!.username, password: TEST_PASSWORD },
          });
          (caller as { cookie?: string }).cookie = String(res.headers['set-cookie']).split(';')[0]!;
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('makes a hidden record look exactly like a missing one', async () => {
    const partner = callers.find((c) => c.role === 'partner')!;
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/factors/${fixtures.factorCrsv}`,
      headers: { cookie: partner.cookie! },
    });
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/factors/${randomUUID()}`,
      headers: { cookie: partner.cookie! },
    });
    expect(hidden.statusCode).toBe(404);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(hidden.json())).toEqual(strip(missing.json()));
    expect(Object.keys(hidden.headers).sort()).toEqual(Object.keys(missing.headers).sort());
  });
});
