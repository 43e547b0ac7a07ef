import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { loadConfig } from '../../src/config/config.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { testCipher } from '../helpers/crypto.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { testPostgresUrl } from '../helpers/databases.js';

const pgUrl = testPostgresUrl();

// Several Civitas instances behind a load balancer share one PostgreSQL database: whatever one
// instance writes, another must serve, because no state lives in the server process.
describe.skipIf(!pgUrl)('two instances on one PostgreSQL database', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const instances: { app: FastifyInstance; store: Store; base: string }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const store = await openStore(pgUrl!, testCipher(), { schema, maxConnections: 4 });
      const config = loadConfig({}, { databaseUrl: pgUrl!, logLevel: 'silent' });
      const app = await buildApp({ config, deps: defaultDeps(store) });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      instances.push({ app, store, base: `http://127.0.0.1:${port}` });
    }
  });

  afterAll(async () => {
    for (const { app } of instances) await app.close();
    if (instances[0])
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(instances[0].store.db);
    for (const { store } of instances) await store.close();
  });

  it('reads on one instance what was written on the other, with a session signed in on the first', async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    expect(a.base).not.toBe(b.base);
    await createUser(defaultDeps(a.store), systemActor('test'), {
      username: 'shared-adviser',
      role: 'hs-adviser',
      clearance: 'NS',
      organisations: ['NATO'],
      fullName: 'Shared Adviser',
      contact: '',
      password: TEST_PASSWORD,
    });
    const signIn = await fetch(`${a.base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'shared-adviser', password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    // The session was created through instance A; instance B knows it from the database alone.
    expect((await fetch(`${b.base}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    const created = await fetch(`${a.base}/api/areas`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        name: 'AO SHARED',
        marking: { classification: 'NU', releasability: [] },
        outline: {
          type: 'Polygon',
          coordinates: [
            [
              [1, 1],
              [2, 1],
              [2, 2],
              [1, 1],
            ],
          ],
        },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(`${b.base}/api/areas/${id}`, { headers: { cookie } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { name: string }).name).toBe('AO SHARED');
    const list = (await (await fetch(`${b.base}/api/areas`, { headers: { cookie } })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((x) => x.id)).toContain(id);
  });
});
