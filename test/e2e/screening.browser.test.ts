/**
 * The Plan page in Debian chromium against the real API: aimpoints pasted in mixed formats (MGRS,
 * decimal, DMS) are read by the server as they are typed, a bad line is listed with its line and
 * field, the screening runs, and the flag sheet, rings and hits match what the API returns for
 * the same screening; a row zooms the map; the CSV flag sheet carries the marking; earlier
 * screenings reopen; the effect classes are edited in place.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forward } from 'mgrs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { formatMarking, type Marking } from '../../src/domain/taxonomy/index.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { createObject } from '../../src/service/register/object.service.js';
import {
  approveRelease,
  createDraftRelease,
  submitRelease,
} from '../../src/service/register/release.service.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import {
  browserAvailable,
  launchChromium,
  screenshotPath,
  watchedPage,
} from '../helpers/browser.js';
import { testCipher } from '../helpers/crypto.js';

const webDir = resolve('dist/web');

/** Objects in Liechtenstein, kilometres apart; the planner (clearance NR) may not see the NS one. */
const seeded = [
  {
    key: 'hospital',
    name: 'Spital Schaan',
    category: 'medical',
    protection: 'geneva-medical',
    lon: 9.5095,
    lat: 47.1705,
    list: 'NSL' as const,
    marking: { classification: 'NU', releasability: [] } as Marking,
  },
  {
    key: 'cathedral',
    name: 'Kathedrale St. Florin',
    category: 'cultural',
    protection: 'hague-enhanced',
    lon: 9.5215,
    lat: 47.1391,
    list: 'RTL' as const,
    restriction: 'Only with the approval of COM JFC',
    marking: { classification: 'NR', releasability: [] } as Marking,
  },
  {
    key: 'school',
    name: 'Primarschule Triesen',
    category: 'education',
    protection: 'policy',
    lon: 9.53,
    lat: 47.1048,
    list: null,
    marking: { classification: 'NU', releasability: [] } as Marking,
  },
  {
    key: 'hidden',
    name: 'Hidden depot',
    category: 'water',
    protection: 'policy',
    lon: 9.5005,
    lat: 47.0665,
    list: 'NSL' as const,
    marking: { classification: 'NS', releasability: [] } as Marking,
  },
];

/** Degrees-minutes-seconds as planners write them: 47°06'17.3"N 9°31'48.0"E. */
function dms(lat: number, lon: number): string {
  const part = (value: number, pos: string, neg: string) => {
    const abs = Math.abs(value);
    const d = Math.floor(abs);
    const m = Math.floor((abs - d) * 60);
    const s = ((abs - d) * 60 - m) * 60;
    return `${d}°${String(m).padStart(2, '0')}'${s.toFixed(1)}"${value >= 0 ? pos : neg}`;
  };
  return `${part(lat, 'N', 'S')} ${part(lon, 'E', 'W')}`;
}

const at = (key: string) => seeded.find((o) => o.key === key)!;
/** Mixed formats: MGRS with spaces, decimal lat/lon with a class, DMS without an id, open ground. */
const mgrsHospital = forward([at('hospital').lon + 0.0005, at('hospital').lat], 5).replace(
  /^(\d{1,2}[C-X])([A-Z]{2})(\d{5})(\d{5})$/,
  '$1 $2 $3 $4',
);
const pasted = [
  `AP-1 ${mgrsHospital} 150`,
  `AP-2 ${at('cathedral').lat + 0.0004}, ${at('cathedral').lon} MEDIUM`,
  `${dms(at('school').lat, at('school').lon + 0.0008)} 250`,
  'AP-4 47.0200, 9.6000 100',
  `AP-5 ${at('hidden').lat}N ${at('hidden').lon}E 50`,
].join('\n');

interface TestMap {
  getSource: (id: string) => { getData: () => Promise<GeoJSON.FeatureCollection> } | undefined;
  getCenter: () => { lng: number; lat: number };
  getZoom: () => number;
}

interface ApiScreening {
  id: string;
  marking: Marking;
  flagged_count: number;
  aimpoints: {
    id: string;
    lon: number;
    lat: number;
    mgrs: string;
    flags: string[];
    withheld_hits: number;
    hits: { object_id: string; name: string; list: string | null; restriction: string | null }[];
  }[];
}

/** Resource errors the browser logs for answers the app expects. */
const expectedStatus = [
  { status: 401, url: '/api/auth/me' },
  // A bad aimpoint line: the problem lists it.
  { status: 400, url: '/api/screenings/parse' },
];

describe.skipIf(!browserAvailable())(
  'the Plan page: screening planned aimpoints, in Debian chromium',
  { timeout: 240_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-e2e-scr-'));
    let store: Store;
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    let screeningId = '';
    let api: ApiScreening;
    const ids = new Map<string, string>();

    const signIn = async () => {
      await page.waitForSelector('[data-testid="sign-in-form"]');
      await page.fill('[data-testid="sign-in-username"]', 'scr-planner');
      await page.fill('[data-testid="sign-in-password"]', TEST_PASSWORD);
      await page.click('[data-testid="sign-in-submit"]');
    };

    const mapReady = () =>
      page.waitForSelector('[data-testid="map-view"][data-map-ready="true"]', {
        timeout: 90_000,
      });

    const sourceFeatures = (source: string) =>
      page.evaluate(async (id) => {
        const map = (window as unknown as { __civitasMap: TestMap }).__civitasMap;
        const data = await map.getSource(id)?.getData();
        return (data?.features ?? []).map((f) => ({
          type: f.geometry.type,
          properties: f.properties ?? {},
        }));
      }, source);

    /** A request made from the page, with its session (what the app itself would get). */
    const fromPage = <T>(method: string, url: string, body?: unknown) =>
      page.evaluate(
        async ([m, u, b]) => {
          const response = await fetch(u as string, {
            method: m as string,
            headers: b === undefined ? {} : { 'content-type': 'application/json' },
            body: b === undefined ? undefined : JSON.stringify(b),
          });
          return { status: response.status, body: (await response.json()) as unknown };
        },
        [method, url, body] as const,
      ) as Promise<{ status: number; body: T }>;

    beforeAll(async () => {
      if (!existsSync(join(webDir, 'index.html')))
        throw new Error('dist/web is missing: run npx vite build --config web/vite.config.ts');
      const config = loadConfig(
        {},
        { databaseUrl: join(dir, 'e2e.db'), port: 0, logLevel: 'silent', webDir },
      );
      store = await openStore(config.databaseUrl, testCipher());
      server = await startServer(config, store);
      const deps = defaultDeps(store);
      const system = systemActor('t');
      await createUser(deps, system, {
        username: 'scr-planner',
        role: 'targeting-officer',
        clearance: 'NR',
        organisations: ['NATO'],
        fullName: 'Scr Planner',
        contact: '',
        password: TEST_PASSWORD,
      });
      const seed = async (o: (typeof seeded)[number]) => {
        const created = await createObject(deps, system, {
          name: o.name,
          category: o.category,
          protection: o.protection,
          geometry: { type: 'Point', coordinates: [o.lon, o.lat] },
          bufferMetres: 30,
          source: 'e2e',
          sourceRef: o.key,
          topics: [],
          marking: o.marking,
          lists: o.list
            ? [{ list: o.list, ...(o.restriction ? { restriction: o.restriction } : {}) }]
            : [],
        } as Parameters<typeof createObject>[2]);
        ids.set(o.key, created.id);
      };
      // The NS object comes after the release, so the release stays NR and the planner sees it.
      for (const o of seeded.filter((x) => x.key !== 'hidden')) await seed(o);
      // A released NSL/RTL to screen against (two people: the system drafts, a legal adviser approves).
      const { user: approver } = await createUser(deps, system, {
        username: 'scr-legad',
        role: 'legal-adviser',
        clearance: 'NS',
        organisations: ['NATO'],
        fullName: 'Scr Legad',
        contact: '',
        password: TEST_PASSWORD,
      });
      const draft = await createDraftRelease(deps, system, 'NSL/RTL for phase 2');
      await submitRelease(deps, system, draft.id);
      await approveRelease(
        deps,
        { kind: 'user', id: approver.id, user: approver, via: 'cli', scopes: ['write'] },
        draft.id,
      );
      await seed(at('hidden'));

      browser = await launchChromium();
      ({ page } = await watchedPage(browser, expectedStatus, problems, {
        acceptDownloads: true,
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads pasted aimpoints as they are typed, draws them, and lists a bad line', async () => {
      await page.goto(`${server.url}/plan`);
      await signIn();
      await page.waitForSelector('[data-testid="screening-form"]');
      expect(await page.getAttribute('[data-testid="nav-plan"]', 'aria-current')).toBe('page');
      await mapReady();

      // A bad line first: the server's problem names its line and field, shown under the input.
      const bad = `${pasted}\nAP-9 99T ZZ 1 2 100`;
      await page.fill('[data-testid="screening-text"]', bad);
      await page.waitForSelector('[data-testid="screening-parse"][data-status="bad"]');
      const expectedBad = await fromPage<{ errors: { line?: number; message: string }[] }>(
        'POST',
        '/api/screenings/parse',
        { text: bad, format: 'auto', default_effect_class: 'MEDIUM' },
      );
      expect(expectedBad.status).toBe(400);
      const lines = await page.$$eval('[data-testid="screening-errors"] li', (items) =>
        items.map((li) => ({ line: li.getAttribute('data-line'), text: li.textContent ?? '' })),
      );
      expect(lines.map((l) => Number(l.line))).toEqual(expectedBad.body.errors.map((e) => e.line));
      expect(lines.map((l) => Number(l.line))).toEqual([6]);
      expect(lines[0]!.text).toContain(expectedBad.body.errors[0]!.message);
      await page.screenshot({ path: screenshotPath('screening-bad-line.png') });

      // Fixed: every aimpoint read and drawn as a ring, not yet screened.
      await page.fill('[data-testid="screening-text"]', pasted);
      await page.waitForSelector('[data-testid="screening-parse"][data-status="read"]');
      expect(await page.textContent('[data-testid="screening-parse-summary"]')).toContain(
        '5 aimpoints read',
      );
      await expect
        .poll(async () =>
          (await sourceFeatures('screening-rings'))
            .filter((f) => f.properties.role === 'ring')
            .map((f) => f.properties.state),
        )
        .toEqual(['draft', 'draft', 'draft', 'draft', 'draft']);
      await mapReady();
      await page.screenshot({ path: screenshotPath('screening-draft.png') });
    });

    it('runs the screening; the flag sheet, rings and hits match the API', async () => {
      // The released NSL/RTL is offered beside the register as it is now.
      const releases = await page.$$eval('[data-testid="screening-release"] option', (options) =>
        options.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']),
      );
      expect(releases).toEqual([
        ['', 'The register as it is now'],
        ['1', 'Release 1 — NSL/RTL for phase 2'],
      ]);
      await page.fill('[data-testid="screening-title"]', 'Phase 2 fires');
      await page.fill('[data-testid="screening-plan-reference"]', 'OPORD 7/26');
      await page.click('[data-testid="screening-run"]');
      await page.waitForSelector('[data-testid="screening-result"]');
      screeningId = (await page.getAttribute(
        '[data-testid="screening-result"]',
        'data-screening-id',
      ))!;
      expect(new URL(page.url()).pathname).toBe(`/plan/screenings/${screeningId}`);
      const got = await fromPage<ApiScreening>('GET', `/api/screenings/${screeningId}`);
      expect(got.status).toBe(200);
      api = got.body;

      // What the test expects of this screening, from the seeded positions.
      const byId = new Map(api.aimpoints.map((a) => [a.id, a]));
      expect(byId.get('AP-1')!.hits.map((h) => h.object_id)).toEqual([ids.get('hospital')]);
      expect(byId.get('AP-1')!.flags).toEqual(['NSL_INSIDE', 'HOSPITAL_INSIDE']);
      expect(byId.get('AP-2')!.hits[0]!.restriction).toBe('Only with the approval of COM JFC');
      expect(byId.get('AP-4')!.flags).toEqual(['NO_HITS']);
      expect(byId.get('AP-5')!.withheld_hits).toBe(1);
      expect(byId.get('AP-5')!.hits).toEqual([]);

      // The flag sheet: one row per aimpoint, its flags and hits as the API gave them.
      await mapReady();
      const rows = await page.$$eval('[data-testid="flag-sheet"] tbody tr[data-row-id]', (trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-row-id'),
          flags: [...tr.querySelectorAll('[data-flag]')].map((f) => f.getAttribute('data-flag')),
          hits: [...tr.querySelectorAll('[data-object-id]')].map((h) =>
            h.getAttribute('data-object-id'),
          ),
          text: tr.textContent ?? '',
          mgrs: tr.querySelector('[data-testid="aimpoint-mgrs"]')?.textContent ?? '',
        })),
      );
      expect(rows.map((r) => r.id).sort()).toEqual(api.aimpoints.map((a) => a.id).sort());
      for (const row of rows) {
        const a = byId.get(row.id!)!;
        expect(row.flags).toEqual(a.flags);
        expect(row.hits).toEqual(a.hits.map((h) => h.object_id));
        expect(row.mgrs.replace(/\s/g, '')).toBe(a.mgrs);
        for (const h of a.hits) expect(row.text).toContain(h.name);
      }
      // The hidden object is counted, never named.
      expect(rows.map((r) => r.text).join('\n')).not.toContain('Hidden depot');
      expect(await page.textContent('[data-testid="screening-flagged"]')).toContain(
        `${api.flagged_count} of ${api.aimpoints.length}`,
      );

      // Rings: one per aimpoint, coloured by its flags; hits with the register's symbols.
      const rings = (await sourceFeatures('screening-rings')).filter(
        (f) => f.properties.role === 'ring',
      );
      expect(rings).toHaveLength(api.aimpoints.length);
      for (const ring of rings) {
        const a = byId.get(String(ring.properties.id))!;
        expect(ring.type).toBe('Polygon');
        expect(ring.properties.state).toBe(
          a.flags.some((f) => f !== 'NO_HITS') ? 'flagged' : 'clear',
        );
      }
      const seenHits = new Set(api.aimpoints.flatMap((a) => a.hits.map((h) => h.object_id)));
      const hits = await sourceFeatures('screening-hits');
      expect(new Set(hits.map((f) => f.properties.id))).toEqual(seenHits);

      // The marking shows on the page: the record's chip and the banners.
      const text = formatMarking(api.marking);
      expect(
        await page.textContent('[data-testid="screening-result"] [data-testid="marking-chip"]'),
      ).toBe(text);
      expect(await page.textContent('[data-testid="marking-banner-top"]')).toContain(text);
      await page.screenshot({ path: screenshotPath('screening-result.png') });
    });

    it('zooms the map to the aimpoint of a row chosen in the flag sheet', async () => {
      const target = api.aimpoints.find((a) => a.id === 'AP-4')!;
      await page.click('[data-testid="flag-sheet"] tbody tr[data-row-id="AP-4"]');
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const map = (window as unknown as { __civitasMap: TestMap }).__civitasMap;
              const c = map.getCenter();
              return [c.lng, c.lat];
            }),
          { timeout: 10_000 },
        )
        .toSatisfy(
          ([lng, lat]: number[]) =>
            Math.abs(lng! - target.lon) < 0.002 && Math.abs(lat! - target.lat) < 0.002,
        );
      // Keyboard: the next row is one arrow away.
      await page.keyboard.press('ArrowDown');
      expect(
        await page.getAttribute(
          '[data-testid="flag-sheet"] tr[aria-selected="true"]',
          'data-row-id',
        ),
      ).toBe('AP-5');
      await page.screenshot({ path: screenshotPath('screening-zoomed.png') });
    });

    it('downloads the flag sheet as CSV with its marking row, and as PDF', async () => {
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid="flag-sheet-csv"]'),
      ]);
      const body = readFileSync((await csv.path())!, 'utf8');
      const [first, header] = body.split(/\r?\n/);
      // The marking banner row (quoted only if the CSV writer needs to).
      expect(first?.replace(/^"(.*)"$/, '$1')).toBe(formatMarking(api.marking));
      expect(header).toContain('aimpoint');
      for (const a of api.aimpoints) expect(body).toContain(a.id);
      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid="flag-sheet-pdf"]'),
      ]);
      expect(
        readFileSync((await pdf.path())!)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });

    it('lists earlier screenings to reopen', async () => {
      await page.click('[data-testid="plan-tab-list"]');
      await page.waitForSelector('[data-testid="screenings-table"] tbody tr[data-row-id]');
      const listed = await page.$$eval(
        '[data-testid="screenings-table"] tbody tr[data-row-id]',
        (trs) => trs.map((tr) => tr.getAttribute('data-row-id')),
      );
      expect(listed).toEqual([screeningId]);
      await page.screenshot({ path: screenshotPath('screening-list.png') });
      await page.click('[data-testid="screening-open"]');
      await page.waitForSelector(
        `[data-testid="screening-result"][data-screening-id="${screeningId}"]`,
      );
      await mapReady();
      expect(
        await page.$$eval('[data-testid="flag-sheet"] tbody tr[data-row-id]', (t) => t.length),
      ).toBe(api.aimpoints.length);
    });

    it('edits an effect class in place', async () => {
      await page.click('[data-testid="plan-tab-effect-classes"]');
      await page.waitForSelector('[data-testid="effect-classes-table"] tr[data-code="MEDIUM"]');
      await page.click('[data-testid="effect-class-edit-MEDIUM"]');
      await page.fill('[data-testid="effect-class-radius"]', '0');
      await page.click('[data-testid="effect-class-save"]');
      expect(await page.textContent('[data-testid="effect-class-editing"]')).toContain(
        'A radius above 0',
      );
      await page.fill('[data-testid="effect-class-radius"]', '120');
      await page.press('[data-testid="effect-class-radius"]', 'Enter');
      await expect
        .poll(() =>
          page.textContent('[data-testid="effect-classes-table"] tr[data-code="MEDIUM"] .num'),
        )
        .toBe('120');
      const classes = await fromPage<{ items: { code: string; radius_m: number }[] }>(
        'GET',
        '/api/effect-classes',
      );
      expect(classes.body.items.find((c) => c.code === 'MEDIUM')?.radius_m).toBe(120);
      // A new class is added at the foot, then deleted (a second press confirms).
      await page.click('[data-testid="effect-class-add"]');
      await page.fill('[data-testid="effect-class-code"]', 'demo_1');
      await page.fill('[data-testid="effect-class-label"]', 'Demolition charge');
      await page.fill('[data-testid="effect-class-radius"]', '42');
      await page.click('[data-testid="effect-class-save"]');
      await page.waitForSelector('[data-testid="effect-classes-table"] tr[data-code="DEMO_1"]');
      await page.screenshot({ path: screenshotPath('screening-effect-classes.png') });
      await page.click('[data-testid="effect-class-delete-DEMO_1"]');
      expect(await page.textContent('[data-testid="effect-class-delete-DEMO_1"]')).toBe(
        'Delete for good?',
      );
      await page.click('[data-testid="effect-class-delete-DEMO_1"]');
      await page.waitForSelector('[data-testid="effect-classes-table"] tr[data-code="DEMO_1"]', {
        state: 'detached',
      });
      const after = await fromPage<{ items: { code: string }[] }>('GET', '/api/effect-classes');
      expect(after.body.items.map((c) => c.code)).not.toContain('DEMO_1');
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual(
        [],
      );
      expect(problems).toEqual([]);
    });

    it('reads well in the dark theme, opened by its link', async () => {
      await page.context().close();
      ({ page } = await watchedPage(browser, expectedStatus, problems, { colorScheme: 'dark' }));
      await page.goto(`${server.url}/plan/screenings/${screeningId}`);
      await signIn();
      await page.waitForSelector(
        `[data-testid="screening-result"][data-screening-id="${screeningId}"]`,
      );
      await mapReady();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await page.screenshot({ path: screenshotPath('screening-result-dark.png') });
      expect(problems).toEqual([]);
    });
  },
);
