// R42: a backup is a consistent, portable SQLite file whose restore into an empty database gives
// back every row (same content, same audit chain), never overwrites anything, and keeps encrypted
// fields encrypted. Key rotation re-encrypts every field under a new key and retires the old one.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Polygon } from 'geojson';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNRESTRICTED_VIEWER } from '../../src/domain/access/viewer.js';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import { createArea } from '../../src/service/area/area.service.js';
import { verifyAuditChain } from '../../src/service/audit/audit.service.js';
import {
  authenticateToken,
  issueToken,
  revokeToken,
  signIn,
} from '../../src/service/auth/auth.service.js';
import { createUser, grantCompartment, updateUser } from '../../src/service/auth/user.service.js';
import { backupStore, restoreStore } from '../../src/service/backup/backup.service.js';
import { DEMO_AREA_ID } from '../../src/service/demo/demo-area.js';
import { loadDemo } from '../../src/service/demo/load-demo.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { createFactor } from '../../src/service/factor/factor.service.js';
import { COPIED_TABLES, tableCounts } from '../../src/store/copy.js';
import {
  createFieldCipher,
  loadKeyring,
  openStore,
  type FieldCipher,
} from '../../src/store/open-store.js';
import type { Store } from '../../src/store/ports.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { testCipher } from '../helpers/crypto.js';
import { testDatabases, type TestDatabase } from '../helpers/databases.js';
import { runCivitas } from '../helpers/cli.js';

const actor = systemActor('test');
const all = UNRESTRICTED_VIEWER;
const SPATIAL = new Set(['area', 'region', 'place', 'unit']);

/**
 * An outline with coordinates that need every bit of a double, near the equator and the prime
 * meridian as well: a copy that rounds (e.g. GeoJSON at 9 decimals) changes them.
 */
const preciseOutline: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [-0.30000000000000004, 1.2345678901234566e-7],
      [18.123456789012344, -0.000012345678901234568],
      [18.987654321098766, 5.555555555555555],
      [-0.30000000000000004, 1.2345678901234566e-7],
    ],
  ],
};

/** What `seed` made that the tests check afterwards. */
interface Seeded {
  readonly canary: string;
  readonly token: string;
  readonly userId: string;
}

/**
 * A database with everything a backup must carry: the demo area (regions, places, units,
 * factors), users with compartments, a disabled and locked user, a precise outline, factors with
 * encrypted details, a live and a revoked API token, a session, and the audit trail of it all.
 */
async function seed(store: Store): Promise<Seeded> {
  const deps = defaultDeps(store);
  const canary = `CANARY-${randomBytes(6).toString('hex')}`;
  await loadDemo(deps, actor);
  const { user } = await createUser(deps, actor, {
    username: 'amina',
    role: 'hs-adviser',
    clearance: 'NS',
    organisations: ['NATO', 'EU'],
    fullName: `Amina ${canary}`,
    contact: `${canary}@example.org`,
    password: TEST_PASSWORD,
  });
  await grantCompartment(deps, actor, user.id, 'CRSV');
  await grantCompartment(deps, actor, user.id, 'CHILD-IDENTITY');
  const { user: other } = await createUser(deps, actor, {
    username: 'bouba',
    role: 'analyst',
    clearance: 'NC',
    organisations: ['NATO'],
    fullName: 'Bouba Analyst',
    contact: 'room 2',
    password: TEST_PASSWORD,
  });
  await updateUser(deps, actor, other.id, { disabled: true });
  await store.users.update(
    other.id,
    { failedLogins: 3, lockedUntil: '2030-01-01T00:00:00.000Z' },
    deps.now(),
  );
  const area = await createArea(deps, actor, {
    name: 'AO PRECISE',
    description: 'coordinates at full double precision',
    exercise: false,
    marking: { classification: 'NC', releasability: ['NATO', 'EU'] },
    source: 'test',
    outline: preciseOutline,
  });
  const regionId = (await store.areas.listRegions(DEMO_AREA_ID))[0]!.id;
  for (const [areaId, compartment, region] of [
    [DEMO_AREA_ID, 'CRSV', regionId],
    [area.id, null, null],
  ] as const) {
    await createFactor(deps, actor, areaId, {
      regionId: region,
      pmesii: 'SOCIAL',
      ascope: 'PEOPLE',
      topics: compartment ? ['CRSV', 'PoC'] : ['PoC'],
      title: `Factor in ${areaId}`,
      summary: 'releasable summary',
      details: `Account naming ${canary}`,
      marking: { classification: 'NR', releasability: ['NATO'] },
      compartment,
    });
  }
  const { token } = await issueToken(deps, actor, user, {
    name: 'script',
    scopes: ['read', 'write'],
    days: 30,
  });
  const revoked = await issueToken(deps, actor, user, { name: 'old', scopes: ['read'], days: 1 });
  await revokeToken(deps, actor, revoked.record.id);
  await signIn(deps, 'amina', TEST_PASSWORD);
  return { canary, token, userId: user.id };
}

/**
 * Every copied table's rows, exactly as stored (PostGIS geometry as hex EWKB, so any change to a
 * coordinate shows), each table's rows sorted.
 */
async function rawRows(store: Store): Promise<Record<string, string[]>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generic over every table
  const db = store.db as unknown as Kysely<any>;
  const out: Record<string, string[]> = {};
  for (const table of COPIED_TABLES) {
    let query = db.selectFrom(table).selectAll();
    if (SPATIAL.has(table) && store.kind === 'postgres') {
      query = query.select(sql<string>`encode(ST_AsEWKB(geom), 'hex')`.as('geom'));
    }
    out[table] = (await query.execute()).map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** The database as the application reads it through its repositories (decrypted). */
async function appView(store: Store) {
  const areas = (await store.areas.listAreas({ limit: 100, offset: 0 }, all)).items;
  const perArea = [];
  for (const area of areas) {
    perArea.push({
      area: await store.areas.getArea(area.id, all),
      regions: await store.areas.listRegions(area.id),
      places: await store.areas.listPlaces(area.id, { limit: 100_000 }),
      // Through the spatial index (SQLite R*Tree rebuilt by triggers, PostGIS GiST).
      placesInBox: await store.areas.listPlaces(area.id, {
        bbox: [20, 4, 23, 7],
        limit: 100_000,
      }),
      units: await store.areas.listUnits(area.id),
      factors: await store.factors.list(area.id, all, {}, { limit: 1000, offset: 0 }),
      matrix: await store.factors.matrix(area.id, all),
    });
  }
  const users = (await store.users.list({ limit: 1000, offset: 0 })).items;
  const tokens = [];
  for (const user of users) {
    for (const t of await store.credentials.listTokens(user.id)) {
      tokens.push(await store.credentials.getToken(t.id));
    }
  }
  const audit = [];
  for await (const batch of store.audit.scan(1000)) audit.push(...batch);
  return {
    perArea,
    users,
    credentials: await Promise.all(users.map((u) => store.users.credentials(u.username))),
    tokens,
    audit,
    permissions: await store.permissions.list(),
  };
}

/** An area's id and its outline with every digit stored (the app reads PostGIS at 9 decimals). */
async function exactOutline(store: Store, name: string): Promise<{ id: string; outline: unknown }> {
  const geom =
    store.kind === 'postgres'
      ? sql<string>`ST_AsGeoJSON(geom, 40)`.as('geom')
      : sql<string>`geom`.as('geom');
  const row = await store.db
    .selectFrom('area')
    .select(['id', geom])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return { id: row.id, outline: JSON.parse(row.geom) as unknown };
}

/** The file and its -wal and -shm companions, concatenated. */
function sqliteBytes(path: string): Buffer {
  return Buffer.concat(
    [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)),
  );
}

describe.each(testDatabases())('backup and restore on $name', (database: TestDatabase) => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-backup-'));
  let source: Awaited<ReturnType<TestDatabase['open']>>;
  let seeded: Seeded;
  let file: string;
  const opened: Array<{ dispose: () => Promise<void> }> = [];

  /** A new, empty database of the same kind (new file or new PostgreSQL schema). */
  const emptyDatabase = async () => {
    const db = await database.open();
    opened.push(db);
    return db.store;
  };
  const openBackup = async () => {
    const store = await openStore(file, testCipher());
    opened.push({ dispose: () => store.close() });
    return store;
  };

  beforeAll(async () => {
    source = await database.open();
    seeded = await seed(source.store);
  });
  beforeEach(async () => {
    file = join(dir, `backup-${randomBytes(4).toString('hex')}.db`);
    const report = await backupStore(
      source.store,
      file,
      () => openStore(file, testCipher()),
      actor,
      new Date().toISOString(),
    );
    expect(report.chain.ok).toBe(true);
    expect(report.counts).toEqual(await tableCounts(source.store));
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.dispose();
  });
  afterAll(async () => {
    await source.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should write a SQLite backup with every record, the audit chain, and no plaintext', async () => {
    const counts = await tableCounts(source.store);
    expect(counts).toMatchObject({ area: 2, user_account: 2, compartment_grant: 2, api_token: 2 });
    expect(counts.region).toBeGreaterThan(0);
    expect(counts.place).toBeGreaterThan(0);
    expect(counts.unit).toBeGreaterThan(0);
    expect(counts.factor).toBeGreaterThan(2);
    const backup = await openBackup();
    expect(backup.kind).toBe('sqlite');
    expect(await tableCounts(backup)).toEqual(counts);
    expect((await exactOutline(backup, 'AO PRECISE')).outline).toEqual(preciseOutline);
    const last = await source.store.audit.list({}, { limit: 1, offset: 0 });
    expect(last.items[0]).toMatchObject({ action: 'backup.create', recordId: file });
    expect(await verifyAuditChain(backup)).toEqual(await verifyAuditChain(source.store));
    await backup.close();
    const bytes = sqliteBytes(file);
    for (const secret of [seeded.canary, 'Bouba Analyst']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
    // The control: non-sensitive text is visible in the same bytes.
    expect(bytes.includes(Buffer.from('AO PRECISE'))).toBe(true);
  });

  it('should restore into an empty database with every row identical and the audit chain verifying', async () => {
    const target = await emptyDatabase();
    const report = await restoreStore(await openBackup(), target);

    expect(await tableCounts(target)).toEqual(await tableCounts(source.store));
    expect(report.counts).toEqual(await tableCounts(source.store));
    const [expectedRows, restoredRows] = [await rawRows(source.store), await rawRows(target)];
    for (const table of COPIED_TABLES) {
      expect({ table, rows: restoredRows[table] }).toEqual({ table, rows: expectedRows[table] });
    }
    expect(await appView(target)).toEqual(await appView(source.store));

    const chain = await verifyAuditChain(target);
    expect(chain).toEqual(await verifyAuditChain(source.store));
    expect(chain.ok).toBe(true);
    expect(report.chain).toEqual(chain);

    // The precise outline came back bit for bit, and names and details decrypt.
    const precise = await exactOutline(target, 'AO PRECISE');
    expect(precise.outline).toEqual(preciseOutline);
    const amina = await target.users.get(seeded.userId);
    expect(amina).toMatchObject({
      fullName: `Amina ${seeded.canary}`,
      compartments: ['CHILD-IDENTITY', 'CRSV'],
    });
    const details = (await target.factors.list(precise.id, all, {}, { limit: 10, offset: 0 }))
      .items[0]?.details;
    expect(details).toBe(`Account naming ${seeded.canary}`);

    // Sessions are not restored (everyone signs in again); API tokens still work.
    const sessions = await target.db
      .selectFrom('session')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(sessions.n)).toBe(0);
    const tokenActor = await authenticateToken(defaultDeps(target), seeded.token);
    expect(tokenActor?.id).toBe(seeded.userId);

    // The restored database goes on: the next event links to the restored head.
    await target.audit.append(
      { actor: 'test', action: 'after.restore', recordType: 'test', recordId: 'x' },
      new Date().toISOString(),
    );
    expect(await verifyAuditChain(target)).toMatchObject({ ok: true, count: chain.count + 1 });
  });

  it.each([
    ['a user', (s: Store) => createUser(defaultDeps(s), actor, newUser('zoe'))],
    [
      'a single audit event',
      (s: Store) =>
        s.audit.append({ actor: 'a', action: 'b', recordType: 'c', recordId: 'd' }, 'now'),
    ],
  ])('should refuse to restore into a database holding %s, writing nothing', async (_n, fill) => {
    const target = await emptyDatabase();
    await fill(target);
    const before = await rawRows(target);
    const error = await restoreStore(await openBackup(), target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CivitasError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/not empty/) as string,
    });
    expect(await rawRows(target)).toEqual(before);
  });

  it('should refuse to restore a backup whose audit chain was tampered with, writing nothing', async () => {
    const raw = new SQLite(file);
    raw.exec('DROP TRIGGER audit_event_no_update');
    raw.prepare("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2").run();
    raw.close();
    const target = await emptyDatabase();
    await expect(restoreStore(await openBackup(), target)).rejects.toThrow(
      /audit chain does not verify \(event 2 was altered.*refusing to restore/,
    );
    const counts = await tableCounts(target);
    expect(Object.entries(counts).filter(([t, n]) => t !== 'role_permission' && n > 0)).toEqual([]);
  });
});

function newUser(username: string) {
  return {
    username,
    role: 'viewer' as const,
    clearance: 'NU' as const,
    organisations: ['NATO' as const],
    fullName: 'Zoe Viewer',
    contact: 'none',
    password: TEST_PASSWORD,
  };
}

describe('backup, restore and key rotation with the built executable (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-backup-cli-'));
  const keyFile = join(dir, 'civitas.key');
  const a = join(dir, 'a.db');
  const b = join(dir, 'b.db');
  const backupFile = join(dir, 'backup.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const civitas = (args: string[]) => runCivitas(args, { keyFile });

  const cipherFrom = (path: string): FieldCipher =>
    createFieldCipher(loadKeyring({ kind: 'file', path }, false).keyring);

  /** Users and demo factors as the application reads them, through `cipher`. */
  async function decrypted(db: string, cipher: FieldCipher) {
    const store = await openStore(db, cipher);
    try {
      return {
        users: (await store.users.list({ limit: 100, offset: 0 })).items,
        factors: (await store.factors.list(DEMO_AREA_ID, all, {}, { limit: 1000, offset: 0 }))
          .items,
      };
    } finally {
      await store.close();
    }
  }

  const head = (stdout: string) =>
    /Audit chain intact: \d+ events; head ([0-9a-f]{64})/.exec(stdout)?.[1];

  it('should back up, refuse to overwrite, restore into a new database, and verify there', async () => {
    expect((await civitas(['demo', '--db', a])).code).toBe(0);

    const backup = await civitas(['backup', backupFile, '--db', a]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backup written to ${backupFile}`);
    expect(backup.stdout).toMatch(/Audit chain in the backup verifies: \d+ events/);

    const bytes = readFileSync(backupFile);
    const again = await civitas(['backup', backupFile, '--db', a]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(
      `civitas: ${backupFile} exists: a backup never overwrites a file`,
    );
    expect(readFileSync(backupFile).equals(bytes)).toBe(true);

    const restore = await civitas(['restore', backupFile, '--db', b]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Restored into sqlite: audit chain verifies \(\d+ events/);

    const verifyB = await civitas(['audit', 'verify', '--db', b]);
    expect(verifyB.code).toBe(0);
    const verifyA = await civitas(['audit', 'verify', '--db', a]);
    expect(verifyA.code).toBe(0);
    expect(head(verifyB.stdout)).toBeDefined();
    expect(head(verifyB.stdout)).toBe(head(verifyA.stdout));

    const cipher = cipherFrom(keyFile);
    expect(await decrypted(b, cipher)).toEqual(await decrypted(a, cipher));

    const twice = await civitas(['restore', backupFile, '--db', b]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/not empty/);
  });

  it('should rotate the data key: one new key in the file, every field readable with it, none with the old key', async () => {
    const oldKeyFile = join(dir, 'civitas.key.before-rotation');
    copyFileSync(keyFile, oldKeyFile);
    const oldRing = loadKeyring({ kind: 'file', path: oldKeyFile }, false).keyring;
    const before = await decrypted(a, createFieldCipher(oldRing));
    expect(before.users.length).toBeGreaterThan(0);
    expect(before.factors.length).toBeGreaterThan(0);

    const rotate = await civitas(['keys', 'rotate', '--db', a]);
    expect(rotate.code).toBe(0);
    const match = /Re-encrypted (\d+) fields under key (\S+);/.exec(rotate.stdout);
    expect(match).not.toBeNull();
    const [, fields, newId] = match!;
    expect(Number(fields)).toBe(before.users.length * 2 + before.factors.length);

    // The key file holds exactly one key, the new one, still readable by its owner only.
    const newRing = loadKeyring({ kind: 'file', path: keyFile }, false).keyring;
    expect(newRing.active).toBe(newId);
    expect(Object.keys(newRing.keys)).toEqual([newId]);
    expect(newId).not.toBe(oldRing.active);
    expect(newRing.keys[newId!]!.equals(oldRing.keys[oldRing.active]!)).toBe(false);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // Every value is now under the new key, and reads back as before.
    const raw = new SQLite(a, { readonly: true });
    const values = [
      ...raw
        .prepare(
          'SELECT full_name_enc AS v FROM user_account UNION ALL SELECT contact_enc FROM user_account UNION ALL SELECT details_enc FROM factor',
        )
        .all(),
    ] as { v: string }[];
    raw.close();
    expect(values.length).toBe(Number(fields));
    for (const { v } of values) expect(v.startsWith(`enc:v1:${newId}:`)).toBe(true);
    expect(await decrypted(a, createFieldCipher(newRing))).toEqual(before);

    // The old key opens nothing: its id is gone, and its bytes do not fit the new ciphertexts.
    await expect(decrypted(a, createFieldCipher(oldRing))).rejects.toThrow(
      new RegExp(`data key ${newId} is not in the keyring`),
    );
    const oldBytesNewId = createFieldCipher({
      active: newId!,
      keys: { [newId!]: oldRing.keys[oldRing.active]! },
    });
    await expect(decrypted(a, oldBytesNewId)).rejects.toThrow(/failed its integrity check/);

    // The rotation is audited and the chain still verifies.
    const verify = await civitas(['audit', 'verify', '--db', a]);
    expect(verify.code).toBe(0);
    const store = await openStore(a, createFieldCipher(newRing));
    try {
      const events = await store.audit.list({ action: 'keys.rotate' }, { limit: 5, offset: 0 });
      expect(events.items).toHaveLength(1);
      expect(events.items[0]?.detail).toEqual({ keyId: newId, fields: Number(fields) });
    } finally {
      await store.close();
    }

    // A backup made before the rotation needs the old key file, as the command says.
    await expect(decrypted(backupFile, createFieldCipher(newRing))).rejects.toThrow(
      /is not in the keyring/,
    );
    expect((await decrypted(backupFile, createFieldCipher(oldRing))).users).toHaveLength(
      before.users.length,
    );
  });
});
