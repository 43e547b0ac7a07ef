// R39: the audit trail is append-only for the application (triggers refuse UPDATE, DELETE and, on
// PostgreSQL, TRUNCATE) and hash-chained, so someone who gets round the triggers with direct
// database access still cannot edit, delete, reorder or insert an event without `audit verify`
// naming the first event that no longer verifies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH } from '../../src/domain/audit/audit-chain.js';
import { createArea } from '../../src/service/area/area.service.js';
import { verifyAuditChain } from '../../src/service/audit/audit.service.js';
import { createUser, grantCompartment, updateUser } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import {
  createFactor,
  deleteFactor,
  updateFactor,
} from '../../src/service/factor/factor.service.js';
import type { Store } from '../../src/store/ports.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { runCivitas } from '../helpers/cli.js';

const actor = systemActor('test');

/** Audited writes through the services: eight events. */
async function auditedWrites(deps: ServiceDeps): Promise<void> {
  const area = await createArea(deps, actor, {
    name: 'AO AUDIT',
    description: 'audit chain test',
    exercise: true,
    marking: { classification: 'NR', releasability: ['NATO'] },
    source: 'test',
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
  const { user } = await createUser(deps, actor, {
    username: 'auditee',
    role: 'hs-adviser',
    clearance: 'NS',
    organisations: ['NATO'],
    fullName: 'Audit Tester',
    contact: 'room 1',
    password: TEST_PASSWORD,
  });
  await grantCompartment(deps, actor, user.id, 'CRSV');
  await updateUser(deps, actor, user.id, { contact: 'room 2' });
  const factor = await createFactor(deps, actor, area.id, {
    regionId: null,
    pmesii: 'SOCIAL',
    ascope: 'PEOPLE',
    topics: ['PoC'],
    title: 'Checkpoint harassment',
    summary: 'summary',
    details: 'details',
    marking: { classification: 'NR', releasability: ['NATO'] },
    compartment: null,
  });
  await updateFactor(deps, actor, factor.id, { summary: 'new summary' });
  await deleteFactor(deps, actor, factor.id);
  await deps.store.audit.append(
    { actor: 'test', action: 'test.note', recordType: 'test', recordId: 'x', detail: { n: 1 } },
    deps.now(),
  );
}

const EVENTS = 8;

/** What an attacker with database access does first: removes the append-only triggers. */
async function dropTriggers(store: Store): Promise<void> {
  if (store.kind === 'sqlite') {
    await sql`DROP TRIGGER audit_event_no_update`.execute(store.db);
    await sql`DROP TRIGGER audit_event_no_delete`.execute(store.db);
  } else {
    await sql`DROP TRIGGER audit_event_append_only ON audit_event`.execute(store.db);
  }
}

type Row = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  record_type: string;
  record_id: string;
  detail: string;
  before_digest: string | null;
  after_digest: string | null;
  prev_hash: string;
  hash: string;
};

async function rows(store: Store): Promise<Row[]> {
  const all = await store.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  return all.map((r) => ({ ...r, seq: Number(r.seq) }));
}

async function row(store: Store, seq: number): Promise<Row> {
  const found = (await rows(store)).find((r) => r.seq === seq);
  if (!found) throw new Error(`no audit event ${seq}`);
  return found;
}

async function set(
  store: Store,
  seq: number,
  values: Partial<Omit<Row, 'seq'>> & { seq?: number },
): Promise<void> {
  await store.db.updateTable('audit_event').set(values).where('seq', '=', seq).execute();
}

/** The hash the chain code gives a row, for forgeries made by someone who knows the algorithm. */
function hashOf(r: Row, prevHash: string): string {
  return auditHash(prevHash, {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    beforeDigest: r.before_digest,
    afterDigest: r.after_digest,
  });
}

/** Moves events `from`…end one place up, leaving `from` free. */
async function makeRoomAt(store: Store, from: number): Promise<void> {
  await store.db
    .updateTable('audit_event')
    .set((eb) => ({ seq: eb('seq', '+', 1000) }))
    .where('seq', '>=', from)
    .execute();
  await store.db
    .updateTable('audit_event')
    .set((eb) => ({ seq: eb('seq', '-', 999) }))
    .where('seq', '>=', 1000)
    .execute();
}

async function swapSeq(store: Store, a: number, b: number): Promise<void> {
  await set(store, a, { seq: -1 });
  await set(store, b, { seq: a });
  await set(store, -1, { seq: b });
}

interface Tampering {
  readonly name: string;
  readonly tamper: (store: Store) => Promise<void>;
  readonly seq: number;
  readonly reason: RegExp;
}

const TAMPERINGS: Tampering[] = [
  {
    name: "editing one event's detail",
    tamper: (s) => set(s, 3, { detail: JSON.stringify({ compartment: 'CHILD-IDENTITY' }) }),
    seq: 3,
    reason: /event 3 was altered after it was written/,
  },
  {
    name: "editing one event's actor",
    tamper: (s) => set(s, 5, { actor: 'someone-else' }),
    seq: 5,
    reason: /event 5 was altered/,
  },
  {
    name: "editing one event's time",
    tamper: (s) => set(s, 2, { at: '2020-01-01T00:00:00.000Z' }),
    seq: 2,
    reason: /event 2 was altered/,
  },
  {
    name: "editing one event's action and digest",
    tamper: (s) => set(s, 7, { action: 'factor.read', before_digest: null }),
    seq: 7,
    reason: /event 7 was altered/,
  },
  {
    name: "editing the last event's hash",
    tamper: (s) => set(s, EVENTS, { hash: 'f'.repeat(64) }),
    seq: EVENTS,
    reason: /event 8 was altered/,
  },
  {
    name: 'editing one event and recomputing its hash',
    tamper: async (s) => {
      const r = { ...(await row(s, 4)), actor: 'someone-else' };
      await set(s, 4, { actor: r.actor, hash: hashOf(r, r.prev_hash) });
    },
    seq: 5,
    reason: /event 5 does not link to event 4/,
  },
  {
    name: 'deleting one event',
    tamper: async (s) => {
      await s.db.deleteFrom('audit_event').where('seq', '=', 4).execute();
    },
    seq: 4,
    reason: /event 4 is missing \(next found: 5\)/,
  },
  {
    name: 'deleting the first event',
    tamper: async (s) => {
      await s.db.deleteFrom('audit_event').where('seq', '=', 1).execute();
    },
    seq: 1,
    reason: /event 1 is missing/,
  },
  {
    name: 'deleting one event and renumbering the rest',
    tamper: async (s) => {
      await s.db.deleteFrom('audit_event').where('seq', '=', 4).execute();
      for (let seq = 5; seq <= EVENTS; seq++) await set(s, seq, { seq: seq - 1 });
    },
    seq: 4,
    reason: /event 4 does not link to event 3/,
  },
  {
    name: "swapping two events' seq",
    tamper: (s) => swapSeq(s, 2, 6),
    seq: 2,
    reason: /event 2 does not link to event 1/,
  },
  {
    name: 'swapping two neighbouring events',
    tamper: (s) => swapSeq(s, 5, 6),
    seq: 5,
    reason: /event 5 does not link/,
  },
  {
    name: 'inserting a forged event in the middle with a made-up hash',
    tamper: async (s) => {
      const before = await row(s, 3);
      await makeRoomAt(s, 4);
      await s.db
        .insertInto('audit_event')
        .values({ ...before, seq: 4, action: 'user.delete', prev_hash: before.hash })
        .execute();
    },
    seq: 4,
    reason: /event 4 was altered/,
  },
  {
    // The forgery itself verifies (no signing key is needed to compute it); the first genuine
    // event after it no longer links, and that is the event named.
    name: 'inserting a forged event in the middle with a correctly computed hash',
    tamper: async (s) => {
      const before = await row(s, 3);
      await makeRoomAt(s, 4);
      const forged = { ...before, seq: 4, action: 'user.delete', prev_hash: before.hash };
      await s.db
        .insertInto('audit_event')
        .values({ ...forged, hash: hashOf(forged, before.hash) })
        .execute();
    },
    seq: 5,
    reason: /event 5 does not link to event 4/,
  },
];

describe.each(testDatabases())('audit chain on $name', (database) => {
  let opened: Awaited<ReturnType<typeof database.open>>;
  let store: Store;

  beforeEach(async () => {
    opened = await database.open();
    store = opened.store;
    await auditedWrites(defaultDeps(store));
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('should verify a clean chain, linking every event to the one before', async () => {
    const all = await rows(store);
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.map((r) => r.action)).toEqual([
      'area.create',
      'user.create',
      'compartment.grant',
      'user.update',
      'factor.create',
      'factor.update',
      'factor.delete',
      'test.note',
    ]);
    expect(all[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    expect(await verifyAuditChain(store)).toEqual({
      ok: true,
      count: EVENTS,
      headHash: all[EVENTS - 1]!.hash,
      broken: null,
    });
  });

  it('should verify an empty trail and one event', async () => {
    const other = await database.open();
    try {
      expect(await verifyAuditChain(other.store)).toEqual({
        ok: true,
        count: 0,
        headHash: GENESIS_HASH,
        broken: null,
      });
      const event = await other.store.audit.append(
        { actor: 'a', action: 'b', recordType: 'c', recordId: 'd' },
        '2026-01-01T00:00:00.000Z',
      );
      expect(await verifyAuditChain(other.store)).toMatchObject({
        ok: true,
        count: 1,
        headHash: event.hash,
      });
    } finally {
      await other.dispose();
    }
  });

  it('should refuse UPDATE, DELETE and TRUNCATE of audit events while the triggers are in place', async () => {
    const before = await rows(store);
    await expect(set(store, 3, { actor: 'someone-else' })).rejects.toThrow(
      /audit_event is append-only/,
    );
    await expect(store.db.deleteFrom('audit_event').where('seq', '=', 3).execute()).rejects.toThrow(
      /audit_event is append-only/,
    );
    await expect(store.db.deleteFrom('audit_event').execute()).rejects.toThrow(
      /audit_event is append-only/,
    );
    if (store.kind === 'postgres') {
      // Row triggers do not fire on TRUNCATE: it needs a statement trigger of its own.
      await expect(sql`TRUNCATE audit_event`.execute(store.db)).rejects.toThrow(
        /audit_event is append-only/,
      );
    }
    expect(await rows(store)).toEqual(before);
    expect((await verifyAuditChain(store)).ok).toBe(true);
  });

  it.each(TAMPERINGS)(
    'should fail verification and name event $seq after $name',
    async ({ tamper, seq, reason }) => {
      await dropTriggers(store);
      await tamper(store);
      const result = await verifyAuditChain(store);
      expect(result.ok).toBe(false);
      expect(result.broken?.seq).toBe(seq);
      expect(result.broken?.reason).toMatch(reason);
      // Everything before the broken event verified; the head is the last good event.
      expect(result.count).toBe(seq - 1);
      expect(result.headHash).toBe(seq === 1 ? GENESIS_HASH : (await row(store, seq - 1)).hash);
    },
  );

  it('should show a cut tail only as a different head hash and count (caught against a recorded head)', async () => {
    const recorded = await verifyAuditChain(store);
    await dropTriggers(store);
    await store.db.deleteFrom('audit_event').where('seq', '>', 6).execute();
    const after = await verifyAuditChain(store);
    expect(after.count).toBe(6);
    expect(after.headHash).not.toBe(recorded.headHash);
    expect(after.headHash).toBe((await row(store, 6)).hash);
  });
});

describe('civitas audit verify (built executable, SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-audit-cli-'));
  const keyFile = join(dir, 'civitas.key');
  const db = join(dir, 'demo.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const civitas = (args: string[]) => runCivitas(args, { keyFile });

  it('should pass on the demo database, then fail naming the event altered behind its back', async () => {
    const demo = await civitas(['demo', '--db', db]);
    expect(demo.code).toBe(0);

    const clean = await civitas(['audit', 'verify', '--db', db]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/Audit chain intact: \d+ events; head [0-9a-f]{64}/);

    const raw = new SQLite(db);
    try {
      expect(() =>
        raw.prepare("UPDATE audit_event SET actor = 'cli:mallory' WHERE seq = 4").run(),
      ).toThrow(/audit_event is append-only/);
      raw.exec('DROP TRIGGER audit_event_no_update');
      expect(
        raw.prepare("UPDATE audit_event SET actor = 'cli:mallory' WHERE seq = 4").run().changes,
      ).toBe(1);
    } finally {
      raw.close();
    }

    const broken = await civitas(['audit', 'verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).not.toContain('intact');
    expect(broken.stderr.trim()).toBe(
      'civitas: audit chain broken at event 4: event 4 was altered after it was written',
    );
  });
});
