import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/service/deps.js';
import { importHarm } from '../../src/service/harm/harm-import.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { sharedData } from '../helpers/shared-data.js';

const CLEAN = sharedData('ucdp-ged-ukraine', 'ged_ukraine_2014_2022-02-23.csv');
const CONTACT = 'Olena at +380-67-555-0199';
const CONFIDENTIAL = 'the patrol fired from the bridge';
const NAME = 'Iryna Bondarenko-Apitest';

const report = {
  sourceType: 'LOCAL-POPULATION',
  reliability: 'C',
  sourceName: 'walk-in',
  receivedAt: '2024-03-06T09:00:00Z',
  reporterContact: CONTACT,
  location: { lon: 36.23, lat: 49.99, precision: 'NEAR', adminCode: 'UA63' },
  date: { start: '2024-03-04', end: '2024-03-05', precision: 'DAYS' },
  narrative: { confidential: CONFIDENTIAL, releasable: 'Shelling near a school' },
  killed: { low: 1, best: 2, high: 3 },
  injured: { low: 2, best: 2, high: 4 },
  killedBreakdown: { sex: { FEMALE: 1 }, age: { CHILD: 1 } },
  cause: 'ARTILLERY',
  suspectedParty: 'UNKNOWN',
  marking: { classification: 'NU', releasability: ['UN'] },
};

describe.each(testDatabases())('harm API on $name', (database) => {
  let t: TestApp;
  let adviser: string;
  let analyst: string;
  let legal: string;
  let incidentId: string;
  let reportId: string;

  beforeAll(async () => {
    t = await buildTestApp(database);
    adviser = (await t.signIn({ role: 'hs-adviser', clearance: 'NS' })).cookie;
    analyst = (await t.signIn({ role: 'analyst', clearance: 'NS' })).cookie;
    legal = (await t.signIn({ role: 'legal-adviser', clearance: 'NS' })).cookie;
  });
  afterAll(async () => t.dispose());

  const call = (cookie: string, method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  it('should file a report and answer 422 naming the field for an inconsistent one', async () => {
    const res = await call(analyst, 'POST', '/api/harm/reports', report);
    expect(res.statusCode).toBe(201);
    ({ id: reportId, incidentId } = res.json());
    // The analyst filed it but may not read the reporter's contact back.
    expect(res.json().warnings).toEqual([]);

    const bad = await call(analyst, 'POST', '/api/harm/reports', {
      ...report,
      date: { start: '2024-03-05', end: '2024-03-01', precision: 'DAYS' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'harm_report_invalid',
      errors: [{ path: 'body.date.end' }],
    });
    const future = await call(analyst, 'POST', '/api/harm/reports', {
      ...report,
      receivedAt: '2999-01-01T00:00:00Z',
    });
    expect(future.json().errors.map((e: { path: string }) => e.path)).toContain('body.receivedAt');
  });

  it('should never send reporter contact or casualty names to a caller without need-to-know', async () => {
    const casualty = await call(adviser, 'POST', `/api/harm/incidents/${incidentId}/casualties`, {
      name: NAME,
      sex: 'FEMALE',
      ageYears: 34,
      civilianStatus: 'CIVILIAN',
      outcome: 'KILLED',
    });
    expect(casualty.statusCode).toBe(201);
    expect(casualty.json().name).toBe(NAME);

    const own = await call(adviser, 'GET', `/api/harm/reports/${reportId}`);
    expect(own.json().reporterContact).toBe(CONTACT);
    expect(own.json().narrative.confidential).toBe(CONFIDENTIAL);
    expect(
      (await call(legal, 'GET', `/api/harm/incidents/${incidentId}/casualties`)).body,
    ).toContain(NAME);

    const urls = [
      `/api/harm/reports/${reportId}`,
      '/api/harm/reports',
      `/api/harm/incidents/${incidentId}`,
      `/api/harm/incidents/${incidentId}/casualties`,
      '/api/harm/incidents',
      '/api/harm/stats',
    ];
    for (const url of urls) {
      const res = await call(analyst, 'GET', url);
      expect(res.statusCode, url).toBe(200);
      for (const secret of [CONTACT, CONFIDENTIAL, NAME])
        expect(res.body, url).not.toContain(secret);
    }
    // Lists leave out reporter details even for those who may read them one by one.
    const list = await call(adviser, 'GET', '/api/harm/reports');
    expect(list.body).not.toContain(CONTACT);
  });

  it('should assess, respond and split through the API, each audited', async () => {
    const second = await call(analyst, 'POST', '/api/harm/reports', {
      ...report,
      sourceType: 'MEDIA',
      killed: { low: 2, best: 4, high: 6 },
    });
    const found = await call(analyst, 'POST', '/api/harm/candidates/find');
    expect(found.json().added).toBe(1);
    const candidates = (await call(analyst, 'GET', '/api/harm/candidates?status=open')).json();
    expect(candidates.items[0].reports.map((r: { id: string }) => r.id).sort()).toEqual(
      [reportId, second.json().id].sort(),
    );
    const accepted = await call(
      analyst,
      'POST',
      `/api/harm/candidates/${candidates.items[0].id}/accept`,
    );
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      id: incidentId,
      reportCount: 2,
      killed: { low: 1, best: 2, high: 6 },
    });
    const again = await call(
      analyst,
      'POST',
      `/api/harm/candidates/${candidates.items[0].id}/accept`,
    );
    expect(again.statusCode).toBe(409);

    const graded = await call(legal, 'PUT', `/api/harm/incidents/${incidentId}/assessment`, {
      grade: 'FAIR',
      attribution: 'ADVERSARY',
      investigation: 'INITIAL-REVIEW',
      rationale: 'Two independent sources',
    });
    expect(graded.json().assessment).toMatchObject({ grade: 'FAIR', attribution: 'ADVERSARY' });
    const payment = await call(adviser, 'POST', `/api/harm/incidents/${incidentId}/responses`, {
      type: 'CONDOLENCE',
      dueDate: '2024-04-01',
      amount: 1000,
    });
    expect(payment.statusCode).toBe(400);
    const paid = await call(adviser, 'POST', `/api/harm/incidents/${incidentId}/responses`, {
      type: 'CONDOLENCE',
      dueDate: '2024-04-01',
      amount: 1000,
      currency: 'UAH',
    });
    expect(paid.statusCode).toBe(201);
    const done = await call(adviser, 'PATCH', `/api/harm/responses/${paid.json().id}`, {
      status: 'DELIVERED',
    });
    expect(done.json().status).toBe('DELIVERED');

    const split = await call(analyst, 'POST', `/api/harm/incidents/${incidentId}/split`, {
      reportIds: [second.json().id],
    });
    expect(split.json().kept.killed).toEqual(report.killed);
    const stats = (await call(analyst, 'GET', '/api/harm/stats')).json();
    expect(stats.byAttribution).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'ADVERSARY', incidents: 1 })]),
    );
    const actions = (await t.store.audit.list({}, { limit: 500, offset: 0 })).items.map(
      (e) => e.action,
    );
    for (const a of [
      'harm_candidate.accept',
      'harm_incident.assess',
      'harm_response.create',
      'harm_response.update',
      'harm_incident.split',
    ])
      expect(actions).toContain(a);
  });

  it('should give statistics matching an independent count of the imported file', async () => {
    await importHarm(t.deps, systemActor('api-test'), readFileSync(CLEAN), { format: 'ucdp' });
    const events = (
      parse(readFileSync(CLEAN, 'utf8'), { columns: true }) as Record<string, string>[]
    )
      .filter((e) => e.adm_1 === 'Luhansk province')
      .filter((e) => e.date_start! >= '2014-06-01' && e.date_start! <= '2014-12-31');
    const res = await call(
      analyst,
      'GET',
      '/api/harm/stats?area=Luhansk%20province&from=2014-06-01&to=2014-12-31',
    );
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats.incidents).toBe(events.length);
    expect(stats.killed.best).toBe(events.reduce((a, e) => a + Number(e.deaths_civilians), 0));
    const bad = await call(analyst, 'GET', '/api/harm/stats?from=June');
    expect(bad.statusCode).toBe(400);
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toContain('/api/harm/stats');
  });
});
