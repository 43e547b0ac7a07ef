/**
 * Register-mode screening through the API, on every test database: hits against a seeded
 * register and against a release compared with an independent brute-force haversine
 * computation; flags; a stable digest; permissions; marking filtering and withheld hits; the
 * audit trail; bad planner input listing every bad line; effect classes; the flag sheets.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLat, lonLatDistanceMetres } from '../../src/geo/index.js';
import type { Marking } from '../../src/domain/taxonomy/index.js';
import { formatMarking } from '../../src/domain/taxonomy/index.js';
import { systemActor } from '../../src/service/deps.js';
import {
  createObject,
  deleteObject,
  updateObject,
} from '../../src/service/register/object.service.js';
import {
  approveRelease,
  createDraftRelease,
  submitRelease,
} from '../../src/service/register/release.service.js';
import type { User } from '../../src/domain/access/user.js';
import { testDatabases } from '../helpers/databases.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seededRandom } from '../helpers/random.js';
import { sharedData } from '../helpers/shared-data.js';
import { exposuresForCircles } from '../../src/service/screening/population-raster.js';

const system = systemActor('screening-test');

interface Seeded {
  id: string;
  name: string;
  lon: number;
  lat: number;
  buffer: number;
  category: string;
  protection: string;
  list: 'NSL' | 'RTL' | null;
  restriction: string | null;
  marking: Marking;
}

interface Hit {
  object_id: string;
  name: string;
  category: string;
  list: string | null;
  restriction: string | null;
  protection: string;
  distance_m: number;
  buffer_m: number;
  marking: Marking;
  position?: [number, number];
}
interface ScreenedAimpoint {
  id: string;
  lon: number;
  lat: number;
  radius_m: number;
  flags: string[];
  withheld_hits: number;
  population: { best: number } | null;
  hits: Hit[];
}

const CATEGORIES = [
  ['medical', 'geneva-medical'],
  ['education', 'policy'],
  ['cultural', 'hague-general'],
  ['cultural', 'hague-enhanced'],
  ['water', 'policy'],
  ['religious', 'policy'],
] as const;

const open: Marking = { classification: 'NU', releasability: [] };
const secret: Marking = { classification: 'NS', releasability: [] };

/** The answer by definition: every object within radius + buffer of the aimpoint, by haversine. */
function bruteForce(
  objects: readonly Seeded[],
  a: { lon: number; lat: number; radius_m: number },
): { id: string; d: number }[] {
  return objects
    .map((o) => ({ id: o.id, d: lonLatDistanceMetres(lonLat(a.lon, a.lat), lonLat(o.lon, o.lat)) }))
    .filter((x, i) => x.d <= a.radius_m + objects[i]!.buffer)
    .sort((x, y) => x.d - y.d || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The flags by their documented rules, from the objects seen and withheld. */
function expectedFlags(seen: readonly Seeded[], withheld: number): string[] {
  const f: string[] = [];
  if (seen.some((o) => o.list === 'NSL')) f.push('NSL_INSIDE');
  if (seen.some((o) => o.list === 'RTL')) f.push('RTL_RESTRICTION');
  if (seen.some((o) => o.protection === 'hague-enhanced' || o.protection === 'hague-special'))
    f.push('ENHANCED_PROTECTION_INSIDE');
  if (seen.some((o) => o.category === 'education')) f.push('SCHOOL_INSIDE');
  if (seen.some((o) => o.category === 'medical')) f.push('HOSPITAL_INSIDE');
  if (seen.some((o) => o.category === 'cultural')) f.push('CULTURAL_INSIDE');
  if (withheld > 0) f.push('WITHHELD_INSIDE');
  if (seen.length === 0 && withheld === 0) f.push('NO_HITS');
  return f;
}

describe.each(testDatabases())('register-mode screening on $name', (database) => {
  let t: TestApp;
  const objects: Seeded[] = [];
  const cookies = {} as Record<
    'author' | 'lowAuthor' | 'legal' | 'analyst' | 'cimic' | 'viewer' | 'partner',
    string
  >;
  let authorUser: User;
  const rand = seededRandom(7);
  const centre = { lon: 30.52, lat: 50.45 };
  const aimpoints = Array.from({ length: 25 }, (_, i) => ({
    id: `T${i + 1}`,
    lon: centre.lon + (rand() - 0.5) * 0.06,
    lat: centre.lat + (rand() - 0.5) * 0.04,
    radius_m: Math.round(50 + rand() * 700),
    input: `aimpoint ${i + 1}`,
  }));

  const post = (cookie: string, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
  const get = (cookie: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie } });

  const seed = async (i: number, marking: Marking, extra: Partial<Seeded> = {}) => {
    const [category, protection] = CATEGORIES[i % CATEGORIES.length]!;
    const list = i % 5 === 0 ? 'NSL' : i % 7 === 0 ? 'RTL' : null;
    const restriction = list === 'RTL' ? `Approval by COM only (${i})` : null;
    const lon = extra.lon ?? centre.lon + (rand() - 0.5) * 0.08;
    const lat = extra.lat ?? centre.lat + (rand() - 0.5) * 0.05;
    const buffer = extra.buffer ?? Math.round(rand() * 400);
    const name = extra.name ?? `Object ${i}`;
    const created = await createObject(t.deps, system, {
      name,
      category,
      protection,
      geometry: { type: 'Point', coordinates: [lon, lat] },
      bufferMetres: buffer,
      source: 'screening-test',
      sourceRef: `S${i}`,
      topics: [],
      marking,
      lists: list ? [{ list, ...(restriction ? { restriction } : {}) }] : [],
    });
    objects.push({
      id: created.id,
      name,
      lon,
      lat,
      buffer,
      category,
      protection,
      list,
      restriction,
      marking,
    });
  };

  beforeAll(async () => {
    t = await buildTestApp(database);
    for (let i = 0; i < 120; i += 1) await seed(i, i % 9 === 4 ? secret : open);
    // An object whose name a spreadsheet would run, right on the first aimpoint.
    await seed(999, open, {
      lon: aimpoints[0]!.lon,
      lat: aimpoints[0]!.lat,
      buffer: 10,
      name: '=HYPERLINK("http://x")',
    });
    const signed = await t.signIn({ role: 'targeting-officer', clearance: 'NS' });
    cookies.author = signed.cookie;
    authorUser = signed.user;
    cookies.lowAuthor = (await t.signIn({ role: 'targeting-officer', clearance: 'NR' })).cookie;
    cookies.legal = (await t.signIn({ role: 'legal-adviser', clearance: 'NS' })).cookie;
    cookies.analyst = (await t.signIn({ role: 'analyst', clearance: 'NC' })).cookie;
    cookies.cimic = (await t.signIn({ role: 'cimic-officer', clearance: 'NR' })).cookie;
    cookies.viewer = (await t.signIn({ role: 'viewer', clearance: 'NU' })).cookie;
    cookies.partner = (
      await t.signIn({ role: 'partner', clearance: 'NU', organisations: ['UN'] })
    ).cookie;
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  const checkAgainst = (
    reference: readonly Seeded[],
    screened: readonly ScreenedAimpoint[],
    visible: (o: Seeded) => boolean,
  ) => {
    let hits = 0;
    for (const a of screened) {
      const input = aimpoints.find((x) => x.id === a.id)!;
      const want = bruteForce(reference, input);
      const seen = want.filter((w) => visible(reference.find((o) => o.id === w.id)!));
      expect(a.hits.map((h) => h.object_id)).toEqual(seen.map((w) => w.id));
      expect(a.hits.map((h) => h.distance_m)).toEqual(seen.map((w) => w.d));
      expect(a.withheld_hits).toBe(want.length - seen.length);
      const seenObjects = seen.map((w) => reference.find((o) => o.id === w.id)!);
      expect(a.flags).toEqual(expectedFlags(seenObjects, want.length - seen.length));
      for (const h of a.hits) {
        const o = reference.find((x) => x.id === h.object_id)!;
        expect([h.name, h.category, h.list, h.restriction, h.protection, h.buffer_m]).toEqual([
          o.name,
          o.category,
          o.list,
          o.restriction,
          o.protection,
          o.buffer,
        ]);
      }
      hits += a.hits.length;
    }
    return hits;
  };

  let screeningId: string;
  let digest: string;

  it('should screen against the current register exactly as brute force, with flags and a stable digest', async () => {
    const res = await post(cookies.author, '/api/screenings', {
      title: 'Phase 2 fires',
      plan_reference: 'OPORD 7/26',
      aimpoints,
      marking: open,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    screeningId = body.id;
    digest = body.result_digest;
    expect(body.release).toBeNull();
    expect(body.created_by).toEqual({ id: authorUser.id, username: authorUser.username });
    expect(body.aimpoint_count).toBe(aimpoints.length);
    const hits = checkAgainst(objects, body.aimpoints, () => true);
    expect(hits).toBeGreaterThan(10);
    // Some hits are NS: the record's marking was raised to cover them.
    const anySecret = body.aimpoints.some((a: ScreenedAimpoint) =>
      a.hits.some((h) => h.marking.classification === 'NS'),
    );
    expect(anySecret).toBe(true);
    expect(body.marking.classification).toBe('NS');
    expect(body.flagged_count).toBe(
      body.aimpoints.filter((a: ScreenedAimpoint) => a.flags.some((f) => f !== 'NO_HITS')).length,
    );
    // The digest is SHA-256 of the canonical JSON of the full result (the author sees it all).
    const full = body.aimpoints.map((a: Record<string, unknown>) => a);
    expect(digest).toBe(
      createHash('sha256')
        .update(canonicalize({ aimpoints: full })!)
        .digest('hex'),
    );
    // The same plan again gives the same digest.
    const again = await post(cookies.legal, '/api/screenings', {
      title: 'Phase 2 fires, second look',
      aimpoints,
      marking: open,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().result_digest).toBe(digest);
    expect(again.json().id).not.toBe(screeningId);
  });

  it('should write an audit event for the screening', async () => {
    const events = await t.store.audit.listForRecord('screening', screeningId);
    expect(events.map((e) => e.action)).toEqual(['screening.create']);
    expect(events[0]!.actor).toBe(authorUser.id);
    expect(events[0]!.detail.digest).toBe(digest);
  });

  it('should deny creating to viewers, partners and analysts, and reading to viewers and partners', async () => {
    const payload = { title: 'x', aimpoints: aimpoints.slice(0, 1), marking: open };
    for (const who of ['viewer', 'partner', 'analyst'] as const) {
      const res = await post(cookies[who], '/api/screenings', payload);
      expect(`${who} ${res.statusCode}`).toBe(`${who} 403`);
    }
    for (const who of ['viewer', 'partner'] as const) {
      expect((await get(cookies[who], '/api/screenings')).statusCode).toBe(403);
      expect((await get(cookies[who], `/api/screenings/${screeningId}`)).statusCode).toBe(403);
    }
    // The analyst reads (NC clearance is below the record's NS marking: it does not exist for them).
    expect((await get(cookies.analyst, `/api/screenings/${screeningId}`)).statusCode).toBe(404);
    const list = (await get(cookies.analyst, '/api/screenings?limit=500')).json();
    expect(list.items.map((s: { id: string }) => s.id)).not.toContain(screeningId);
    const legal = (await get(cookies.legal, '/api/screenings?limit=500')).json();
    expect(legal.items.map((s: { id: string }) => s.id)).toContain(screeningId);
  });

  it('should refuse a marking above the author clearance, and repeated aimpoint ids', async () => {
    const high = await post(cookies.lowAuthor, '/api/screenings', {
      title: 'Too high',
      aimpoints: aimpoints.slice(0, 1),
      marking: secret,
    });
    expect(high.statusCode).toBe(400);
    expect(high.json().errors[0].path).toBe('body.marking');
    const twice = await post(cookies.author, '/api/screenings', {
      title: 'Twice',
      aimpoints: [aimpoints[0], aimpoints[0]],
      marking: open,
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0].path).toBe('body.aimpoints.1.id');
  });

  it('should withhold hits above the reader clearance, count them and never name them', async () => {
    const res = await post(cookies.lowAuthor, '/api/screenings', {
      title: 'Low-side plan',
      aimpoints,
      marking: open,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    // The author (NR) does not see the NS objects: the record stays below NS.
    expect(body.marking.classification).not.toBe('NS');
    const nsSeen = (o: Seeded) => o.marking.classification !== 'NS';
    checkAgainst(objects, body.aimpoints, nsSeen);
    const withheld = body.aimpoints.reduce(
      (n: number, a: ScreenedAimpoint) => n + a.withheld_hits,
      0,
    );
    expect(withheld).toBeGreaterThan(0);
    const secretNames = objects.filter((o) => !nsSeen(o)).map((o) => o.name);
    const cimic = await get(cookies.cimic, `/api/screenings/${body.id}`);
    expect(cimic.statusCode).toBe(200);
    checkAgainst(objects, cimic.json().aimpoints, nsSeen);
    const ids = new Set(objects.filter((o) => !nsSeen(o)).map((o) => o.id));
    for (const a of cimic.json().aimpoints as ScreenedAimpoint[]) {
      for (const h of a.hits) expect(ids.has(h.object_id)).toBe(false);
    }
    expect(secretNames.length).toBeGreaterThan(0);
    // A cleared reader of the same record sees every hit and no withheld ones.
    const legal = (await get(cookies.legal, `/api/screenings/${body.id}`)).json();
    checkAgainst(objects, legal.aimpoints, () => true);
    expect(legal.result_digest).toBe(digest);
    // The flag sheet of the uncleared reader names no withheld object either.
    const csv = await get(cookies.cimic, `/api/screenings/${body.id}/flag-sheet.csv`);
    expect(csv.statusCode).toBe(403); // cimic may read but not export
    const legalCsv = await get(cookies.legal, `/api/screenings/${body.id}/flag-sheet.csv`);
    expect(legalCsv.statusCode).toBe(200);
  });

  it('should screen against a release snapshot, not the register as it became', async () => {
    const approver = await t.user({ role: 'legal-adviser', clearance: 'NS', username: 'approver' });
    const draft = await createDraftRelease(t.deps, system, 'NSL/RTL 1');
    await submitRelease(t.deps, system, draft.id);
    const released = await approveRelease(
      t.deps,
      { kind: 'user', id: approver.id, user: approver, via: 'cli', scopes: ['write'] },
      draft.id,
    );
    const snapshot = objects.filter((o) => o.list !== null);
    // The register changes after the release: a listed object is deleted.
    const gone = snapshot.find((o) => bruteForce([o], aimpoints[0]!).length === 0)!;
    await deleteObject(t.deps, system, gone.id);
    // …and a listed object that is hit moves a few metres.
    const moved = snapshot.find((o) => bruteForce([o], aimpoints[0]!).length > 0)!;
    await updateObject(t.deps, system, moved.id, {
      geometry: { type: 'Point', coordinates: [moved.lon + 0.0001, moved.lat] },
    });
    const res = await post(cookies.author, '/api/screenings', {
      title: 'Against release',
      release: released.number,
      aimpoints,
      marking: open,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.release).toEqual({ number: released.number, status: 'released' });
    checkAgainst(snapshot, body.aimpoints, () => true);
    // Each hit is placed where the release had it, the moved object included.
    const released_at = new Map(snapshot.map((o) => [o.id, [o.lon, o.lat]]));
    const positions = (body.aimpoints as ScreenedAimpoint[]).flatMap((a) =>
      a.hits.map((h) => [h.object_id, h.position]),
    );
    expect(positions.some(([id]) => id === moved.id)).toBe(true);
    for (const [id, position] of positions) expect(position).toEqual(released_at.get(id as string));
    const missing = await post(cookies.author, '/api/screenings', {
      title: 'No such release',
      release: 999,
      aimpoints,
      marking: open,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('should list every bad line of planner input with its field, and read good input', async () => {
    const bad = await post(cookies.author, '/api/screenings/parse', {
      text: 'T1 50.45N 30.52E 250\nT2 95.5, 30.5 100\nT3 50.45 30.52 HUGE\n\nT4 35TLC 100\nT5 50.4 30.5',
    });
    expect(bad.statusCode).toBe(400);
    const problem = bad.json();
    expect(problem.code).toBe('invalid_aimpoints');
    expect(problem.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [2, 'lat'],
      [3, 'effect_class'],
      [5, 'mgrs'],
      [6, 'radius_m'],
    ]);
    const good = await post(cookies.author, '/api/screenings/parse', {
      text: 'T1 50.45N 30.52E 250\n50°27\'00"N 30°31\'12"E MEDIUM\n36UUA2394091604',
      default_effect_class: 'small',
    });
    expect(good.statusCode, good.body).toBe(200);
    const parsed = good.json().aimpoints;
    expect(parsed.map((a: { id: string }) => a.id)).toEqual(['T1', 'AP-1', 'AP-2']);
    expect(parsed.map((a: { radius_m: number }) => a.radius_m)).toEqual([250, 100, 25]);
    expect(parsed[1].effect_class).toBe('MEDIUM');
    expect(parsed[1].lat).toBeCloseTo(50.45, 12);
    expect(parsed[1].lon).toBeCloseTo(30.52, 12);
    expect(
      (await post(cookies.analyst, '/api/screenings/parse', { text: '50 30 1' })).statusCode,
    ).toBe(403);
  });

  it('should list, change and delete effect classes as the permission table says, audited', async () => {
    const list = (await get(cookies.analyst, '/api/effect-classes')).json();
    expect(list.items.map((e: { code: string }) => e.code)).toEqual([
      'SMALL',
      'MEDIUM',
      'LARGE',
      'AREA',
    ]);
    expect(list.items.every((e: { label: string }) => /illustrative/.test(e.label))).toBe(true);
    const put = (cookie: string) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/effect-classes/HUGE',
        headers: { cookie },
        payload: { label: 'Huge', radius_m: 5000 },
      });
    expect((await put(cookies.analyst)).statusCode).toBe(403);
    const made = await put(cookies.author);
    expect(made.statusCode).toBe(200);
    expect(made.json().radius_m).toBe(5000);
    const events = await t.store.audit.listForRecord('effect_class', 'HUGE');
    expect(events.map((e) => e.action)).toEqual(['effect_class.create']);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/effect-classes/HUGE',
      headers: { cookie: cookies.author },
    });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({
      method: 'DELETE',
      url: '/api/effect-classes/HUGE',
      headers: { cookie: cookies.author },
    });
    expect(again.statusCode).toBe(404);
  });

  it('should screen an area object by the distance to its nearest point, not its centroid', async () => {
    const [west, south, east, north] = [30.7, 50.5, 30.73, 50.51];
    const campus = await createObject(t.deps, system, {
      name: 'University campus',
      category: 'education',
      protection: 'policy',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [west, south],
            [east, south],
            [east, north],
            [west, north],
            [west, south],
          ],
        ],
      },
      bufferMetres: 0,
      source: 'screening-test',
      sourceRef: 'campus',
      topics: [],
      marking: open,
      lists: [],
    });
    // 50 m west of the west edge (a meridian), at the middle latitude: the centroid is 1 km away.
    const lat = 50.505;
    const R = 6_371_008.7714;
    const dLon = (50 / (R * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
    const lon = west - dLon;
    // Distance to a meridian arc from a point at the same latitude: R·asin(sin Δλ · cos φ).
    const edge = R * Math.asin(Math.sin((dLon * Math.PI) / 180) * Math.cos((lat * Math.PI) / 180));
    const res = await post(cookies.author, '/api/screenings', {
      title: 'Campus',
      aimpoints: [
        { id: 'IN', lon: 30.71, lat: 50.505, radius_m: 1, input: 'in' },
        { id: 'NEAR', lon, lat, radius_m: edge + 0.01, input: 'near' },
        { id: 'SHORT', lon, lat, radius_m: edge - 0.01, input: 'short' },
      ],
      marking: open,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [inside, near, short] = res.json().aimpoints as ScreenedAimpoint[];
    expect(inside!.hits.map((h) => [h.object_id, h.distance_m])).toEqual([[campus.id, 0]]);
    expect(inside!.flags).toEqual(['SCHOOL_INSIDE']);
    expect(near!.hits.map((h) => h.object_id)).toEqual([campus.id]);
    expect(Math.abs(near!.hits[0]!.distance_m - edge)).toBeLessThan(1e-6);
    expect(short!.hits).toEqual([]);
    expect(
      lonLatDistanceMetres(lonLat(lon, lat), lonLat(campus.centroid[0], campus.centroid[1])),
    ).toBeGreaterThan(1000);
  });

  it('should export a marked, formula-neutral CSV flag sheet', async () => {
    const res = await get(cookies.author, `/api/screenings/${screeningId}/flag-sheet.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(formatMarking(secret));
    expect(lines[1]!.startsWith('aimpoint,')).toBe(true);
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const events = await t.store.audit.listForRecord('screening', screeningId);
    expect(events.map((e) => e.action)).toContain('screening.export');
  });

  it('should export a PDF flag sheet marked at the top and bottom of every page', async () => {
    const res = await get(cookies.author, `/api/screenings/${screeningId}/flag-sheet.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(res.rawPayload) }).promise;
    const marking = formatMarking(secret);
    const pages: string[] = [];
    for (let p = 1; p <= doc.numPages; p += 1) {
      const page = await doc.getPage(p);
      const height = page.getViewport({ scale: 1 }).height;
      const items = (await page.getTextContent()).items as { str: string; transform: number[] }[];
      const markings = items.filter((i) => i.str === marking).map((i) => i.transform[5]!);
      // Once within 50 pt of the top and once within 50 pt of the bottom (PDF y grows upwards);
      // hit rows may repeat it in between as an object's own marking.
      expect(markings.filter((y) => y > height - 50).length, `page ${p} top`).toBe(1);
      expect(markings.filter((y) => y < 50).length, `page ${p} bottom`).toBe(1);
      pages.push(items.map((i) => i.str).join(' '));
    }
    expect(doc.numPages).toBeGreaterThan(1);
    const text = pages.join('\n');
    expect(text).toContain('Phase 2 fires');
    expect(text).toContain(digest);
    const someHit = objects.find((o) => o.marking.classification === 'NU' && text.includes(o.name));
    expect(someHit).toBeDefined();
  });
});

const KIT_TIF = sharedData('worldpop-burundi-exposure-kit', 'burundi_worldpop_2000_1km.tif');

describe('register-mode screening with a population raster and at rest', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await buildTestApp(testDatabases()[0]!, { populationRaster: KIT_TIF });
    cookie = (await t.signIn({ role: 'targeting-officer', clearance: 'NS' })).cookie;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it.skipIf(!existsSync(KIT_TIF))(
    'should estimate each aimpoint population as the raster method does, and flag above the threshold',
    async () => {
      const plan = [
        { id: 'BUJ', lon: 29.36, lat: -3.38, radius_m: 5000, input: '3.38S 29.36E' },
        { id: 'GIT', lon: 29.93, lat: -3.43, radius_m: 300, input: '3.43S 29.93E' },
        { id: 'SEA', lon: 10, lat: 0, radius_m: 1000, input: '0, 10' },
      ];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/screenings',
        headers: { cookie },
        payload: { title: 'Exposure', aimpoints: plan, population_threshold: 500, marking: open },
      });
      expect(res.statusCode, res.body).toBe(201);
      const want = await exposuresForCircles(KIT_TIF, {
        lon: plan.map((a) => a.lon),
        lat: plan.map((a) => a.lat),
        radius: plan.map((a) => a.radius_m),
      });
      const got = res.json().aimpoints as ScreenedAimpoint[];
      expect(got.map((a) => a.population!.best)).toEqual(want.map((e) => Math.round(e.best)));
      expect(got[0]!.population!.best).toBeGreaterThan(500);
      expect(got[2]!.population!.best).toBe(0);
      for (const a of got) {
        expect(a.flags.includes('POPULATION_ABOVE_THRESHOLD')).toBe(a.population!.best > 500);
      }
    },
  );

  it('should keep aimpoints encrypted at rest (no canary in the SQLite file or its WAL)', async () => {
    const canary = 'CANARY-aimpoint-7731';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/screenings',
      headers: { cookie },
      payload: {
        title: 'At rest',
        aimpoints: [{ id: 'A1', lon: 29.5, lat: -3.5, radius_m: 10, label: canary, input: canary }],
        marking: open,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().aimpoints[0].label).toBe(canary);
    const files = [t.url, `${t.url}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f).includes(canary), f).toBe(false);
  });
});
