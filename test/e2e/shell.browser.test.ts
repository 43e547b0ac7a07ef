import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { browserAvailable, launchChromium, screenshotPath } from '../helpers/browser.js';
import { testCipher } from '../helpers/crypto.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';

const webDir = resolve('dist/web');

describe.skipIf(!browserAvailable())('web shell in Debian chromium', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-e2e-'));
  let store: Store;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDir, 'index.html')))
      throw new Error('dist/web is missing: run npm run build first');
    const config = loadConfig(
      {},
      { databaseUrl: join(dir, 'e2e.db'), port: 0, logLevel: 'silent', webDir },
    );
    store = await openStore(config.databaseUrl, testCipher());
    server = await startServer(config, store);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await createUser(defaultDeps(store), systemActor('test'), {
      username: 'shell-adviser',
      role: 'hs-adviser',
      clearance: 'NS',
      organisations: ['NATO'],
      fullName: 'Shell Adviser',
      contact: '',
      password: TEST_PASSWORD,
    });
    // Sign in through the API: the page shares the cookie (the sign-in form has its own test).
    const signIn = await page.request.post(`${server.url}/api/auth/sign-in`, {
      data: { username: 'shell-adviser', password: TEST_PASSWORD },
      headers: { origin: server.url },
    });
    expect(signIn.status()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the map with the demo area drawn and the marking banners shown', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid="map-view"][data-map-ready="true"]', {
      timeout: 90_000,
    });
    const top = await page.textContent('[data-testid="marking-banner-top"]');
    const bottom = await page.textContent('[data-testid="marking-banner-bottom"]');
    expect(top).toContain('EXERCISE');
    expect(top).toContain('NATO UNCLASSIFIED');
    expect(bottom).toBe(top);
    expect(await page.textContent('[data-testid="area-name"]')).toContain('EXERCISE UBANGI SHIELD');

    // The map really rendered: the basemap land and the demo layers are on the canvas.
    const rendered = await page.evaluate(() => {
      const map = (
        window as unknown as {
          __civitasMap: { queryRenderedFeatures: () => { layer: { id: string } }[] };
        }
      ).__civitasMap;
      return [...new Set(map.queryRenderedFeatures().map((f) => f.layer.id))];
    });
    expect(rendered).toContain('land');
    expect(rendered.some((id) => id.startsWith('regions'))).toBe(true);
    expect(rendered.some((id) => id.startsWith('places'))).toBe(true);
    await page.screenshot({ path: screenshotPath('shell-understand.png') });
  });

  it('shows the cursor position in MGRS and lat/lon', async () => {
    const box = await page.locator('[data-testid="map-view"]').boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    await page.mouse.move(box!.x + box!.width / 2 + 5, box!.y + box!.height / 2 + 5);
    await expect
      .poll(() => page.textContent('[data-testid="cursor-mgrs"]'))
      .toMatch(/^\d{1,2}[C-X]\s?[A-Z]{2}/);
    expect(await page.textContent('[data-testid="cursor-latlon"]')).toMatch(/\d+\.\d{5}/);
  });

  it('navigates between the capabilities by URL', async () => {
    for (const id of ['protect', 'plan', 'track', 'learn']) {
      await page.click(`[data-testid="nav-${id}"]`);
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/${id}`);
      expect(await page.getAttribute(`[data-testid="nav-${id}"]`, 'aria-current')).toBe('page');
    }
    await page.screenshot({ path: screenshotPath('shell-learn.png') });
    await page.click('[data-testid="nav-understand"]');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/understand');
    await page.waitForSelector('[data-testid="map-view"][data-map-ready="true"]', {
      timeout: 90_000,
    });
  });

  it('loads a deep link directly and raised no script error or CSP violation', async () => {
    await page.goto(`${server.url}/track`);
    expect(await page.getAttribute('[data-testid="nav-track"]', 'aria-current')).toBe('page');
    expect(problems).toEqual([]);
  });
});
