import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldCipher, loadKeyring, openStore } from '../../src/store/open-store.js';
import { DEMO_AREA_ID } from '../../src/service/demo/demo-area.js';
import { CIVITAS_BIN, runCivitas } from '../helpers/cli.js';
import { UNRESTRICTED_VIEWER } from '../../src/domain/access/viewer.js';
import { sharedData } from '../helpers/shared-data.js';

const bin = CIVITAS_BIN;
const sharedDir = sharedData();
const dir = mkdtempSync(join(tmpdir(), 'civitas-cli-'));
const keyFile = join(dir, 'civitas.key');

/** Opens a database the CLI wrote, with the key file the CLI created. */
function openWithCliKey(db: string) {
  return openStore(
    db,
    createFieldCipher(loadKeyring({ kind: 'file', path: keyFile }, false).keyring),
  );
}

/** Runs the built `civitas` executable with this file's key file. */
const civitas = (args: string[], env: Record<string, string> = {}) =>
  runCivitas(args, { keyFile, env });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('civitas CLI (built executable)', () => {
  it('should be built by npm run build', () => {
    expect(existsSync(resolve('dist/server/cli/index.js'))).toBe(true);
  });

  it('should list its commands in --help', async () => {
    const { code, stdout } = await civitas(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'init',
      'serve',
      'demo',
      'version',
      'user',
      'audit',
      'keys',
      'backup',
      'restore',
    ]) {
      expect(stdout).toMatch(new RegExp(`\\b${command}\\b`));
    }
  });

  it('should print the version from package.json', async () => {
    const { stdout } = await civitas(['version']);
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(stdout.trim()).toBe(`civitas ${version}`);
  });

  it('should take --db on every command', async () => {
    for (const command of [
      ['init'],
      ['serve'],
      ['demo'],
      ['user', 'add'],
      ['user', 'list'],
      ['audit', 'verify'],
      ['keys', 'rotate'],
      ['backup'],
    ]) {
      const { stdout } = await civitas([...command, '--help']);
      expect(stdout).toContain('--db <path|url>');
    }
  });

  it('should create and migrate a database with init, reading CIVITAS_DATABASE_URL', async () => {
    const db = join(dir, 'init.db');
    const { code, stdout } = await civitas(['init'], { CIVITAS_DATABASE_URL: db });
    expect(code).toBe(0);
    expect(stdout).toContain('Database ready (sqlite)');
    expect(stdout).toMatch(/First administrator created: user name admin, password \S{20,}/);
    expect(existsSync(db)).toBe(true);
  });

  it('should load the demo with plain progress lines when not on a terminal, and reload it without duplicates', async () => {
    const db = join(dir, 'demo.db');
    const first = await civitas(['demo', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Loaded the demo area of operations (EXERCISE)');
    expect(first.stderr).toMatch(/writing demo area: 5\/5/);
    expect(first.stdout).toMatch(
      /Demo users \(EXERCISE\): demo-adviser.*password \S+ \(shown once\)/,
    );
    const second = await civitas(['demo', '--db', db]);
    expect(second.stdout).toContain('Reloaded');
    const store = await openWithCliKey(db);
    try {
      expect(await store.areas.countAreas()).toBe(1);
      const area = await store.areas.getArea(DEMO_AREA_ID, UNRESTRICTED_VIEWER);
      expect(area?.regionCount).toBe(8);
      expect(await store.users.getByUsername('demo-partner-un')).toBeDefined();
      const audit = await store.audit.listForRecord('area', DEMO_AREA_ID);
      expect(audit.map((e) => e.action)).toEqual(['demo.load', 'demo.reload']);
      expect(audit[0]!.actor).toMatch(/^cli:/);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!existsSync(join(sharedDir, 'ocha-cod-ab-caf')))(
    'should load richer real data with demo --data (OCHA prefectures)',
    async () => {
      const db = join(dir, 'data.db');
      const { code, stdout } = await civitas(['demo', '--db', db, '--data', sharedDir]);
      expect(code).toBe(0);
      expect(stdout).toContain('17 regions');
      const store = await openWithCliKey(db);
      try {
        const regions = await store.areas.listRegions(DEMO_AREA_ID);
        expect(regions.map((r) => r.code)).toContain('CF62');
        expect(regions.find((r) => r.code === 'CF62')?.name).toBe('Mbomou');
      } finally {
        await store.close();
      }
    },
  );

  it('should stop with one clear line when --data names a folder without the data', async () => {
    const db = join(dir, 'nodata.db');
    const { code, stderr } = await civitas(['demo', '--db', db, '--data', dir]);
    expect(code).toBe(1);
    const errors = stderr
      .trim()
      .split('\n')
      .filter((line) => !/^building demo area: /.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^civitas: .*caf_admin1\.geojson/);
  });

  it('should stop with one clear line, no stack trace, when PostgreSQL cannot be reached', async () => {
    const { code, stderr } = await civitas([
      'init',
      '--db',
      'postgres://civitas:secret@127.0.0.1:1/civitas',
    ]);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^civitas: cannot reach PostgreSQL at postgres:\/\/civitas:\*\*\*@127\.0\.0\.1:1\/civitas/,
    );
    expect(stderr).not.toContain('secret');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('should stop with one clear line when the configuration is invalid', async () => {
    const { code, stderr } = await civitas(['init', '--db', join(dir, 'x.db')], { PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^civitas: invalid configuration: PORT/);
  });

  it('should serve on the port it is given and stop on SIGTERM', async () => {
    const db = join(dir, 'serve.db');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {
      env: { ...process.env, CIVITAS_LOG_LEVEL: 'warn', CIVITAS_KEY_FILE: keyFile },
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no serving line in: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /serving (http:\/\/localhost:\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
    });
    expect(out).toContain('Loaded the demo area');
    const health = (await (await fetch(`${url}/api/health`)).json()) as { database: string };
    expect(health.database).toBe('sqlite');
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
