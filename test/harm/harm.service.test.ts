import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/role.js';
import type { Actor } from '../../src/domain/access/user.js';
import { newHarmReportSchema, type NewHarmReport } from '../../src/domain/harm/harm.js';
import { CivitasError } from '../../src/domain/shared/civitas-error.js';
import type { Classification, Releasability } from '../../src/domain/taxonomy/index.js';
import { verifyAuditChain } from '../../src/service/audit/audit.service.js';
import { createUser, grantCompartment } from '../../src/service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../../src/service/deps.js';
import {
  acceptCandidate,
  addCasualty,
  assessIncident,
  createReport,
  createResponse,
  findCandidates,
  getIncident,
  getReport,
  harmStats,
  listCandidates,
  listCasualties,
  listIncidents,
  rejectCandidate,
  reopenCandidate,
  splitIncident,
} from '../../src/service/harm/harm.service.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';

const system = systemActor('harm-test');
const CONTACT = 'Reporter +380-67-555-0101 (Olena, teacher)';
const SECRET = 'witness says the shell came from the east';
const CHILD_NAME = 'Marko Kovalenko-Testname';
const ADULT_NAME = 'Halyna Petrenko-Testname';

function input(overrides: Partial<Record<string, unknown>> = {}): NewHarmReport {
  return newHarmReportSchema.parse({
    sourceType: 'LOCAL-POPULATION',
    reliability: 'C',
    sourceName: 'intake',
    receivedAt: '2024-03-06T09:00:00Z',
    reporterContact: CONTACT,
    location: {
      lon: 36.2304,
      lat: 49.9935,
      precision: 'EXACT',
      adminCode: 'UA63',
      place: 'Market',
    },
    date: { start: '2024-03-05', end: '2024-03-05', precision: 'DAY' },
    narrative: { confidential: SECRET, releasable: 'Shelling of a market' },
    killed: { low: 2, best: 3, high: 4 },
    injured: { low: 5, best: 6, high: 9 },
    cause: 'ARTILLERY',
    suspectedParty: 'UNKNOWN',
    marking: { classification: 'NU', releasability: ['UN'] },
    ...overrides,
  });
}

describe.each(testDatabases())('civilian harm service on $name', (database) => {
  let store: Store;
  let url: string;
  let deps: ServiceDeps;
  let dispose: () => Promise<void>;
  let n = 0;

  async function as(
    role: Role,
    clearance: Classification = 'NS',
    organisations: Releasability[] = ['NATO'],
    compartments: ('CHILD-IDENTITY' | 'CRSV')[] = [],
  ): Promise<Actor> {
    n += 1;
    const { user } = await createUser(deps, system, {
      username: `${role}-${n}`,
      role,
      clearance,
      organisations,
      fullName: `Test ${n}`,
      contact: 'x',
      password: 'a long test pass phrase 4 civitas-free',
    });
    for (const c of compartments) await grantCompartment(deps, system, user.id, c);
    const fresh = (await store.users.get(user.id))!;
    return { kind: 'user', id: fresh.id, user: fresh, via: 'session', scopes: ['write'] };
  }

  beforeEach(async () => {
    ({ store, url, dispose } = await database.open());
    let clock = Date.parse('2024-03-10T00:00:00Z');
    deps = { ...defaultDeps(store), now: () => new Date((clock += 1000)).toISOString() };
  });
  afterEach(async () => dispose());

  it('files a report with an incident of its own, audited, and rejects inconsistent ones', async () => {
    const adviser = await as('hs-adviser');
    const report = await createReport(deps, adviser, input());
    const incident = await getIncident(deps, adviser, report.incidentId);
    expect(incident.killed).toEqual(report.killed);
    expect(incident.reportCount).toBe(1);
    const events = await store.audit.listForRecord('harm_report', report.id);
    expect(events.map((e) => e.action)).toEqual(['harm_report.create']);

    const bad = input({ killed: { low: 5, best: 3, high: 4 } });
    const error = await createReport(deps, adviser, bad).catch((e: unknown) => e);
    expect(CivitasError.is(error, 'harm_report_invalid')).toBe(true);
    expect((error as CivitasError).problems.map((p) => p.path)).toEqual(['body.killed']);
    expect((await listIncidents(deps, adviser, {}, { limit: 10, offset: 0 })).total).toBe(1);

    const warned = await createReport(
      deps,
      adviser,
      input({ killedBreakdown: { sex: { FEMALE: 2, MALE: 2 }, age: {} } }),
    );
    expect(warned.warnings.map((w) => w.code)).toEqual(['breakdown_exceeds_best']);
  });

  it('filters reads by marking and shows reporter details only with need-to-know', async () => {
    const adviser = await as('hs-adviser');
    const analyst = await as('analyst');
    const partner = await as('partner', 'NU', ['UN']);
    const open = await createReport(deps, adviser, input());
    const restricted = await createReport(
      deps,
      adviser,
      input({ marking: { classification: 'NR', releasability: [] } }),
    );
    expect((await getReport(deps, adviser, open.id)).reporterContact).toBe(CONTACT);
    const seenByAnalyst = await getReport(deps, analyst, open.id);
    expect(seenByAnalyst.reporterContact).toBe('');
    expect(seenByAnalyst.narrative.confidential).toBe('');
    expect(seenByAnalyst.narrative.releasable).toBe('Shelling of a market');
    await expect(getReport(deps, partner, restricted.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    const partnerList = await listIncidents(deps, partner, {}, { limit: 10, offset: 0 });
    expect(partnerList.items.map((i) => i.id)).toEqual([open.incidentId]);
    const stats = await harmStats(deps, partner, {});
    expect(stats.incidents).toBe(1);
    expect(stats.killed).toEqual(open.killed);
    await expect(
      assessIncident(deps, analyst, open.incidentId, {
        grade: 'FAIR',
        attribution: 'UNKNOWN',
        investigation: 'NOT-STARTED',
        rationale: '',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('groups figures by ISO week and filters them by grade and topic', async () => {
    const adviser = await as('hs-adviser');
    // 2024-03-03 is a Sunday (ISO week 2024-W09); 03-04 a Monday (2024-W10).
    const sunday = await createReport(
      deps,
      adviser,
      input({ date: { start: '2024-03-03', end: '2024-03-03', precision: 'DAY' } }),
    );
    const monday = await createReport(
      deps,
      adviser,
      input({
        date: { start: '2024-03-04', end: '2024-03-04', precision: 'DAY' },
        topics: ['CAAC'],
        killed: { low: 1, best: 1, high: 1 },
      }),
    );
    await createReport(deps, adviser, input());
    await assessIncident(deps, adviser, monday.incidentId, {
      grade: 'FAIR',
      attribution: 'ADVERSARY',
      investigation: 'INITIAL-REVIEW',
      rationale: '',
    });
    const stats = await harmStats(deps, adviser, {});
    expect(stats.byWeek.map((g) => [g.key, g.incidents])).toEqual([
      ['2024-W09', 1],
      ['2024-W10', 2],
    ]);
    const fair = await harmStats(deps, adviser, { grade: 'FAIR' });
    expect([fair.incidents, fair.killed.best]).toEqual([1, monday.killed.best]);
    const children = await harmStats(deps, adviser, { topic: 'CAAC' });
    expect(children.incidents).toBe(1);
    const listed = await listIncidents(deps, adviser, { topic: 'CAAC' }, { limit: 10, offset: 0 });
    expect(listed.items.map((i) => i.id)).toEqual([monday.incidentId]);
    expect(sunday.incidentId).not.toBe(monday.incidentId);
  });

  it('never proposes two records of one published dataset as the same event', async () => {
    const adviser = await as('hs-adviser');
    const record = (sourceName: string, sourceRef: string) =>
      createReport(deps, adviser, input({ sourceType: 'DATASET', sourceName, sourceRef }));
    const first = await record('UCDP GED', 'ged-1');
    const second = await record('UCDP GED', 'ged-2');
    const other = await record('ACLED', 'acled-9');
    // Same place and day: the two UCDP records stay apart, each pairs with the other dataset's.
    expect(await findCandidates(deps, adviser)).toBe(2);
    const pairs = (await listCandidates(deps, adviser, 'open', { limit: 10, offset: 0 })).items.map(
      (c) => [c.reportA, c.reportB].sort().join(' '),
    );
    expect(pairs.sort()).toEqual(
      [[first.id, other.id].sort().join(' '), [second.id, other.id].sort().join(' ')].sort(),
    );
  });

  it('proposes, accepts, splits, rejects and reopens candidates, all audited', async () => {
    const adviser = await as('hs-adviser');
    const a = await createReport(deps, adviser, input());
    const b = await createReport(
      deps,
      adviser,
      input({
        sourceType: 'MEDIA',
        killed: { low: 3, best: 5, high: 7 },
        location: { lon: 36.24, lat: 49.99, precision: 'EXACT' },
      }),
    );
    const far = await createReport(
      deps,
      adviser,
      input({ location: { lon: 30.73, lat: 46.48, precision: 'EXACT' } }),
    );
    expect(await findCandidates(deps, adviser)).toBe(1);
    expect(await findCandidates(deps, adviser)).toBe(0);
    const [candidate] = (await listCandidates(deps, adviser, 'open', { limit: 10, offset: 0 }))
      .items;
    expect([candidate!.reportA, candidate!.reportB].sort()).toEqual([a.id, b.id].sort());
    expect([candidate!.reportA, candidate!.reportB]).not.toContain(far.id);

    const merged = await acceptCandidate(deps, adviser, candidate!.id);
    expect(merged.id).toBe(a.incidentId);
    expect(merged.reportCount).toBe(2);
    expect(merged.killed).toEqual({
      low: Math.min(a.killed.low, b.killed.low),
      best: Math.min(a.killed.best, b.killed.best),
      high: Math.max(a.killed.high, b.killed.high),
    });
    await expect(getIncident(deps, adviser, b.incidentId)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await listIncidents(deps, adviser, {}, { limit: 10, offset: 0 })).total).toBe(2);

    const { kept, split } = await splitIncident(deps, adviser, a.incidentId, [b.id]);
    expect(kept.killed).toEqual(a.killed);
    expect(split.killed).toEqual(b.killed);
    await reopenCandidate(deps, adviser, candidate!.id);
    const rejected = await rejectCandidate(deps, adviser, candidate!.id);
    expect(rejected.status).toBe('rejected');
    expect(await findCandidates(deps, adviser)).toBe(0);

    const actions = (await store.audit.list({}, { limit: 100, offset: 0 })).items.map(
      (e) => e.action,
    );
    for (const action of [
      'harm_candidate.find',
      'harm_candidate.accept',
      'harm_incident.merge',
      'harm_incident.split',
      'harm_candidate.reopen',
      'harm_candidate.reject',
    ]) {
      expect(actions).toContain(action);
    }
    expect((await verifyAuditChain(store)).ok).toBe(true);
  });

  it('shows casualty names only with need-to-know, child names only inside CHILD-IDENTITY', async () => {
    const adviser = await as('hs-adviser', 'NS', ['NATO'], ['CHILD-IDENTITY']);
    const legal = await as('legal-adviser');
    const targeting = await as('targeting-officer');
    const report = await createReport(deps, adviser, input());
    await addCasualty(deps, adviser, report.incidentId, {
      name: CHILD_NAME,
      sex: 'MALE',
      ageYears: 9,
      civilianStatus: 'CIVILIAN',
      outcome: 'INJURED',
    });
    await addCasualty(deps, adviser, report.incidentId, {
      name: ADULT_NAME,
      sex: 'FEMALE',
      ageYears: 41,
      civilianStatus: 'CIVILIAN',
      outcome: 'KILLED',
    });
    await createResponse(deps, adviser, report.incidentId, {
      type: 'CONDOLENCE',
      status: 'PLANNED',
      dueDate: '2024-04-01',
      amount: 1500,
      currency: 'UAH',
      recipientRef: 'REF-7781-recipient',
      note: '',
    });
    const names = async (actor: Actor) =>
      (await listCasualties(deps, actor, report.incidentId)).map((c) => c.name);
    expect(await names(adviser)).toEqual([CHILD_NAME, ADULT_NAME]);
    expect(await names(legal)).toEqual([null, ADULT_NAME]);
    expect(await names(targeting)).toEqual([null, null]);
    const reads = await store.audit.listForRecord('harm_incident', report.incidentId);
    expect(reads.filter((e) => e.action === 'casualty.read_names')).toHaveLength(2);

    // At rest, none of the sensitive values is in plain text.
    const plain = [CONTACT, SECRET, CHILD_NAME, ADULT_NAME, 'REF-7781-recipient'];
    let dump: string;
    if (database.name === 'sqlite') {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
      dump = readFileSync(url).toString('latin1');
    } else {
      const rows = await Promise.all(
        ['harm_report', 'harm_casualty', 'harm_response', 'audit_event'].map((t) =>
          sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(t)} t`.execute(store.db),
        ),
      );
      dump = rows.flatMap((r) => r.rows.map((x) => x.row)).join('\n');
    }
    expect(dump).toContain('Shelling of a market');
    for (const value of plain) expect(dump).not.toContain(value);
  });
});
