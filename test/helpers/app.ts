import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { serverDeps } from '../../src/api/server.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Compartment, Role } from '../../src/domain/access/role.js';
import type { User } from '../../src/domain/access/user.js';
import type { Classification, Releasability } from '../../src/domain/taxonomy/index.js';
import { createUser, grantCompartment } from '../../src/service/auth/user.service.js';
import { systemActor, type ServiceDeps } from '../../src/service/deps.js';
import type { Store } from '../../src/store/ports.js';
import type { TestDatabase } from './databases.js';

/** A password that passes the policy, for test users. */
export const TEST_PASSWORD = 'a long test pass phrase 4 civitas-free';

/** What a test user is. */
export interface TestUserSpec {
  readonly role: Role;
  readonly clearance?: Classification;
  readonly organisations?: Releasability[];
  readonly compartments?: Compartment[];
  readonly username?: string;
}

/** An app built over a fresh test database. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly deps: ServiceDeps;
  readonly config: Config;
  readonly url: string;
  readonly schema?: string;
  /** Creates a user through the service layer. */
  user(spec: TestUserSpec): Promise<User>;
  /** Creates a user and signs in through the API; returns the cookie header to send. */
  signIn(spec: TestUserSpec): Promise<{ user: User; cookie: string }>;
  dispose(): Promise<void>;
}

let counter = 0;

/** Builds the real app (not listening) over a fresh, migrated database of the given kind. */
export async function buildTestApp(
  database: TestDatabase,
  overrides: Partial<Config> = {},
): Promise<TestApp> {
  const opened = await database.open();
  const config = loadConfig({}, { databaseUrl: opened.url, logLevel: 'silent', ...overrides });
  const deps = serverDeps(config, opened.store);
  const app = await buildApp({ config, deps });
  const system = systemActor('test');
  const user = async (spec: TestUserSpec): Promise<User> => {
    counter += 1;
    const { user: created } = await createUser(deps, system, {
      username: spec.username ?? `${spec.role}-${counter}`,
      role: spec.role,
      clearance: spec.clearance ?? 'NS',
      organisations: spec.organisations ?? ['NATO'],
      fullName: `Test ${spec.role} ${counter}`,
      contact: 'test',
      password: TEST_PASSWORD,
    });
    for (const c of spec.compartments ?? []) await grantCompartment(deps, system, created.id, c);
    return (await deps.store.users.get(created.id))!;
  };
  return {
    app,
    store: opened.store,
    deps,
    config,
    url: opened.url,
    ...(opened.schema ? { schema: opened.schema } : {}),
    user,
    async signIn(spec) {
      const created = await user(spec);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: created.username, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      return { user: created, cookie };
    },
    async dispose() {
      await app.close();
      await opened.dispose();
    },
  };
}
