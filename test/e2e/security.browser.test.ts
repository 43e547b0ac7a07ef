import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createArea } from '../../src/service/area/area.service.js';
import { createUser, grantCompartment } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { createFactor } from '../../src/service/factor/factor.service.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { browserAvailable, launchChromium, screenshotPath } from '../helpers/browser.js';
import { testCipher } from '../helpers/crypto.js';

const webDir = resolve('dist/web');

/** Script-injection payloads, each of which would open a dialog if it ever ran. */
const XSS = {
  img: '<img src=x onerror=alert(1)>',
  script: '<script>alert(2)</script>',
  svg: '"><svg onload=alert(3)>',
  js: 'javascript:alert(4)',
};
const xssTitle = `Checkpoint ${XSS.img} ${XSS.script}`;
const xssSummary = `Summary ${XSS.svg} and ${XSS.js}`;
const xssDetails = `Details ${XSS.script}\nsecond line ${XSS.img}`;
const xssAreaName = `AO ${XSS.img} ${XSS.svg}`;
const crsvTitle = 'Referral gap for survivors at the river crossing';

/** Resource errors the browser logs for answers the app expects (no session yet, bad password). */
const expected401 = /Failed to load resource: the server responded with a status of 401/;

describe.skipIf(!browserAvailable())(
  'security in the web app, in Debian chromium',
  { timeout: 180_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-e2e-sec-'));
    let store: Store;
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let areaId = '';
    const problems: string[] = [];
    const dialogs: string[] = [];

    const watch = (p: Page) => {
      p.on('console', (m) => {
        if (m.type() === 'error' && !expected401.test(m.text()))
          problems.push(`console: ${m.text()}`);
      });
      p.on('pageerror', (e) => problems.push(`page: ${e.message}`));
      p.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    };

    const newPage = async (colorScheme: 'light' | 'dark' = 'light') => {
      context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme });
      // Collect CSP violations the page itself sees (reported as events, not only as console).
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      page = await context.newPage();
      watch(page);
      return page;
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

    const openFactors = async () => {
      await page.waitForSelector('[data-testid="tab-factors"]');
      await page.click('[data-testid="tab-factors"]');
      await page.waitForSelector('[data-testid="factor-matrix"]');
      await page.waitForSelector('[data-testid="factors-table"] tbody tr[data-row-id]');
    };

    /** Nodes a successful injection would have left in the document. */
    const injected = () =>
      page.evaluate(() => {
        const found: string[] = [];
        for (const s of document.querySelectorAll('script')) {
          const src = s.getAttribute('src');
          if (!src || !src.startsWith('/assets/')) found.push(`script ${src ?? s.textContent}`);
        }
        for (const el of document.querySelectorAll('*')) {
          for (const attr of el.getAttributeNames()) {
            if (/^on/i.test(attr)) found.push(`${el.tagName} ${attr}`);
          }
        }
        for (const a of document.querySelectorAll('a[href], [src]')) {
          const url = a.getAttribute('href') ?? a.getAttribute('src') ?? '';
          if (/^\s*javascript:/i.test(url)) found.push(`${a.tagName} ${url}`);
        }
        for (const img of document.querySelectorAll('img')) found.push(`img ${img.src}`);
        return found;
      });

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
      const system = systemActor('test');

      const user = (
        username: string,
        role: 'hs-adviser' | 'partner' | 'admin',
        organisations: ('NATO' | 'UN')[],
        clearance: 'NS' | 'NU',
        fullName: string,
      ) =>
        createUser(deps, system, {
          username,
          role,
          clearance,
          organisations,
          fullName,
          contact: '',
          password: TEST_PASSWORD,
        });
      await user('sec-adviser', 'hs-adviser', ['NATO'], 'NS', 'Sec Adviser');
      await grantCompartment(deps, system, 'sec-adviser', 'CRSV');
      await user('sec-partner', 'partner', ['UN'], 'NU', 'Sec Partner');
      await user('sec-admin', 'admin', ['NATO'], 'NS', 'Sec Admin');

      const area = await createArea(deps, system, {
        name: xssAreaName,
        description: `Area description ${XSS.script}`,
        exercise: true,
        marking: { classification: 'NU', releasability: ['EU', 'UN'] },
        source: `source ${XSS.js}`,
        outline: {
          type: 'Polygon',
          coordinates: [
            [
              [18, 4],
              [19, 4],
              [19, 5],
              [18, 5],
              [18, 4],
            ],
          ],
        },
      });
      areaId = area.id;
      const factor = (
        title: string,
        summary: string,
        details: string,
        compartment: 'CRSV' | null,
      ) =>
        createFactor(deps, system, areaId, {
          regionId: null,
          pmesii: 'SOCIAL',
          ascope: 'PEOPLE',
          topics: compartment ? ['CRSV'] : ['PoC'],
          title,
          summary,
          details,
          marking: { classification: 'NU', releasability: ['UN'] },
          compartment,
        });
      await factor(xssTitle, xssSummary, xssDetails, null);
      await factor(
        crsvTitle,
        'Survivors cannot reach the clinic.',
        'Held by the focal point.',
        'CRSV',
      );
      await factor('Water points far from the sites', 'Two kilometres to walk.', '', null);

      browser = await launchChromium();
      await newPage('light');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the sign-in screen under unclassified banners, and says nothing about which field was wrong', async () => {
      await page.goto(`${server.url}/understand?area=${encodeURIComponent(areaId)}`);
      await page.waitForSelector('[data-testid="sign-in-form"]');
      expect(await page.textContent('[data-testid="marking-banner-top"]')).toBe(
        'NATO UNCLASSIFIED',
      );
      expect(await page.textContent('[data-testid="marking-banner-bottom"]')).toBe(
        'NATO UNCLASSIFIED',
      );

      await page.fill('[data-testid="sign-in-username"]', 'nobody-here');
      await page.fill('[data-testid="sign-in-password"]', 'not the password at all');
      await page.click('[data-testid="sign-in-submit"]');
      const unknownUser = await page.textContent('[data-testid="sign-in-error"]');
      await page.fill('[data-testid="sign-in-username"]', 'sec-partner');
      await page.fill('[data-testid="sign-in-password"]', 'not the password at all');
      await page.click('[data-testid="sign-in-submit"]');
      await expect.poll(() => page.inputValue('[data-testid="sign-in-password"]')).toBe('');
      const wrongPassword = await page.textContent('[data-testid="sign-in-error"]');
      expect(unknownUser).toBeTruthy();
      expect(wrongPassword).toBe(unknownUser);
      await page.screenshot({ path: screenshotPath('security-sign-in.png') });
    });

    it('signs in and opens the page that was asked for', async () => {
      await signIn('sec-adviser');
      expect(new URL(page.url()).pathname).toBe('/understand');
      expect(new URL(page.url()).searchParams.get('area')).toBe(areaId);
      expect(await page.textContent('[data-testid="user-slot"]')).toContain('Sec Adviser');
      expect(await page.textContent('[data-testid="user-slot"]')).toContain('CRSV');
      expect(await page.$('[data-testid="nav-admin"]')).toBeNull();
    });

    it('shows script payloads in factors and the area as text, never running them', async () => {
      await openFactors();
      expect(await page.textContent('[data-testid="area-title"]')).toBe(xssAreaName);
      await page.click(`[data-testid="factors-table"] tbody tr:has-text("Checkpoint")`);
      await page.waitForSelector('[data-testid="record-panel"]');

      expect(await page.textContent('[data-testid="record-title"]')).toBe(xssTitle);
      expect(await page.textContent('[data-testid="factor-record-summary"]')).toBe(xssSummary);
      expect(await page.textContent('[data-testid="factor-record-details"]')).toBe(xssDetails);
      // Visible as text to the user, not only present in the DOM.
      for (const testId of ['record-title', 'factor-record-summary', 'factor-record-details']) {
        expect(await page.locator(`[data-testid="${testId}"]`).isVisible()).toBe(true);
      }
      expect(await page.getByText(xssTitle).first().isVisible()).toBe(true);

      // Every marking is beside its title, and the banner combines them.
      expect(
        await page.$$('[data-testid="factors-table"] [data-testid="marking-chip"]'),
      ).toHaveLength(3);
      expect(await page.textContent('[data-testid="marking-banner-top"]')).toContain(
        'NATO UNCLASSIFIED',
      );

      // Give any handler a moment to fire, then look for what an injection leaves behind.
      await page.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      expect(await injected()).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      expect(problems).toEqual([]);
      await page.screenshot({ path: screenshotPath('security-factor-xss.png') });
    });

    it('checks a new factor as the user types and keeps the draft over an expired session', async () => {
      await page.click('[data-testid="factor-new"]');
      await page.waitForSelector('[data-testid="factor-form"]');
      await page.click('[data-testid="factor-submit"]');
      expect(
        await page.textContent('[data-testid="factor-form"] [data-testid="field-error"]'),
      ).toContain('title');
      await page.fill('[data-testid="factor-title"]', 'x'.repeat(201));
      expect(await page.textContent('[data-testid="factor-form"]')).toContain('at most 200');
      await page.fill('[data-testid="factor-title"]', `Draft ${XSS.img}`);
      await page.selectOption('[data-testid="factor-pmesii"]', 'SOCIAL');
      await page.selectOption('[data-testid="factor-ascope"]', 'AREAS');
      await page.fill('[data-testid="factor-summary"]', `Typed summary ${XSS.script}`);
      // Only the user's own compartments and levels up to their clearance are offered.
      const compartments = await page.$$eval(
        '[data-testid="factor-compartment"] option',
        (options) => options.map((o) => (o as HTMLOptionElement).value),
      );
      expect(compartments).toEqual(['', 'CRSV']);
      const levels = await page.$$eval('[data-testid="factor-classification"] option', (options) =>
        options.map((o) => (o as HTMLOptionElement).value),
      );
      expect(levels).toEqual(['NU', 'NR', 'NC', 'NS']);

      // The session ends (cookie gone): saving shows the sign-in screen, the draft survives it.
      await context.clearCookies();
      await page.click('[data-testid="factor-submit"]');
      await page.waitForSelector('[data-testid="sign-in-expired"]');
      await page.fill('[data-testid="sign-in-password"]', TEST_PASSWORD);
      await page.click('[data-testid="sign-in-submit"]');
      await page.waitForSelector('[data-testid="factor-form"]');
      expect(await page.inputValue('[data-testid="factor-title"]')).toBe(`Draft ${XSS.img}`);

      await page.click('[data-testid="factor-submit"]');
      await page.waitForSelector('[data-testid="record-title"]');
      expect(await page.textContent('[data-testid="record-title"]')).toBe(`Draft ${XSS.img}`);
      expect(dialogs).toEqual([]);
      expect(await injected()).toEqual([]);
    });

    it('hides a CRSV factor from a partner and shows the compartment only as "<5"', async () => {
      await signOut();
      // Signing out leaves for the home page: the next user does not inherit the last one's page.
      expect(new URL(page.url()).pathname).toBe('/');
      await page.goto(`${server.url}/understand?area=${encodeURIComponent(areaId)}`);
      await signIn('sec-partner');
      await openFactors();
      const titles = await page.$$eval('[data-testid="factors-table"] tbody tr', (rows) =>
        rows.map((r) => r.textContent ?? ''),
      );
      expect(titles.some((t) => t.includes('Checkpoint'))).toBe(true);
      expect(titles.some((t) => t.includes(crsvTitle))).toBe(false);
      expect(await page.content()).not.toContain(crsvTitle);
      const restricted = await page.textContent('[data-testid="factor-restricted"]');
      expect(restricted).toContain('CRSV');
      expect(restricted).toContain('<5');
      expect(await page.$('[data-testid="factor-new"]')).toBeNull();
      expect(await page.$('[data-testid="nav-admin"]')).toBeNull();
      await page.screenshot({ path: screenshotPath('security-partner.png') });
      await page.goto(`${server.url}/admin`);
      await page.waitForSelector('[data-testid="page-forbidden"]');
    });

    it('gives administrators the audit trail, its verification and the accounts, in dark too', async () => {
      await context.close();
      await newPage('dark');
      await page.goto(`${server.url}/admin`);
      await signIn('sec-admin');
      await page.waitForSelector('[data-testid="page-admin"]');
      await page.waitForSelector('[data-testid="audit-verify-status"][data-state="ok"]');
      expect(await page.textContent('[data-testid="audit-verify-status"]')).toMatch(
        /Chain intact: \d+ events/,
      );
      await page.waitForSelector('[data-testid="audit-table"] tbody tr[data-seq]');
      await page.waitForSelector('[data-testid="users-table"] tr[data-user="sec-partner"]');
      await page.fill('[data-testid="audit-filter-action"]', 'factor.create');
      await page.click('[data-testid="audit-apply"]');
      await expect
        .poll(() =>
          page.$$eval('[data-testid="audit-table"] tbody tr[data-seq]', (rows) =>
            rows.map((r) => r.textContent ?? ''),
          ),
        )
        .toSatisfy(
          (rows: string[]) => rows.length > 0 && rows.every((r) => r.includes('factor.create')),
        );
      await page.screenshot({ path: screenshotPath('security-admin-dark.png') });

      await page.click('[data-testid="user-toggle-sec-partner"]');
      await page.waitForSelector(
        '[data-testid="users-table"] tr[data-user="sec-partner"] [data-testid="user-status"]:has-text("Disabled")',
      );
      expect(dialogs).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      expect(problems).toEqual([]);
    });
  },
);
