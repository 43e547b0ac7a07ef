import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import type { ServiceDeps } from '../../src/service/deps.js';
import { buildTestApp, TEST_PASSWORD, type TestApp, type TestUserSpec } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

// Authentication, sessions, API tokens, CSRF, password policy, role barriers, the boot-time
// policy check, security headers and the CSV export, all through the HTTP API (R01, R11–R17,
// R19, R33, R37; SECURITY.md §4).

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [20, 5],
      [21, 5],
      [21, 6],
      [20, 6],
      [20, 5],
    ],
  ],
};

/** A clock the test moves by hand. */
interface FakeClock {
  advance(minutes: number): void;
}

/**
 * A second app over the test app's store and configuration whose use cases read a fake clock.
 * buildTestApp wires the real clock into the app it builds and exposes no way to replace it, so
 * the clocked app is built beside it with `buildApp({ config, deps: { ...deps, now } })`.
 */
async function clockedApp(t: TestApp): Promise<{ app: FastifyInstance; clock: FakeClock }> {
  let ms = Date.now();
  const deps: ServiceDeps = { ...t.deps, now: () => new Date(ms).toISOString() };
  const app = await buildApp({ config: t.config, deps });
  return {
    app,
    clock: {
      advance(minutes) {
        ms += minutes * 60_000;
      },
    },
  };
}

function setCookieHeader(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** `name=value` of the one cookie a response sets. */
function cookieOf(res: LightMyRequestResponse): string {
  return setCookieHeader(res).split(';')[0]!;
}

function signIn(
  app: FastifyInstance,
  username: string,
  password: string = TEST_PASSWORD,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    headers,
    payload: { username, password },
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function me(app: FastifyInstance, headers: Record<string, string>) {
  return app.inject({ method: 'GET', url: '/api/auth/me', headers });
}

/** The problem body without `instance`, which names the URL and may differ between requests. */
function problemBody(res: LightMyRequestResponse): Record<string, unknown> {
  const { instance: _instance, ...rest } = res.json() as Record<string, unknown>;
  return rest;
}

const headerNames = (res: LightMyRequestResponse) => Object.keys(res.headers).sort();

async function createArea(
  app: FastifyInstance,
  headers: Record<string, string>,
  name: string,
  marking: { classification: string; releasability: string[] },
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/areas',
    headers,
    payload: { name, marking, outline: square },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function createFactor(
  app: FastifyInstance,
  headers: Record<string, string>,
  areaId: string,
  fields: {
    title: string;
    summary?: string;
    marking?: { classification: string; releasability: string[] };
    compartment?: string | null;
  },
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/areas/${areaId}/factors`,
    headers,
    payload: {
      pmesii: 'SOCIAL',
      ascope: 'PEOPLE',
      summary: '',
      marking: { classification: 'NU', releasability: [] },
      compartment: null,
      ...fields,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe.each(testDatabases())('authentication and access control on $name', (database) => {
  let t: TestApp;
  let clocked: { app: FastifyInstance; clock: FakeClock };
  let admin: { cookie: string; id: string };
  const webDir = mkdtempSync(join(tmpdir(), 'civitas-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Civitas test shell</title>');

  beforeAll(async () => {
    t = await buildTestApp(database, { lockoutThreshold: 3, lockoutMinutes: 15, webDir });
    clocked = await clockedApp(t);
    const signedIn = await t.signIn({ role: 'admin' });
    admin = { cookie: signedIn.cookie, id: signedIn.user.id };
  });
  afterAll(async () => {
    await clocked?.app.close();
    await t?.dispose();
  });

  const asAdmin = () => ({ cookie: admin.cookie });

  const rowCount = async (
    table: 'area' | 'factor' | 'audit_event' | 'session' | 'api_token' | 'user_account',
  ): Promise<number> => {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  const issueToken = async (
    headers: Record<string, string>,
    scopes: ('read' | 'write')[],
    days = 30,
    app: FastifyInstance = t.app,
  ): Promise<{ token: string; id: string }> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers,
      payload: { name: `script ${scopes.join('+')}`, scopes, days },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { token: res.json().token as string, id: res.json().record.id as string };
  };

  describe('sign-in', () => {
    it('should set an HttpOnly, SameSite=Strict, Path=/ session cookie without Secure by default', async () => {
      const user = await t.user({ role: 'analyst' });
      const res = await signIn(t.app, user.username);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ username: user.username, role: 'analyst' });
      const header = setCookieHeader(res);
      const [pair, ...attributes] = header.split(';').map((s) => s.trim());
      expect(pair).toMatch(/^civitas_session=[A-Za-z0-9_-]{43}$/);
      expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
      expect(attributes.some((a) => /^secure$/i.test(a))).toBe(false);
      expect(attributes.some((a) => /^domain=/i.test(a))).toBe(false);
      expect((await me(t.app, { cookie: pair! })).statusCode).toBe(200);
    });

    it('should use a __Host- prefixed Secure cookie when secureCookies is on', async () => {
      const secure = await buildTestApp(database, { secureCookies: true });
      try {
        const user = await secure.user({ role: 'analyst' });
        const res = await signIn(secure.app, user.username);
        expect(res.statusCode).toBe(200);
        const header = setCookieHeader(res);
        const [pair, ...attributes] = header.split(';').map((s) => s.trim());
        expect(pair).toMatch(/^__Host-civitas_session=[A-Za-z0-9_-]{43}$/);
        expect(attributes).toEqual(
          expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']),
        );
        expect(attributes.some((a) => /^domain=/i.test(a))).toBe(false);
        expect((await me(secure.app, { cookie: pair! })).statusCode).toBe(200);
        // The unprefixed name is not read when cookies are secure.
        const unprefixed = pair!.replace('__Host-civitas_session', 'civitas_session');
        expect((await me(secure.app, { cookie: unprefixed })).statusCode).toBe(401);
      } finally {
        await secure.dispose();
      }
    });

    it('should store only the SHA-256 of the session token, never the cookie value', async () => {
      const user = await t.user({ role: 'analyst' });
      const cookie = cookieOf(await signIn(t.app, user.username));
      const token = cookie.slice(cookie.indexOf('=') + 1);
      const rows = await t.store.db.selectFrom('session').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      const mine = rows.filter((r) => r.user_id === user.id);
      expect(mine.map((r) => r.id_hash)).toEqual([sha256(token)]);
    });

    it('should issue a fresh token and ignore a cookie planted before sign-in (session fixation)', async () => {
      const user = await t.user({ role: 'analyst' });
      const planted = `civitas_session=${randomBytes(32).toString('base64url')}`;
      const res = await signIn(t.app, user.username, TEST_PASSWORD, { cookie: planted });
      expect(res.statusCode).toBe(200);
      expect(cookieOf(res)).not.toBe(planted);
      expect((await me(t.app, { cookie: planted })).statusCode).toBe(401);
    });

    it('should fail with status 401 and the very same answer for an unknown user, a wrong password and a disabled user', async () => {
      const known = await t.user({ role: 'analyst' });
      const disabled = await t.user({ role: 'analyst' });
      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${disabled.id}`,
        headers: asAdmin(),
        payload: { disabled: true },
      });
      expect(patch.statusCode).toBe(200);

      const unknown = await signIn(t.app, 'nobody-by-this-name');
      const wrong = await signIn(t.app, known.username, 'not the right pass phrase at all');
      const off = await signIn(t.app, disabled.username);
      for (const res of [unknown, wrong, off]) {
        expect(res.statusCode).toBe(401);
        expect(res.json().code).toBe('sign_in_failed');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(problemBody(wrong)).toEqual(problemBody(unknown));
      expect(problemBody(off)).toEqual(problemBody(unknown));
      expect(headerNames(wrong)).toEqual(headerNames(unknown));
      expect(headerNames(off)).toEqual(headerNames(unknown));
      expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(off.headers['content-length']).toBe(unknown.headers['content-length']);
    });
  });

  describe('lockout', () => {
    it('should refuse the correct password once the threshold is reached, until the lock ends', async () => {
      const { app, clock } = clocked;
      const user = await t.user({ role: 'analyst' });
      const wrong = (n: number) => `wrong pass phrase number ${n} for the lock`;
      const failures = [];
      for (let n = 1; n <= 3; n++) failures.push(await signIn(app, user.username, wrong(n)));
      expect(failures.map((r) => r.statusCode)).toEqual([401, 401, 401]);

      const whileLocked = await signIn(app, user.username);
      expect(whileLocked.statusCode).toBe(401);
      expect(problemBody(whileLocked)).toEqual(problemBody(failures[0]!));
      expect(headerNames(whileLocked)).toEqual(headerNames(failures[0]!));

      clock.advance(14);
      expect((await signIn(app, user.username)).statusCode).toBe(401);
      clock.advance(2);
      const after = await signIn(app, user.username);
      expect(after.statusCode).toBe(200);
      expect((await me(app, { cookie: cookieOf(after) })).statusCode).toBe(200);

      const events = await t.store.audit.listForRecord('user', user.id);
      const actions = events.map((e) => e.action);
      expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(5);
      expect(actions.filter((a) => a === 'auth.locked')).toHaveLength(1);
      expect(actions.at(-1)).toBe('auth.sign_in');
      const text = JSON.stringify(events);
      for (const secret of [TEST_PASSWORD, wrong(1), wrong(2), wrong(3)]) {
        expect(text).not.toContain(secret);
      }
    });

    it('should write no password to the audit trail when an unknown user fails to sign in', async () => {
      const before = await rowCount('audit_event');
      const attempt = 'a pass phrase typed for nobody';
      expect((await signIn(t.app, 'ghost-user', attempt)).statusCode).toBe(401);
      expect(await rowCount('audit_event')).toBe(before + 1);
      const all = [];
      for await (const batch of t.store.audit.scan(1000)) all.push(...batch);
      const last = all.at(-1)!;
      expect(last).toMatchObject({ action: 'auth.sign_in_failed', recordId: 'unknown' });
      expect(JSON.stringify(all)).not.toContain(attempt);
      expect(JSON.stringify(all)).not.toContain(TEST_PASSWORD);
    });

    it('should lock the account when wrong passwords arrive in parallel', async () => {
      const user = await t.user({ role: 'analyst' });
      const attempts = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          signIn(t.app, user.username, `parallel wrong guess number ${n}`),
        ),
      );
      expect(attempts.every((r) => r.statusCode === 401)).toBe(true);
      expect((await signIn(t.app, user.username)).statusCode).toBe(401);
      const actions = (await t.store.audit.listForRecord('user', user.id)).map((e) => e.action);
      expect(actions).toContain('auth.locked');
    });
  });

  describe('sessions', () => {
    it('should fail with status 401 when the session has been idle too long', async () => {
      const { app, clock } = clocked;
      const user = await t.user({ role: 'analyst' });
      const cookie = cookieOf(await signIn(app, user.username));
      // Activity keeps the session alive (default idle limit: 30 minutes)...
      for (let i = 0; i < 3; i++) {
        clock.advance(29);
        expect((await me(app, { cookie })).statusCode).toBe(200);
      }
      // ...and 30 idle minutes end it; the session row is gone.
      clock.advance(30);
      const res = await me(app, { cookie });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
      const hash = sha256(cookie.slice(cookie.indexOf('=') + 1));
      expect(
        await t.store.db.selectFrom('session').selectAll().where('id_hash', '=', hash).execute(),
      ).toEqual([]);
    });

    it('should fail with status 401 when the session passes its absolute lifetime despite activity', async () => {
      const { app, clock } = clocked;
      const user = await t.user({ role: 'analyst' });
      const cookie = cookieOf(await signIn(app, user.username));
      // Default absolute lifetime: 12 hours. Active every 25 minutes until just before it...
      for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
        clock.advance(25);
        expect((await me(app, { cookie })).statusCode, `after ${minutes} min`).toBe(200);
      }
      // ...(now 11 h 40 min in), then 25 more minutes passes the 12-hour limit.
      clock.advance(25);
      expect((await me(app, { cookie })).statusCode).toBe(401);
    });

    it('should fail with status 401 with a cookie that was signed out, and clear the browser state', async () => {
      const user = await t.user({ role: 'analyst' });
      const cookie = cookieOf(await signIn(t.app, user.username));
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-out',
        headers: { cookie },
      });
      expect(out.statusCode).toBe(204);
      expect(setCookieHeader(out)).toMatch(/^civitas_session=;/);
      expect(out.headers['clear-site-data']).toBe('"cache", "storage"');
      expect((await me(t.app, { cookie })).statusCode).toBe(401);
    });

    it('should give each sign-in its own session and end them all with sign-out-everywhere', async () => {
      const user = await t.user({ role: 'analyst' });
      const first = cookieOf(await signIn(t.app, user.username));
      const second = cookieOf(await signIn(t.app, user.username));
      expect(second).not.toBe(first);
      // A new sign-in does not end the earlier session (several devices may be signed in)...
      expect((await me(t.app, { cookie: first })).statusCode).toBe(200);
      expect((await me(t.app, { cookie: second })).statusCode).toBe(200);
      // ...signing one out ends only that one...
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-out',
        headers: { cookie: second },
      });
      expect((await me(t.app, { cookie: second })).statusCode).toBe(401);
      expect((await me(t.app, { cookie: first })).statusCode).toBe(200);
      // ...and sign-out-everywhere ends every one of them.
      const third = cookieOf(await signIn(t.app, user.username));
      const everywhere = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-out-everywhere',
        headers: { cookie: first },
      });
      expect(everywhere.statusCode).toBe(204);
      for (const cookie of [first, second, third]) {
        expect((await me(t.app, { cookie })).statusCode).toBe(401);
      }
      expect(
        await t.store.db.selectFrom('session').selectAll().where('user_id', '=', user.id).execute(),
      ).toEqual([]);
    });

    it('should fail with status 401 on the very next request once an administrator disables the user', async () => {
      const { user, cookie } = await t.signIn({ role: 'analyst' });
      const { token } = await issueToken({ cookie }, ['read']);
      expect((await me(t.app, { cookie })).statusCode).toBe(200);
      expect((await me(t.app, bearer(token))).statusCode).toBe(200);
      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.id}`,
        headers: asAdmin(),
        payload: { disabled: true },
      });
      expect(patch.statusCode).toBe(200);
      expect(patch.json().disabled).toBe(true);
      expect((await me(t.app, { cookie })).statusCode).toBe(401);
      expect((await me(t.app, bearer(token))).statusCode).toBe(401);
      expect((await signIn(t.app, user.username)).statusCode).toBe(401);
    });

    it('should answer 404 on the very next request once a compartment grant is revoked (R11)', async () => {
      const { user, cookie } = await t.signIn({ role: 'hs-adviser', compartments: ['CRSV'] });
      const { token } = await issueToken({ cookie }, ['read']);
      const areaId = await createArea(t.app, { cookie }, 'AO R11', {
        classification: 'NU',
        releasability: [],
      });
      const factorId = await createFactor(t.app, { cookie }, areaId, {
        title: 'Reports of sexual violence near the river crossing',
        compartment: 'CRSV',
      });
      for (const headers of [{ cookie }, bearer(token)]) {
        expect(
          (await t.app.inject({ method: 'GET', url: `/api/factors/${factorId}`, headers }))
            .statusCode,
        ).toBe(200);
      }
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/users/${user.id}/compartments/CRSV`,
        headers: asAdmin(),
      });
      expect(revoke.statusCode).toBe(200);
      expect(revoke.json().compartments).toEqual([]);
      for (const headers of [{ cookie }, bearer(token)]) {
        const read = await t.app.inject({
          method: 'GET',
          url: `/api/factors/${factorId}`,
          headers,
        });
        expect(read.statusCode).toBe(404);
        expect(read.json().code).toBe('not_found');
        const list = await t.app.inject({
          method: 'GET',
          url: `/api/areas/${areaId}/factors`,
          headers,
        });
        expect(list.json().items.map((f: { id: string }) => f.id)).not.toContain(factorId);
      }
    });
  });

  describe('API tokens', () => {
    it('should show a token once, accept it as a Bearer credential and store only its hash', async () => {
      const { user, cookie } = await t.signIn({ role: 'analyst' });
      const { token, id } = await issueToken({ cookie }, ['read', 'write']);
      expect(token).toMatch(/^civ_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
      const secret = token.slice(17);
      expect(token.slice(4, 16)).toBe(id);

      const mine = await me(t.app, bearer(token));
      expect(mine.statusCode).toBe(200);
      expect(mine.json().username).toBe(user.username);

      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/auth/tokens',
        headers: { cookie },
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().map((x: { id: string }) => x.id)).toEqual([id]);
      expect(listed.body).not.toContain(secret);

      const rows = await t.store.db.selectFrom('api_token').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows.find((r) => r.id === id)?.secret_hash).toBe(sha256(secret));
    });

    it('should fail with status 403 forbidden when a read-scoped token writes, and let it read', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      const { token } = await issueToken({ cookie }, ['read']);
      const areas = await rowCount('area');
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/areas',
        headers: bearer(token),
        payload: {
          name: 'AO READ ONLY',
          marking: { classification: 'NU', releasability: [] },
          outline: square,
        },
      });
      expect(write.statusCode).toBe(403);
      expect(write.json().code).toBe('forbidden');
      expect(await rowCount('area')).toBe(areas);
      const read = await t.app.inject({ method: 'GET', url: '/api/areas', headers: bearer(token) });
      expect(read.statusCode).toBe(200);
    });

    it('should fail with status 403 forbidden when a token tries to issue or revoke tokens', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      const readOnly = await issueToken({ cookie }, ['read']);
      const writer = await issueToken({ cookie }, ['read', 'write']);
      const tokens = await rowCount('api_token');
      for (const { token } of [readOnly, writer]) {
        const mint = await t.app.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: bearer(token),
          payload: { name: 'escalated', scopes: ['write'], days: 365 },
        });
        expect(mint.statusCode).toBe(403);
        expect(mint.json().code).toBe('forbidden');
      }
      expect(await rowCount('api_token')).toBe(tokens);
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/auth/tokens/${writer.id}`,
        headers: bearer(readOnly.token),
      });
      expect(revoke.statusCode).toBe(403);
      expect((await me(t.app, bearer(writer.token))).statusCode).toBe(200);
    });

    it('should let a write-scoped token change data without an Origin header', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      const { token } = await issueToken({ cookie }, ['read', 'write']);
      await createArea(t.app, bearer(token), 'AO BY SCRIPT', {
        classification: 'NU',
        releasability: [],
      });
    });

    it('should fail with status 401 with a revoked token', async () => {
      const { cookie } = await t.signIn({ role: 'analyst' });
      const { token, id } = await issueToken({ cookie }, ['read']);
      expect((await me(t.app, bearer(token))).statusCode).toBe(200);
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/auth/tokens/${id}`,
        headers: { cookie },
      });
      expect(revoke.statusCode).toBe(204);
      const res = await me(t.app, bearer(token));
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    });

    it("should fail with status 404 when a user revokes someone else's token", async () => {
      const owner = await t.signIn({ role: 'analyst' });
      const other = await t.signIn({ role: 'analyst' });
      const { token, id } = await issueToken({ cookie: owner.cookie }, ['read']);
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/auth/tokens/${id}`,
        headers: { cookie: other.cookie },
      });
      expect(res.statusCode).toBe(404);
      expect((await me(t.app, bearer(token))).statusCode).toBe(200);
    });

    it('should fail with status 401 once a token has expired', async () => {
      const { app, clock } = clocked;
      const user = await t.user({ role: 'analyst' });
      const cookie = cookieOf(await signIn(app, user.username));
      const { token } = await issueToken({ cookie }, ['read'], 1, app);
      clock.advance(23 * 60);
      expect((await me(app, bearer(token))).statusCode).toBe(200);
      clock.advance(61);
      const res = await me(app, bearer(token));
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    });

    it('should fail with status 401 with malformed or forged tokens', async () => {
      const { cookie } = await t.signIn({ role: 'analyst' });
      const { token, id } = await issueToken({ cookie }, ['read', 'write']);
      const secret = token.slice(17);
      const sessionValue = cookie.slice(cookie.indexOf('=') + 1);
      const forged = [
        `civ_${id}_${randomBytes(32).toString('base64url')}`, // real id, guessed secret
        `civ_${randomBytes(9).toString('base64url')}_${secret}`, // real secret, other id
        `civ_${id}_${sha256(secret)}`, // the stored hash instead of the secret
        `${token}x`,
        token.slice(0, -1),
        `civ_${id}_`,
        'civ_',
        sessionValue, // a session token is not an API token
        `${token}\u0000`,
        'null',
        '',
      ];
      for (const value of forged) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/areas',
          headers: { authorization: `Bearer ${value}` },
        });
        expect(res.statusCode, value).toBe(401);
      }
      // A forged token is not rescued by a valid session cookie sent alongside it.
      const both = await t.app.inject({
        method: 'GET',
        url: '/api/areas',
        headers: { cookie, authorization: `Bearer civ_${id}_${'A'.repeat(43)}` },
      });
      expect(both.statusCode).toBe(401);
    });
  });

  describe('CSRF', () => {
    const newArea = {
      name: 'AO CSRF',
      marking: { classification: 'NU', releasability: [] },
      outline: square,
    };

    it('should fail with status 403 csrf_rejected and write nothing when a cookie-authenticated POST comes cross-site', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      const areas = await rowCount('area');
      const audit = await rowCount('audit_event');
      for (const extra of [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
        { origin: 'null' },
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/areas',
          headers: { cookie, ...extra },
          payload: newArea,
        });
        expect(res.statusCode, JSON.stringify(extra)).toBe(403);
        expect(res.json().code).toBe('csrf_rejected');
      }
      for (const [method, url] of [
        ['PATCH', `/api/users/${admin.id}`],
        ['DELETE', '/api/auth/tokens/some-token-id'],
        ['POST', '/api/auth/sign-out-everywhere'],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: { cookie, origin: 'https://evil.example' },
          ...(method === 'PATCH' ? { payload: { disabled: true } } : {}),
        });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().code).toBe('csrf_rejected');
      }
      expect(await rowCount('area')).toBe(areas);
      expect(await rowCount('audit_event')).toBe(audit);
      expect((await me(t.app, { cookie })).statusCode).toBe(200);
    });

    it('should let a same-origin cookie-authenticated POST through', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      for (const extra of [
        { 'sec-fetch-site': 'same-origin' },
        { host: 'civitas.example', origin: 'https://civitas.example' },
        {}, // no Origin, no Sec-Fetch-Site: not a browser
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/areas',
          headers: { cookie, ...extra },
          payload: newArea,
        });
        expect(res.statusCode, JSON.stringify(extra)).toBe(201);
      }
    });

    it('should not sign in through a cross-site HTML form (login CSRF): the API takes JSON only', async () => {
      // A form can send text/plain, urlencoded or multipart without a CORS preflight, but not
      // application/json; so a form carrying the attacker's credentials never signs anyone in.
      const user = await t.user({ role: 'analyst' });
      const body = JSON.stringify({ username: user.username, password: TEST_PASSWORD });
      for (const [contentType, status] of [
        ['text/plain', 400], // parsed as a string, which the schema refuses
        ['application/x-www-form-urlencoded', 415],
        ['multipart/form-data; boundary=x', 415],
      ] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          headers: { 'content-type': contentType, origin: 'https://evil.example' },
          payload: body,
        });
        expect(res.statusCode, contentType).toBe(status);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(
        await t.store.db.selectFrom('session').selectAll().where('user_id', '=', user.id).execute(),
      ).toEqual([]);
    });
  });

  describe('password policy', () => {
    let n = 0;
    const create = (password: string, username = `policy-user-${++n}`, fullName = 'Policy Test') =>
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: asAdmin(),
        payload: { username, role: 'analyst', clearance: 'NU', fullName, password },
      });
    const phrase = 'quiet ferns grow under slate roofs; ';
    const ofLength = (length: number) => phrase.repeat(10).slice(0, length);

    it.each([
      ['15 characters', 15],
      ['128 characters', 128],
    ])('should accept a password of %s', async (_label, length) => {
      const password = length === 15 ? 'kettle-orbit-97' : ofLength(length);
      expect(password).toHaveLength(length);
      const res = await create(password);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().password).toBeUndefined();
    });

    it.each([
      ['14 characters', 'kettle-orbit-9'],
      ['129 characters', ofLength(129)],
      ['"password" with digits', 'Password1234567'],
      ['"password" twice', 'PASSWORD-password'],
      ['"password" in symbols', 'P@ssw0rd-P@ssw0rd'],
      ['"passw0rd" three times', 'passw0rd passw0rd passw0rd'],
      ['"changeme" with a year', 'changeme-2031!!'],
      ['one character repeated', 'aaaaaaaaaaaaaaaaaaaa'],
    ])('should fail with status 400 weak_password for %s', async (_label, password) => {
      const users = await rowCount('user_account');
      const res = await create(password);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('weak_password');
      expect(await rowCount('user_account')).toBe(users);
    });

    it('should fail with status 400 weak_password when the password is built on the user name or full name', async () => {
      for (const [username, fullName, password] of [
        ['amani.okonkwo', 'Amani Okonkwo', 'Amani.Okonkwo.2031'],
        ['okonkwo', 'Amani Okonkwo', 'okonkwo-okonkwo-okonkwo'],
        ['field-officer-7', 'Amani Okonkwo', 'okonkwo amani 12345'],
      ]) {
        const res = await create(password!, username, fullName);
        expect(res.statusCode, password).toBe(400);
        expect(res.json().code).toBe('weak_password');
      }
    });
  });

  describe('roles and need-to-know', () => {
    it('should fail with status 403 forbidden when granting CRSV to a targeting officer or a partner', async () => {
      for (const spec of [
        { role: 'targeting-officer' },
        { role: 'partner', clearance: 'NU', organisations: ['UN'] },
      ] satisfies TestUserSpec[]) {
        const user = await t.user(spec);
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/users/${user.id}/compartments`,
          headers: asAdmin(),
          payload: { compartment: 'CRSV' },
        });
        expect(res.statusCode, spec.role).toBe(403);
        expect(res.json().code).toBe('forbidden');
        expect((await t.store.users.get(user.id))!.compartments).toEqual([]);
      }
    });

    it('should drop compartment grants when a holder is made a targeting officer', async () => {
      const user = await t.user({ role: 'hs-adviser', compartments: ['CRSV', 'CHILD-IDENTITY'] });
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.id}`,
        headers: asAdmin(),
        payload: { role: 'targeting-officer' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ role: 'targeting-officer', compartments: [] });
    });

    it('should fail with status 403 forbidden when a non-administrator lists users or reads the audit trail', async () => {
      for (const role of ['hs-adviser', 'analyst', 'targeting-officer', 'viewer'] as const) {
        const { user, cookie } = await t.signIn({ role });
        for (const url of [
          '/api/users',
          `/api/users/${admin.id}`,
          '/api/audit',
          '/api/audit/verify',
        ]) {
          const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
          expect(res.statusCode, `${role} ${url}`).toBe(403);
          expect(res.json().code).toBe('forbidden');
        }
        const self = await t.app.inject({
          method: 'GET',
          url: `/api/users/${user.id}`,
          headers: { cookie },
        });
        expect(self.statusCode).toBe(200);
      }
      for (const url of ['/api/users', '/api/audit', '/api/audit/verify']) {
        expect((await t.app.inject({ method: 'GET', url, headers: asAdmin() })).statusCode).toBe(
          200,
        );
      }
    });

    it('should show a partner only the areas and factors released to their organisation', async () => {
      const { cookie } = await t.signIn({ role: 'hs-adviser' });
      const adviser = { cookie };
      const released = await createArea(t.app, adviser, 'AO RELEASED TO UN', {
        classification: 'NU',
        releasability: ['UN'],
      });
      const natoOnly = await createArea(t.app, adviser, 'AO NATO ONLY', {
        classification: 'NU',
        releasability: [],
      });
      const tooHigh = await createArea(t.app, adviser, 'AO NR FOR UN', {
        classification: 'NR',
        releasability: ['UN'],
      });
      const forUn = await createFactor(t.app, adviser, released, {
        title: 'Water points shared by displaced families',
        marking: { classification: 'NU', releasability: ['UN'] },
      });
      const forPublic = await createFactor(t.app, adviser, released, {
        title: 'Market days',
        marking: { classification: 'NU', releasability: ['PUBLIC'] },
      });
      const forNato = await createFactor(t.app, adviser, released, {
        title: 'Patrol pattern near the camp',
        marking: { classification: 'NU', releasability: [] },
      });
      const forEu = await createFactor(t.app, adviser, released, {
        title: 'EU mission liaison notes',
        marking: { classification: 'NU', releasability: ['EU'] },
      });

      const un = await t.signIn({ role: 'partner', clearance: 'NU', organisations: ['UN'] });
      const eu = await t.signIn({ role: 'partner', clearance: 'NU', organisations: ['EU'] });
      const get = (headers: Record<string, string>, url: string) =>
        t.app.inject({ method: 'GET', url, headers });

      const areas = (await get({ cookie: un.cookie }, '/api/areas?limit=500')).json();
      const areaIds = areas.items.map((a: { id: string }) => a.id);
      expect(areaIds).toContain(released);
      expect(areaIds).not.toContain(natoOnly);
      expect(areaIds).not.toContain(tooHigh);
      for (const a of areas.items as { marking: { releasability: string[] } }[]) {
        expect(
          a.marking.releasability.some((r) => r === 'UN' || r === 'PUBLIC'),
          JSON.stringify(a),
        ).toBe(true);
      }
      expect((await get({ cookie: un.cookie }, `/api/areas/${natoOnly}`)).statusCode).toBe(404);
      expect((await get({ cookie: un.cookie }, `/api/areas/${tooHigh}`)).statusCode).toBe(404);

      const factors = (await get({ cookie: un.cookie }, `/api/areas/${released}/factors`)).json();
      expect(factors.items.map((f: { id: string }) => f.id).sort()).toEqual(
        [forUn, forPublic].sort(),
      );
      expect(factors.total).toBe(2);
      for (const hidden of [forNato, forEu]) {
        const res = await get({ cookie: un.cookie }, `/api/factors/${hidden}`);
        expect(res.statusCode).toBe(404);
        expect(problemBody(res)).toEqual(
          problemBody(
            await get({ cookie: un.cookie }, '/api/factors/00000000-0000-4000-a000-000000000000'),
          ),
        );
      }
      // A partner of another organisation does not even see the area.
      expect((await get({ cookie: eu.cookie }, `/api/areas/${released}`)).statusCode).toBe(404);
      // Partners read; they do not export.
      expect(
        (await get({ cookie: un.cookie }, `/api/areas/${released}/factors.csv`)).statusCode,
      ).toBe(403);
    });
  });

  describe('boot-time route policy (R01)', () => {
    it('should throw naming the route when a route without config.policy is added', async () => {
      const extra = await buildTestApp(database);
      try {
        // Added straight on the app, the onRoute hook throws at registration...
        expect(() => extra.app.get('/api/bare', async () => 'x')).toThrow(
          /GET \/api\/bare declares no access policy/,
        );
      } finally {
        await extra.dispose();
      }
    });

    it('should refuse to become ready when a plugin registers a route without config.policy', async () => {
      const extra = await buildTestApp(database);
      try {
        void extra.app.register(
          async (api) => {
            api.get('/bare', async () => 'x');
          },
          { prefix: '/api' },
        );
        await expect(extra.app.ready()).rejects.toThrow(
          /route GET \/api\/bare declares no access policy \(config\.policy\)/,
        );
      } finally {
        await extra.dispose().catch(() => undefined);
      }
    });

    it('should refuse a route whose policy is not one of the known ones', async () => {
      const extra = await buildTestApp(database);
      try {
        void extra.app.register(
          async (api) => {
            api.get('/maybe', { config: { policy: 'maybe' as 'public' } }, async () => 'x');
          },
          { prefix: '/api' },
        );
        await expect(extra.app.ready()).rejects.toThrow(/GET \/api\/maybe/);
      } finally {
        await extra.dispose().catch(() => undefined);
      }
    });
  });

  describe('security headers and the CSV export', () => {
    let areaId: string;
    let cookie: string;

    beforeAll(async () => {
      ({ cookie } = await t.signIn({ role: 'hs-adviser' }));
      areaId = await createArea(t.app, { cookie }, 'AO CSV', {
        classification: 'NU',
        releasability: ['EU'],
      });
      for (const title of ['=1+1', '+1', '-1', '@x', ' =1', 'Plain title']) {
        await createFactor(t.app, { cookie }, areaId, {
          title,
          summary: title === 'Plain title' ? ' =HYPERLINK("http://evil.example")' : '\t=1',
          marking: { classification: 'NU', releasability: ['EU'] },
        });
      }
    });

    const expectHardened = (res: LightMyRequestResponse) => {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // HSTS for a year; browsers act on it only once the site is reached over HTTPS.
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    };

    it('should harden an API answer and never let it be cached', async () => {
      for (const [url, headers, status] of [
        ['/api/health', {}, 200],
        ['/api/auth/me', { cookie }, 200],
        ['/api/areas', {}, 401],
        ['/api/no-such-route', { cookie }, 404],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBe(status);
        expectHardened(res);
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
    });

    it('should fail with status 400 and write nothing when a body carries __proto__ or constructor keys', async () => {
      const areas = await rowCount('area');
      for (const poison of [
        '"__proto__": { "polluted": true }',
        '"constructor": { "prototype": { "polluted": true } }',
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/areas',
          headers: { cookie, 'content-type': 'application/json' },
          payload: `{ "name": "AO POISON", ${poison}, "marking": { "classification": "NU", "releasability": [] }, "outline": ${JSON.stringify(square)} }`,
        });
        expect(res.statusCode, poison).toBe(400);
        expect(res.json().code).toBe('bad_request');
      }
      expect(await rowCount('area')).toBe(areas);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should harden a page answer', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/understand' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expectHardened(res);
    });

    it('should send the CSV as an uncached attachment whose first line is the marking', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/areas/${areaId}/factors.csv`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      expectHardened(res);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"/\\]+\.csv"$/);
      expect(res.headers['cache-control']).toBe('no-store');

      const rows = parse(res.body, { relax_column_count: true }) as string[][];
      expect(rows[0]).toEqual(['NATO UNCLASSIFIED — RELEASABLE TO EU']);
      expect(rows[0]![0]).toContain('NATO');
      const header = rows[1]!;
      const title = header.indexOf('title');
      const summary = header.indexOf('summary');
      const titles = rows.slice(2).map((r) => r[title]);
      // The API trims titles, so ' =1' is stored as '=1'.
      expect(titles.sort()).toEqual(["'+1", "'-1", "'=1", "'=1+1", "'@x", 'Plain title'].sort());
      const summaries = rows.slice(2).map((r) => r[summary]);
      expect(summaries).toContain("'\t=1");
      expect(summaries).toContain('\' =HYPERLINK("http://evil.example")');
      for (const row of rows.slice(1)) {
        for (const cell of row) expect(cell, cell).not.toMatch(/^[\s\0]*[=+\-@\t\r\0]/);
      }
      const exportEvents = await t.store.audit.listForRecord('area', areaId);
      expect(exportEvents.map((e) => e.action)).toContain('factor.export');
    });
  });
});
