import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
