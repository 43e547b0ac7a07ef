import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { importObjects, readerFor } from '../../src/service/register/import.service.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { browserAvailable, launchChromium, screenshotPath } from '../helpers/browser.js';
import { testCipher } from '../helpers/crypto.js';

const webDir = resolve('dist/web');

/** Four objects in Liechtenstein, kilometres apart: one per category drawn, one of them an area. */
const objects = [
  {
    id: 't-cathedral',
    name: 'Kathedrale St. Florin',
    category: 'cultural',
    lon: 9.5215,
    lat: 47.1391,
  },
  { id: 't-hospital', name: 'Spital Schaan', category: 'medical', lon: 9.5095, lat: 47.1705 },
  {
    id: 't-school',
    name: 'Primarschule Triesen',
    category: 'education',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [9.529, 47.104],
          [9.531, 47.104],
          [9.531, 47.1055],
          [9.529, 47.1055],
          [9.529, 47.104],
        ],
      ],
    },
  },
  { id: 't-water', name: 'Wasserwerk Balzers', category: 'water', lon: 9.5005, lat: 47.0665 },
];
const ndjson = objects.map((o) => JSON.stringify(o)).join('\n');

/** The page's map, as the app exposes it for tests. */
interface TestMap {
  queryRenderedFeatures: (options?: { layers: string[] }) => {
    layer: { id: string };
    properties: Record<string, unknown>;
  }[];
  getLayer: (id: string) => unknown;
  project: (lngLat: [number, number]) => { x: number; y: number };
  fitBounds: (bounds: [[number, number], [number, number]], options: object) => void;
  once: (event: string, listener: () => void) => void;
}

/** Resource errors the browser logs for answers the app expects. */
const expectedStatus = [
  // No session yet, before signing in.
  { status: 401, url: '/api/auth/me' },
  // An import with bad items: the report lists them.
  { status: 422, url: '/api/objects/import' },
];

describe.skipIf(!browserAvailable())(
  'the register of protected objects and its releases, in Debian chromium',
  { timeout: 240_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-e2e-reg-'));
    let store: Store;
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let firstRelease = '';
    const problems: string[] = [];

    const newPage = async (colorScheme: 'light' | 'dark' = 'light') => {
      context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme });
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        const status = /status of (\d{3})/.exec(m.text())?.[1];
        const url = m.location().url;
        const expected = expectedStatus.some(
          (e) => String(e.status) === status && url.includes(e.url),
        );
        if (!expected) problems.push(`console: ${m.text()} (${url})`);
      });
      page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    };

    const signIn = async (username: string) => {
      await page.waitForSelector('[data-testid="sign-in-form"]');
      await page.fill('[data-testid="sign-in-username"]', username);
      await page.fill('[data-testid="sign-in-password"]', TEST_PASSWORD);
      await page.click('[data-testid="sign-in-submit"]');
      await page.waitForSelector('[data-testid="user-slot"]');
    };

    const signOut = async () => {
      await page.click('[data-testid="user-menu"]');
      await page.click('[data-testid="sign-out"]');
      await page.waitForSelector('[data-testid="sign-in-form"]');
    };

    const mapReady = () =>
      page.waitForSelector('[data-testid="map-view"][data-map-ready="true"]', {
        timeout: 90_000,
      });

    /** Features drawn now on the given layers (only those that exist). */
    const rendered = (layers: string[]) =>
      page.evaluate((wanted) => {
        const map = (window as unknown as { __civitasMap: TestMap }).__civitasMap;
        const present = wanted.filter((id) => map.getLayer(id));
        if (present.length === 0) return [];
        // A feature cut by tile edges is returned once per piece: count each id once per layer.
        const seen = new Set<string>();
        return map
          .queryRenderedFeatures({ layers: present })
          .map((f) => ({ layer: f.layer.id, properties: f.properties }))
          .filter((f) => {
            const key = `${f.layer}|${String(f.properties.id ?? f.properties.cluster_id)}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
      }, layers);

    /** Shows Liechtenstein on the map (the demo's own objects are far away, around its towns). */
    const showLiechtenstein = () =>
      page.evaluate(async () => {
        const map = (window as unknown as { __civitasMap: TestMap }).__civitasMap;
        map.fitBounds(
          [
            [9.47, 47.05],
            [9.56, 47.18],
          ],
          { animate: false, padding: 20 },
        );
        await new Promise<void>((done) => map.once('idle', () => done()));
      });

    /** Narrows the register table to the objects of this test (MGRS square 32T NT: Liechtenstein). */
    const onlyOurs = () => page.fill('[data-testid="register-table-filter"]', '32T NT');

    const tableRows = (testId: string) =>
      page.$$eval(`[data-testid="${testId}"] tbody tr[data-row-id]`, (rows) =>
        rows.map((r) => r.textContent ?? ''),
      );

    const cspViolations = () =>
      page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

    beforeAll(async () => {
      if (!existsSync(join(webDir, 'index.html')))
        throw new Error('dist/web is missing: run npm run build first');
      const config = loadConfig(
        {},
        { databaseUrl: join(dir, 'e2e.db'), port: 0, logLevel: 'silent', webDir },
      );
      store = await openStore(config.databaseUrl, testCipher());
      server = await startServer(config, store);
      const deps = defaultDeps(store);
      const system = systemActor('t');
      const user = (username: string, role: 'hs-adviser' | 'legal-adviser', fullName: string) =>
        createUser(deps, system, {
          username,
          role,
          clearance: 'NS',
          organisations: ['NATO'],
          fullName,
          contact: '',
          password: TEST_PASSWORD,
        });
      await user('reg-author', 'hs-adviser', 'Reg Author');
      await user('reg-legad', 'legal-adviser', 'Reg Legad');
      const report = await importObjects(
        deps,
        system,
        readerFor('ndjson', Readable.from(ndjson), { source: 't' }),
        { list: 'NSL' },
      );
      expect(report).toMatchObject({ inserted: 4, errorCount: 0, written: true });

      browser = await launchChromium();
      await newPage('light');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('draws the register by category on the map and lists it in the table', async () => {
      await page.goto(`${server.url}/protect`);
      await signIn('reg-author');
      await mapReady();
      // The demo comes with protected objects of its own, around its towns.
      await expect.poll(async () => (await tableRows('register-table')).length).toBeGreaterThan(4);
      await onlyOurs();
      await expect.poll(() => tableRows('register-table')).toHaveLength(4);
      const names = (await tableRows('register-table')).join('\n');
      for (const o of objects) expect(names).toContain(o.name);
      await showLiechtenstein();

      // Every object is on the map: as its category's symbol, or counted in a cluster.
      const drawn = await rendered(['objects-icon', 'objects-cluster']);
      const symbols = drawn.filter((f) => f.layer === 'objects-icon');
      const clustered = drawn
        .filter((f) => f.layer === 'objects-cluster')
        .reduce((sum, f) => sum + Number(f.properties.point_count), 0);
      expect(symbols.length + clustered).toBe(4);
      expect(symbols.length).toBeGreaterThan(0);
      expect(new Set(symbols.map((f) => f.properties.category)).size).toBe(symbols.length);
      // The school is an area: drawn as a fill with its outline.
      const areas = await rendered(['objects-area-fill', 'objects-area-line']);
      expect(new Set(areas.map((f) => f.layer))).toEqual(
        new Set(['objects-area-fill', 'objects-area-line']),
      );
      expect(await page.textContent('[data-testid="legend-objects"]')).toContain(
        'Cultural property',
      );
      expect(await page.textContent('[data-testid="marking-banner-top"]')).toContain(
        'NATO UNCLASSIFIED',
      );
      await page.screenshot({ path: screenshotPath('register-map.png') });
    });

    it('opens a record from the map and from the table, with its buffer ring and history', async () => {
      // A click on the hospital's symbol opens its record.
      const point = await page.evaluate(() => {
        const map = (window as unknown as { __civitasMap: TestMap }).__civitasMap;
        return map.project([9.5095, 47.1705]);
      });
      const box = await page.locator('[data-testid="map-view"]').boundingBox();
      await page.mouse.click(box!.x + point.x, box!.y + point.y);
      await expect
        .poll(() => page.textContent('[data-testid="record-title"]'))
        .toBe('Spital Schaan');
      expect(
        await page.getAttribute(
          '[data-testid="register-table"] tr[aria-selected="true"]',
          'data-row-id',
        ),
      ).toBeTruthy();

      // A row opens the cathedral: names, category, basis, list, buffer, MGRS, marking, source.
      await page.click('[data-testid="register-table"] tbody tr:has-text("Kathedrale")');
      await expect
        .poll(() => page.textContent('[data-testid="record-title"]'))
        .toBe('Kathedrale St. Florin');
      const record = (await page.textContent('[data-testid="record-panel"]')) ?? '';
      for (const text of [
        'Cultural property',
        'General protection (Hague 1954)',
        'No-strike list',
        '250 m',
        '32T NT',
        'NATO UNCLASSIFIED',
        't-cathedral',
        'v1',
      ]) {
        expect(record).toContain(text);
      }
      await mapReady();
      await expect
        .poll(async () => (await rendered(['object-buffer-line'])).length)
        .toBeGreaterThan(0);

      await page.click('[data-testid="record-tab-history"]');
      await page.waitForSelector('[data-testid="record-history"]');
      expect(await page.textContent('[data-testid="record-history"]')).toContain('Created');
      await page.click('[data-testid="record-tab-details"]');
    });

    it('creates a draft release, submits it, and does not let its author approve it', async () => {
      await page.click('[data-testid="protect-tab-releases"]');
      await page.waitForSelector('[data-testid="releases-panel"]');
      await page.click('[data-testid="release-new"]');
      await page.click('[data-testid="release-create"]');
      expect(await page.textContent('[data-testid="release-form"]')).toContain('title');
      await page.fill('[data-testid="release-title"]', 'No-strike list, phase 1');
      await page.click('[data-testid="release-create"]');
      await page.waitForSelector('[data-testid="release-panel"][data-status="draft"]');
      firstRelease = new URL(page.url()).pathname.split('/').pop() ?? '';
      expect(firstRelease).not.toBe('');
      // Every object on a list is new in the first release: ours and the demo's.
      await expect
        .poll(async () =>
          Number(await page.getAttribute('[data-testid="diff-added"]', 'data-count')),
        )
        .toBeGreaterThanOrEqual(4);

      await page.click('[data-testid="release-submit"]');
      await page.waitForSelector('[data-testid="release-panel"][data-status="review"]');
      expect(await page.isDisabled('[data-testid="release-approve"]')).toBe(true);
      expect(await page.textContent('[data-testid="release-approve-reason"]')).toContain(
        'another authorised person',
      );
    });

    it('lets a legal adviser approve it: it becomes release 1', async () => {
      await signOut();
      await page.goto(`${server.url}/protect/releases/${firstRelease}`);
      await signIn('reg-legad');
      await page.waitForSelector('[data-testid="release-panel"][data-status="review"]');
      expect(await page.$('[data-testid="release-submit"]')).toBeNull();
      expect(await page.isDisabled('[data-testid="release-approve"]')).toBe(false);
      await page.click('[data-testid="release-approve"]');
      await page.waitForSelector('[data-testid="release-panel"][data-status="released"]');
      expect(await page.textContent('[data-testid="release-heading"]')).toContain('Release 1');
      await page.click('[data-testid="release-back"]');
      await expect
        .poll(() => tableRows('releases-table'))
        .toEqual([expect.stringContaining('Released')]);
    });

    it('imports through the dialog: every bad item listed and nothing written, then one added', async () => {
      await signOut();
      await page.goto(`${server.url}/protect`);
      await signIn('reg-author');
      await page.waitForSelector('[data-testid="register-table"] tbody tr[data-row-id]');
      await onlyOurs();
      await expect.poll(() => tableRows('register-table')).toHaveLength(4);

      await page.click('[data-testid="import-open"]');
      await page.waitForSelector('[data-testid="import-dialog"][open]');
      const bad = [
        '{"id":"n-1","name":"Good line","category":"medical","lon":9.52,"lat":47.12}',
        '{"id":"n-2","name":"Bad latitude","category":"water","lon":9.5,"lat":147.1}',
        '{"id":"n-3","name":"Bad category","category":"bunker","lon":9.5,"lat":47.1}',
      ].join('\n');
      await page.setInputFiles('[data-testid="import-file"]', {
        name: 'sites.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(bad),
      });
      expect(await page.inputValue('[data-testid="import-format"]')).toBe('ndjson');
      await page.selectOption('[data-testid="import-list"]', 'NSL');
      await page.uncheck('[data-testid="import-dry-run"]');
      await page.click('[data-testid="import-submit"]');
      await page.waitForSelector('[data-testid="import-report"]');
      expect(await page.getAttribute('[data-testid="import-report"]', 'data-written')).toBe(
        'false',
      );
      const errors = await page.$$eval('[data-testid="import-errors"] tbody tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      expect(errors.map((e) => e.slice(0, 3))).toEqual([
        ['1', '2', 'lat'],
        ['2', '3', 'category'],
      ]);
      await page.screenshot({ path: screenshotPath('register-import-errors.png') });

      const good =
        '{"id":"n-4","name":"Notunterkunft Vaduz","category":"humanitarian","lon":9.5262,"lat":47.1200}';
      await page.setInputFiles('[data-testid="import-file"]', {
        name: 'shelter.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(good),
      });
      await page.check('[data-testid="import-dry-run"]');
      await page.click('[data-testid="import-submit"]');
      await page.waitForSelector('[data-testid="import-report"][data-error-count="0"]');
      expect(await page.textContent('[data-testid="import-report"]')).toContain('Dry run');
      await page.uncheck('[data-testid="import-dry-run"]');
      await page.click('[data-testid="import-submit"]');
      await page.waitForSelector('[data-testid="import-report"][data-written="true"]');
      await page.click('[data-testid="import-close"]');
      await expect.poll(() => tableRows('register-table')).toHaveLength(5);
      expect(problems).toEqual([]);
    });

    it('moves one object and takes another off the list', async () => {
      // Move the water works about 800 m north-east, through the API.
      const moved = await page.evaluate(async () => {
        const page = (await (await fetch('/api/objects?q=Wasserwerk')).json()) as {
          items: { id: string }[];
        };
        const id = page.items[0]?.id ?? '';
        const answer = await fetch(`/api/objects/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ geometry: { type: 'Point', coordinates: [9.509, 47.0715] } }),
        });
        return answer.status;
      });
      expect(moved).toBe(200);

      // Take the hospital off the no-strike list from its record.
      await page.click('[data-testid="register-table"] tbody tr:has-text("Spital Schaan")');
      await page.waitForSelector('[data-testid="object-take-off-list"]');
      await page.click('[data-testid="object-take-off-list"]');
      await expect
        .poll(() => page.textContent('[data-testid="record-panel"]'))
        .toContain('Not on a list');
      await page.click('[data-testid="record-tab-history"]');
      await expect
        .poll(() => page.textContent('[data-testid="record-history"]'))
        .toContain('fields: list');
      await page.screenshot({ path: screenshotPath('register-record-history.png') });
    });

    it('shows a new release against release 1: 1 added, 1 removed, 1 moved on the map and in the table', async () => {
      await page.click('[data-testid="protect-tab-releases"]');
      await page.click('[data-testid="release-new"]');
      await page.fill('[data-testid="release-title"]', 'No-strike list, phase 2');
      await page.click('[data-testid="release-create"]');
      await page.waitForSelector('[data-testid="release-panel"][data-status="draft"]');
      await page.waitForSelector('[data-testid="release-diff-map"]');
      await mapReady();
      await showLiechtenstein();
      expect(await page.textContent('#release-diff-title')).toContain('release 1');

      const counts = async () =>
        Object.fromEntries(
          await Promise.all(
            ['added', 'removed', 'moved', 'changed'].map(async (change) => [
              change,
              await page.getAttribute(`[data-testid="diff-${change}"]`, 'data-count'),
            ]),
          ),
        );
      await expect.poll(counts).toEqual({ added: '1', removed: '1', moved: '1', changed: '0' });

      // The table lists the three changes, by name.
      await expect.poll(() => tableRows('release-diff-table')).toHaveLength(3);
      const changes = await page.$$eval(
        '[data-testid="release-diff-table"] tbody tr [data-change]',
        (cells) => cells.map((c) => c.getAttribute('data-change')).sort(),
      );
      expect(changes).toEqual(['added', 'moved', 'removed']);
      const rows = (await tableRows('release-diff-table')).join('\n');
      expect(rows).toContain('Notunterkunft Vaduz');
      expect(rows).toContain('Spital Schaan');
      expect(rows).toContain('Wasserwerk Balzers');

      // The map shows them: green, red, and the move as a line with an arrowhead.
      const layers = [
        'release-diff-added',
        'release-diff-removed',
        'release-diff-moved',
        'release-diff-changed',
        'release-diff-moved-line',
        'release-diff-moved-arrow',
        'release-diff-same',
      ];
      await expect
        .poll(async () => {
          const drawn = await rendered(layers);
          const byLayer: Record<string, number> = {};
          for (const f of drawn) byLayer[f.layer] = (byLayer[f.layer] ?? 0) + 1;
          return byLayer;
        })
        .toMatchObject({
          'release-diff-added': 1,
          'release-diff-removed': 1,
          'release-diff-moved': 1,
          'release-diff-moved-line': 1,
          'release-diff-moved-arrow': 1,
          // The cathedral and the school, unchanged.
          'release-diff-same': 2,
        });
      expect((await rendered(['release-diff-changed'])).length).toBe(0);
      await page.screenshot({ path: screenshotPath('release-diff.png') });

      // Choosing the move in the table shows it on the map, up close.
      await page.click('[data-testid="release-diff-table"] tbody tr:has([data-change="moved"])');
      await mapReady();
      await expect.poll(async () => (await rendered(['release-diff-moved-arrow'])).length).toBe(1);
      await page.screenshot({ path: screenshotPath('release-diff-moved.png') });

      // The filter shows only one kind of change.
      await page.click('[data-testid="diff-removed"]');
      await expect.poll(() => tableRows('release-diff-table')).toHaveLength(1);
      expect(await page.getAttribute('[data-testid="release-export-geojson"]', 'href')).toContain(
        'format=geojson&release=',
      );
      expect(await cspViolations()).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('reads well in the dark theme, and raised no script error or CSP violation', async () => {
      const url = page.url();
      await context.close();
      await newPage('dark');
      await page.goto(url);
      await signIn('reg-author');
      await mapReady();
      await page.waitForSelector('[data-testid="release-diff-table"] tbody tr[data-row-id]');
      // A release opens on its changes.
      await expect
        .poll(async () =>
          (
            await rendered(['release-diff-added', 'release-diff-removed', 'release-diff-moved'])
          ).map((f) => f.layer),
        )
        .toHaveLength(3);
      await page.screenshot({ path: screenshotPath('release-diff-dark.png') });
      await page.goto(`${server.url}/protect`);
      await mapReady();
      await page.waitForSelector('[data-testid="register-table"] tbody tr[data-row-id]');
      await onlyOurs();
      await expect.poll(() => tableRows('register-table')).toHaveLength(5);
      await showLiechtenstein();
      await page.screenshot({ path: screenshotPath('register-map-dark.png') });
      expect(await cspViolations()).toEqual([]);
      expect(problems).toEqual([]);
    });
  },
);
