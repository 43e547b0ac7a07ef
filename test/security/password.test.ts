import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPassword } from '../../src/service/auth/user.service.js';
import { systemActor } from '../../src/service/deps.js';
import { testDatabases } from '../helpers/databases.js';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

const NEXT = 'a brand new pass phrase for the field 2027';

describe.each(testDatabases())('changing and resetting passwords on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(database);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const signIn = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers['set-cookie']).split(';')[0]!;

  it('should change the own password, keep this session and end the others', async () => {
    const { user, cookie } = await t.signIn({ role: 'analyst' });
    const other = cookieOf(await signIn(user.username, TEST_PASSWORD));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { current: TEST_PASSWORD, next: NEXT },
    });
    expect(res.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: other } }))
        .statusCode,
    ).toBe(401);
    expect((await signIn(user.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(user.username, NEXT)).statusCode).toBe(200);
    const audit = await t.store.audit.listForRecord('user', user.id);
    expect(audit.map((e) => e.action)).toContain('user.password_change');
    expect(JSON.stringify(audit)).not.toContain(NEXT);
  });

  it('should fail with 400 naming the field when the current password is wrong or the new one weak', async () => {
    const { cookie } = await t.signIn({ role: 'viewer' });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { current: 'not it', next: NEXT },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.current');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { current: TEST_PASSWORD, next: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('weak_password');
  });

  it('should reset a password to a one-time one and end every session of the user', async () => {
    const { user, cookie } = await t.signIn({ role: 'trainer' });
    const password = await resetPassword(t.deps, systemActor('test'), user.username);
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode,
    ).toBe(401);
    expect((await signIn(user.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(user.username, password)).statusCode).toBe(200);
  });
});
