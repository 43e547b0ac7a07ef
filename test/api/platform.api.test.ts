import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemo } from '../../src/service/demo/load-demo.js';
import { systemActor } from '../../src/service/deps.js';
import { testDatabases } from '../helpers/databases.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

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

describe.each(testDatabases())('platform API on $name', (database) => {
  let t: TestApp;
  let demoId: string;
  let cookie: string;
  let adminId: string;
  const webDir = mkdtempSync(join(tmpdir(), 'civitas-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Civitas test shell</title>');

  beforeAll(async () => {
    t = await buildTestApp(database, { webDir });
    demoId = (await loadDemo(t.deps, systemActor('test'))).areaId;
    const admin = await t.signIn({ role: 'admin' });
    cookie = admin.cookie;
    adminId = admin.user.id;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('should report health with version and database kind', async () => {
    const res = await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', name: 'Civitas', database: database.name });
    expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('should serve an OpenAPI 3.1 document that lists every API route', async () => {
    const res = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/openapi.json',
    });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/areas',
      '/api/areas/{id}',
      '/api/areas/{id}/places',
      '/api/taxonomies',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/areas'].post.requestBody).toBeDefined();
  });

  it('should serve a browsable API reference page', async () => {
    const res = await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
  });

  it('should fail with status 401 unauthenticated when the session cookie is missing', async () => {
    for (const url of [
      '/api/areas',
      `/api/areas/${demoId}`,
      `/api/areas/${demoId}/places`,
      '/api/auth/me',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/areas',
      headers: { cookie: 'civitas_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('should answer an unknown API route with a 404 problem', async () => {
    const res = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/no-such-thing',
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'route_not_found',
      instance: '/api/no-such-thing',
    });
  });

  it('should fail with 400 naming each bad field when creating an area with invalid data', async () => {
    const before = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/areas' })
    ).json().total;
    const res = await t.app.inject({
      headers: { cookie },
      method: 'POST',
      url: '/api/areas',
      payload: {
        name: '',
        marking: { classification: 'TOP', releasability: [] },
        outline: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
        owner: 'me',
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.name',
        'body.marking.classification',
        'body.outline.coordinates.0',
      ]),
    );
    expect(JSON.stringify(body)).toContain('owner');
    expect(
      (await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/areas' })).json().total,
    ).toBe(before);
  });

  it('should fail with 400 on malformed JSON and 415 on a non-JSON body', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('bad_request');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: { cookie, 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('unsupported_media_type');
  });

  it('should create an area, answer 201 with its location, and audit the write', async () => {
    const res = await t.app.inject({
      headers: { cookie },
      method: 'POST',
      url: '/api/areas',
      payload: {
        name: 'AO NORTH',
        marking: { classification: 'NR', releasability: ['EU'] },
        outline: square,
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(res.headers.location).toBe(`/api/areas/${created.id}`);
    expect(created).toMatchObject({
      name: 'AO NORTH',
      exercise: false,
      bbox: [20, 5, 21, 6],
      regionCount: 0,
    });
    const got = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: `/api/areas/${created.id}`,
    });
    expect(got.json().outline).toEqual(square);
    const audit = await t.store.audit.listForRecord('area', created.id);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['area.create', adminId]]);
  });

  it('should page the area list with limit and offset', async () => {
    const all = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/areas?limit=500' })
    ).json();
    expect(all.total).toBeGreaterThanOrEqual(2);
    const second = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/areas?limit=1&offset=1' })
    ).json();
    expect(second).toMatchObject({ limit: 1, offset: 1, total: all.total });
    expect(second.items[0].id).toBe(all.items[1].id);
    const bad = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/areas?limit=0',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.limit');
  });

  it('should return 404 problem for an area that does not exist', async () => {
    const res = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/areas/00000000-0000-4000-a000-000000000000/regions',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });

  it('should serve the demo area with regions, places and units', async () => {
    const area = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: `/api/areas/${demoId}` })
    ).json();
    expect(area).toMatchObject({
      name: 'EXERCISE UBANGI SHIELD',
      exercise: true,
      regionCount: 8,
      unitCount: 5,
    });
    const regions = (
      await t.app.inject({
        headers: { cookie },
        method: 'GET',
        url: `/api/areas/${demoId}/regions`,
      })
    ).json();
    expect(regions.features).toHaveLength(8);
    const units = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: `/api/areas/${demoId}/units` })
    ).json();
    expect(
      units.features.map((f: { properties: { sidc: string } }) => f.properties.sidc),
    ).toContain('SFGPUH----BH---');
  });

  it('should filter places by bbox and say which parameter is wrong', async () => {
    const all = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: `/api/areas/${demoId}/places` })
    ).json();
    const bangui = all.features.find(
      (f: { properties: { name: string } }) => f.properties.name === 'Bangui',
    );
    expect(bangui).toBeDefined();
    const near = (
      await t.app.inject({
        headers: { cookie },
        method: 'GET',
        url: `/api/areas/${demoId}/places?bbox=18.3,4.2,18.7,4.5`,
      })
    ).json();
    const names = near.features
      .map((f: { properties: { name: string } }) => f.properties.name)
      .sort();
    const expected = all.features
      .filter((f: { geometry: { coordinates: number[] } }) => {
        const [lon, lat] = f.geometry.coordinates as [number, number];
        return lon >= 18.3 && lon <= 18.7 && lat >= 4.2 && lat <= 4.5;
      })
      .map((f: { properties: { name: string } }) => f.properties.name)
      .sort();
    expect(names).toEqual(expected);
    expect(names).toContain('Bangui');
    const bad = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: `/api/areas/${demoId}/places?bbox=1,2,3`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'querystring.bbox' });
  });

  it('should serve the code lists and the offline basemap', async () => {
    const tax = (
      await t.app.inject({ headers: { cookie }, method: 'GET', url: '/api/taxonomies' })
    ).json();
    expect(tax.classification.map((c: { code: string }) => c.code)).toEqual([
      'NU',
      'NR',
      'NC',
      'NS',
      'CTS',
    ]);
    const land = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/basemap/land',
    });
    expect(land.statusCode).toBe(200);
    expect(land.json().type).toBe('FeatureCollection');
    expect(land.json().features.length).toBeGreaterThan(0);
    const bad = await t.app.inject({
      headers: { cookie },
      method: 'GET',
      url: '/api/basemap/tiles',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('should serve the web shell for page routes and set security headers', async () => {
    const res = await t.app.inject({ headers: { cookie }, method: 'GET', url: '/understand' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Civitas test shell');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should refuse a body larger than the limit with 413', async () => {
    const small = await buildTestApp(database, { bodyLimitBytes: 2048 });
    try {
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/areas',
        payload: {
          name: 'x'.repeat(5000),
          marking: { classification: 'NU', releasability: [] },
          outline: square,
        },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('payload_too_large');
    } finally {
      await small.dispose();
    }
  });
});
