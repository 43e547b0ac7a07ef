import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/api/server.js';
import { createUser } from '../../src/service/auth/user.service.js';
import { demoPopulationRaster } from '../../src/service/demo/demo-population.js';
import { loadDemo } from '../../src/service/demo/load-demo.js';
import { defaultDeps, systemActor } from '../../src/service/deps.js';
import { exposuresForCircles } from '../../src/service/screening/population-raster.js';
import { openStore } from '../../src/store/open-store.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { testCipher } from '../helpers/crypto.js';
import { testDatabases } from '../helpers/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-demo-raster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testDatabases())('the demo population raster ($name)', (database) => {
  it('should be modelled once from the EXERCISE area in the database, and only when there is one', async () => {
    const opened = await database.open();
    try {
      const deps = defaultDeps(opened.store);
      const out = mkdtempSync(join(dir, `${database.name}-`));
      expect(await demoPopulationRaster(deps, out)).toBeUndefined();

      const loaded = await loadDemo(deps, systemActor('test'));
      const path = await demoPopulationRaster(deps, out);
      expect(path).toBeDefined();
      expect(dirname(path!)).toBe(out);
      const written = statSync(path!).mtimeMs;
      // A second call finds the file: same path, not rewritten.
      expect(await demoPopulationRaster(deps, out)).toBe(path);
      expect(statSync(path!).mtimeMs).toBe(written);

      // People where the demo's largest town is, none far out at sea.
      const places = await opened.store.areas.listPlaces(loaded.areaId, { limit: 100_000 });
      const town = places.items.reduce((a, b) => (b.population > a.population ? b : a));
      const [lon, lat] = town.geometry.coordinates as [number, number];
      const [nearTown, atSea] = await exposuresForCircles(path!, {
        lon: [lon, -30],
        lat: [lat, 0],
        radius: [5000, 5000],
      });
      expect(nearTown!.best).toBeGreaterThan(town.population / 4);
      expect(atSea!.best).toBe(0);
    } finally {
      await opened.dispose();
    }
  });
});

describe('the server without CIVITAS_POPULATION_RASTER', () => {
  it('should estimate exposure on the modelled demo population, beside the database, and say so', async () => {
    const home = mkdtempSync(join(dir, 'serve-'));
    const config = loadConfig(
      {},
      {
        databaseUrl: join(home, 'civitas.db'),
        keyFile: join(home, 'civitas.key'),
        port: 0,
        logLevel: 'silent',
      },
    );
    const store = await openStore(config.databaseUrl, testCipher());
    const said: string[] = [];
    const server = await startServer(config, store, (line) => said.push(line));
    try {
      const modelled = said.find((l) => l.includes('modelled population'));
      expect(modelled, said.join('\n')).toBeDefined();
      const path = /\((\/[^)]+\.tif)\)/.exec(modelled!)?.[1];
      expect(path && dirname(path)).toBe(home);
      expect(existsSync(path!)).toBe(true);

      const deps = defaultDeps(store);
      await createUser(deps, systemActor('test'), {
        username: 'exposure-planner',
        role: 'targeting-officer',
        clearance: 'NS',
        organisations: ['NATO'],
        fullName: 'Exposure Planner',
        contact: '',
        password: TEST_PASSWORD,
      });
      const signIn = await server.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: 'exposure-planner', password: TEST_PASSWORD },
      });
      expect(signIn.statusCode).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const areas = await store.areas.listAreas(
        { limit: 10, offset: 0 },
        {
          clearance: 'CTS',
          organisations: ['NATO'],
          compartments: [],
        },
      );
      const places = await store.areas.listPlaces(areas.items[0]!.id, { limit: 100_000 });
      const town = places.items.reduce((a, b) => (b.population > a.population ? b : a));
      const [lon, lat] = town.geometry.coordinates as [number, number];
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/screenings',
        headers: { cookie },
        payload: {
          title: 'Demo exposure',
          aimpoints: [{ id: 'T1', lon, lat, radius_m: 2000, input: `${lat}, ${lon}` }],
          marking: { classification: 'NU', releasability: [] },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const [want] = await exposuresForCircles(path!, { lon: [lon], lat: [lat], radius: [2000] });
      const got = (res.json() as { aimpoints: { population: { best: number } | null }[] })
        .aimpoints[0]!.population;
      expect(got?.best).toBe(Math.round(want!.best));
      expect(got!.best).toBeGreaterThan(0);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
