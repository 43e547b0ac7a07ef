// R21: identifying fields are encrypted by the application before they reach the database. A
// canary seeded into names, contacts and factor details must not appear anywhere in the raw
// storage (SQLite file, -wal, -shm; every PostgreSQL row and a pg_dump), while a canary in a
// non-sensitive field does (the control that proves the scan can see plaintext). Ciphertexts are
// bound to their table, field and record (AAD), and any altered byte is detected.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { User } from '../../src/domain/access/user.js';
import { UNRESTRICTED_VIEWER } from '../../src/domain/access/viewer.js';
import type { Factor } from '../../src/domain/factor/factor.js';
import { createArea } from '../../src/service/area/area.service.js';
import { createUser, getUser, listUsers, updateUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import { createFactor, getFactor, updateFactor } from '../../src/service/factor/factor.service.js';
import { fieldAad } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/ports.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { testDatabases, testPostgresUrl } from '../helpers/databases.js';

const run = promisify(execFile);
const actor = systemActor('test');

const outline: Polygon = {
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
};

/** What `seed` wrote: the records, the secrets in them and the public control string. */
interface Seeded {
  readonly users: [User, User, User];
  readonly factors: [Factor, Factor];
  /** Strings that exist only inside encrypted fields. */
  readonly secrets: readonly string[];
  /** A string in a factor title, which is not encrypted. */
  readonly control: string;
}

/**
 * Creates three users and two factors through the services, with a fresh canary in every
 * encrypted field, then updates a contact and a details text so the update paths are covered.
 */
async function seed(deps: ServiceDeps): Promise<Seeded> {
  const tag = randomBytes(6).toString('hex');
  const canary = (label: string) => `CANARY-${label}-${tag}`;
  const control = `PUBLICTITLE-${randomBytes(6).toString('hex')}`;
  const users = [] as unknown as [User, User, User];
  for (const [i, who] of ['amina', 'bouba', 'chantal'].entries()) {
    const { user } = await createUser(deps, actor, {
      username: `${who}-${tag}`,
      role: 'hs-adviser',
      clearance: 'NS',
      organisations: ['NATO'],
      fullName: `${who} ${canary(`name${i}`)}`,
      contact: `${canary(`contact${i}`)}@example.org`,
      password: TEST_PASSWORD,
    });
    users.push(user);
  }
  users[1] = await updateUser(deps, actor, users[1].id, { contact: canary('contact-updated') });
  const area = await createArea(deps, actor, {
    name: 'AO CANARY',
    description: 'encryption at rest test',
    exercise: true,
    marking: { classification: 'NR', releasability: ['NATO'] },
    source: 'test',
    outline,
  });
  const factor = (i: number, compartment: 'CRSV' | null) =>
    createFactor(deps, actor, area.id, {
      regionId: null,
      pmesii: 'SOCIAL',
      ascope: 'PEOPLE',
      topics: compartment ? ['CRSV'] : ['PoC'],
      title: `${control} ${i}`,
      summary: 'releasable summary',
      details: `Survivor account ${canary(`details${i}`)} — Ерёма 🙂`,
      marking: { classification: 'NR', releasability: ['NATO'] },
      compartment,
    });
  const first = await factor(0, null);
  const second = await factor(1, 'CRSV');
  const factors: [Factor, Factor] = [
    first,
    await updateFactor(deps, actor, second.id, {
      details: `Updated account ${canary('details-updated')}`,
    }),
  ];
  const secrets = [
    ...[0, 1, 2].flatMap((i) => [canary(`name${i}`), canary(`contact${i}`)]),
    canary('contact-updated'),
    canary('details0'),
    canary('details1'),
    canary('details-updated'),
  ];
  return { users, factors, secrets, control };
}

/** Every encoding a secret is searched for in raw bytes. */
function encodings(text: string): Buffer[] {
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
}

/** The secrets (in any searched encoding) that occur in `bytes`. */
function leaks(bytes: Buffer, secrets: readonly string[]): string[] {
  return secrets.filter((s) => encodings(s).some((e) => bytes.includes(e)));
}

/** The SQLite database file and its -wal and -shm companions, as they are on disk now. */
function sqliteFiles(path: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) out[file] = readFileSync(file);
  }
  return out;
}

/** Every row of every table in the test schema, as PostgreSQL's text form of the row. */
async function postgresRows(store: Store, schema: string): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = ${schema} AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    store.db,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(
      `${schema}.${table_name}`,
    )} t`.execute(store.db);
    out[table_name] = rows.rows.map((r) => r.row).join('\n');
  }
  return out;
}

/** The stored value with one byte of its decoded IV ‖ tag ‖ ciphertext flipped. */
function flipByte(stored: string, index: number): string {
  const cut = stored.lastIndexOf(':') + 1;
  const raw = Buffer.from(stored.slice(cut), 'base64url');
  raw[index]! ^= 0x80;
  return stored.slice(0, cut) + raw.toString('base64url');
}

describe.each(testDatabases())('encryption at rest on $name', (database) => {
  let opened: Awaited<ReturnType<typeof database.open>>;
  let store: Store;
  let deps: ServiceDeps;
  let seeded: Seeded;

  beforeEach(async () => {
    opened = await database.open();
    store = opened.store;
    deps = defaultDeps(store);
    seeded = await seed(deps);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  const userRow = (id: string) =>
    store.db
      .selectFrom('user_account')
      .select(['full_name_enc', 'contact_enc'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const setUser = (id: string, values: { full_name_enc?: string; contact_enc?: string }) =>
    store.db.updateTable('user_account').set(values).where('id', '=', id).execute();
  const detailsOf = async (id: string) =>
    (
      await store.db
        .selectFrom('factor')
        .select('details_enc')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).details_enc;
  const setDetails = (id: string, details_enc: string) =>
    store.db.updateTable('factor').set({ details_enc }).where('id', '=', id).execute();

  it('should store every name, contact and details value as enc:v1 ciphertext', async () => {
    const users = await store.db
      .selectFrom('user_account')
      .select(['full_name_enc', 'contact_enc'])
      .execute();
    const factors = await store.db.selectFrom('factor').select('details_enc').execute();
    const values = [
      ...users.flatMap((u) => [u.full_name_enc, u.contact_enc]),
      ...factors.map((f) => f.details_enc),
    ];
    expect(values).toHaveLength(3 * 2 + 2);
    for (const value of values) expect(value).toMatch(/^enc:v1:test:[A-Za-z0-9_-]{40,}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('should keep every canary out of the raw storage while a title canary shows the scan works', async () => {
    const { secrets, control } = seeded;
    if (database.name === 'sqlite') {
      // While the database is open: the main file, the write-ahead log and the shared memory.
      const open = sqliteFiles(opened.url);
      expect(Object.keys(open)).toContain(opened.url);
      expect(Object.keys(open)).toContain(`${opened.url}-wal`);
      for (const [file, bytes] of Object.entries(open)) {
        expect({ file, leaks: leaks(bytes, secrets) }).toEqual({ file, leaks: [] });
      }
      expect(leaks(Buffer.concat(Object.values(open)), [control])).toEqual([control]);
      // After closing: the log has been checkpointed into the main file.
      await store.close();
      const closed = sqliteFiles(opened.url);
      expect(Object.keys(closed)).toContain(opened.url);
      for (const [file, bytes] of Object.entries(closed)) {
        expect({ file, leaks: leaks(bytes, secrets) }).toEqual({ file, leaks: [] });
      }
      expect(leaks(closed[opened.url]!, [control])).toEqual([control]);
    } else {
      const schema = opened.schema!;
      const rows = await postgresRows(store, schema);
      expect(Object.keys(rows)).toEqual(
        expect.arrayContaining(['user_account', 'factor', 'audit_event', 'compartment_grant']),
      );
      for (const [table, text] of Object.entries(rows)) {
        expect({ table, leaks: secrets.filter((s) => text.includes(s)) }).toEqual({
          table,
          leaks: [],
        });
      }
      expect(rows.factor).toContain(control);
      const dump = await run('pg_dump', ['--dbname', testPostgresUrl()!, '--schema', schema], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(dump.stdout).toContain(`CREATE TABLE ${schema}.user_account`);
      expect(leaks(Buffer.from(dump.stdout), secrets)).toEqual([]);
      expect(dump.stdout).toContain(control);
    }
  });

  it('should read the originals back through the services', async () => {
    const [a, b, c] = seeded.users;
    for (const user of [a, b, c]) {
      const got = await getUser(deps, actor, user.id);
      expect({ fullName: got.fullName, contact: got.contact }).toEqual({
        fullName: user.fullName,
        contact: user.contact,
      });
    }
    expect(b.contact).toMatch(/^CANARY-contact-updated-/);
    expect((await listUsers(deps, actor, { limit: 10, offset: 0 })).items).toHaveLength(3);
    for (const factor of seeded.factors) {
      expect((await getFactor(deps, actor, factor.id)).details).toBe(factor.details);
    }
    expect(seeded.factors[1].details).toMatch(/^Updated account CANARY-details-updated-/);
  });

  it('should refuse to read two users whose full-name ciphertexts were swapped (AAD binding), and read them again once swapped back', async () => {
    const [a, b, c] = seeded.users;
    const rowA = await userRow(a.id);
    const rowB = await userRow(b.id);
    await setUser(a.id, { full_name_enc: rowB.full_name_enc });
    await setUser(b.id, { full_name_enc: rowA.full_name_enc });

    await expect(store.users.get(a.id)).rejects.toThrow(/failed its integrity check/);
    await expect(store.users.get(b.id)).rejects.toThrow(/failed its integrity check/);
    await expect(getUser(deps, actor, a.username)).rejects.toThrow(/failed its integrity check/);
    await expect(store.users.credentials(b.username)).rejects.toThrow(/failed its integrity check/);
    // The moved values are intact: they open under the AAD of the row they came from.
    expect(
      store.cipher.decrypt(rowB.full_name_enc, fieldAad('user_account', 'full_name', b.id)),
    ).toBe(b.fullName);
    // A user whose row was not touched still reads.
    expect((await getUser(deps, actor, c.id)).fullName).toBe(c.fullName);

    await setUser(a.id, { full_name_enc: rowA.full_name_enc });
    await setUser(b.id, { full_name_enc: rowB.full_name_enc });
    expect((await getUser(deps, actor, a.id)).fullName).toBe(a.fullName);
    expect((await getUser(deps, actor, b.id)).fullName).toBe(b.fullName);
  });

  it('should refuse a ciphertext moved to another field of the same user', async () => {
    const [a] = seeded.users;
    const row = await userRow(a.id);
    await setUser(a.id, { contact_enc: row.full_name_enc });
    await expect(store.users.get(a.id)).rejects.toThrow(/failed its integrity check/);
    await setUser(a.id, { contact_enc: row.contact_enc });
    expect((await store.users.get(a.id))?.contact).toBe(a.contact);
  });

  it('should refuse to read two factors whose details ciphertexts were swapped', async () => {
    const [f, g] = seeded.factors;
    const [df, dg] = [await detailsOf(f.id), await detailsOf(g.id)];
    await setDetails(f.id, dg);
    await setDetails(g.id, df);
    await expect(store.factors.get(f.id, UNRESTRICTED_VIEWER)).rejects.toThrow(
      /failed its integrity check/,
    );
    await expect(getFactor(deps, actor, g.id)).rejects.toThrow(/failed its integrity check/);
    await setDetails(f.id, df);
    await setDetails(g.id, dg);
    expect((await getFactor(deps, actor, f.id)).details).toBe(f.details);
    expect((await getFactor(deps, actor, g.id)).details).toBe(g.details);
  });

  it('should refuse a value with one byte flipped in its IV, tag or ciphertext', async () => {
    const [a] = seeded.users;
    const [f] = seeded.factors;
    const row = await userRow(a.id);
    const details = await detailsOf(f.id);
    for (const index of [0, 12, 28]) {
      await setUser(a.id, { full_name_enc: flipByte(row.full_name_enc, index) });
      await expect(store.users.get(a.id)).rejects.toThrow(/failed its integrity check/);
      await setDetails(f.id, flipByte(details, index));
      await expect(store.factors.get(f.id, UNRESTRICTED_VIEWER)).rejects.toThrow(
        /failed its integrity check/,
      );
    }
    await setUser(a.id, { full_name_enc: row.full_name_enc });
    await setDetails(f.id, details);
    expect((await store.users.get(a.id))?.fullName).toBe(a.fullName);
    expect((await store.factors.get(f.id, UNRESTRICTED_VIEWER))?.details).toBe(f.details);
  });

  it('should refuse plaintext written straight into an encrypted column', async () => {
    const [a] = seeded.users;
    await setUser(a.id, { full_name_enc: 'Amina Plaintext' });
    await expect(store.users.get(a.id)).rejects.toThrow(/is not encrypted/);
  });
});
