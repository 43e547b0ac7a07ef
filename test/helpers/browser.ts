import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium: the only browser the tests use (never a downloaded one). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; under CI they must. */
export function browserAvailable(): boolean {
  const present = existsSync(CHROMIUM);
  if (!present && process.env.CI) {
    throw new Error(`${CHROMIUM} is missing under CI: .ci/run must install Debian's chromium`);
  }
  if (!present) {
    console.error(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
  }
  return present;
}

/**
 * Launches headless chromium with the flags this closed network needs: no background
 * networking, no component updates, no sync.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/** Where screenshots go, to be looked at. */
export function screenshotPath(name: string): string {
  const dir = resolve('test-results');
  mkdirSync(dir, { recursive: true });
  return resolve(dir, name);
}

/** A browser error answer a test expects (e.g. 401 from `/api/auth/me` before signing in). */
export interface ExpectedStatus {
  status: number;
  url: string;
}

/**
 * A new page (laptop-sized unless told) whose script errors, unexpected failed requests and CSP violations
 * are collected: console and page errors go to `problems`, CSP violations to `window.__csp`.
 *
 * @example const { context, page } = await watchedPage(browser, expected, problems);
 */
export async function watchedPage(
  browser: Browser,
  expectedStatus: readonly ExpectedStatus[],
  problems: string[],
  options: {
    colorScheme?: 'light' | 'dark';
    acceptDownloads?: boolean;
    /** Default 1366×768 (a laptop); 390×844 is a phone. */
    viewport?: { width: number; height: number };
  } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1366, height: 768 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(m.text())?.[1];
    const url = m.location().url;
    const expected = expectedStatus.some((e) => String(e.status) === status && url.includes(e.url));
    if (!expected) problems.push(`console: ${m.text()} (${url})`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  return { context, page };
}
