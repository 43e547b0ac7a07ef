import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNRESTRICTED_VIEWER as all } from '../../src/domain/access/viewer.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';
import { defaultDeps, systemActor, type Actor, type ServiceDeps } from '../../src/service/deps.js';
import { canPrepareInWorker } from '../../src/service/register/import-batches.js';
import { importObjects, readerFor } from '../../src/service/register/import.service.js';

const actor = systemActor('import-test');

/** `n` objects around Vaduz as NDJSON records; more than one import batch (2,000) by default. */
function records(n: number, first = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, k) => {
    const i = first + k;
    return {
      id: `S${i}`,
      name: `Site ${i}`,
      category: ['medical', 'education', 'water', 'cultural'][i % 4],
      lon: 9.45 + ((i * 37) % 997) / 5000,
      lat: 47.05 + ((i * 53) % 991) / 5000,
      buffer_m: i % 500,
    };
  });
}

function ndjson(rows: readonly Record<string, unknown>[]): Readable {
  return Readable.from([rows.map((r) => JSON.stringify(r)).join('\n') + '\n']);
}

describe.each(
  testDatabases().flatMap((database) => [
    { ...database, parallel: false, mode: 'read in this thread' },
    { ...database, parallel: true, mode: 'read in a worker thread' },
  ]),
)('importObjects on $name, $mode', (database) => {
  let store: Store;
  let deps: ServiceDeps;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
    deps = defaultDeps(store);
  });
  afterEach(async () => {
    await dispose();
  });

  const importRows = (rows: readonly Record<string, unknown>[], options = {}) =>
    importObjects(deps, actor, readerFor('ndjson', ndjson(rows), { source: 'survey' }), {
      label: 'sites.ndjson',
      parallel: database.parallel,
      ...options,
    });
  const events = async () =>
    (await store.audit.list({ action: 'objects.import' }, { limit: 100, offset: 0 })).items;
  const near = async () =>
    (
      await store.objects.search(
        all,
        { near: { lon: 9.55, lat: 47.15, metres: 3000 } },
        { limit: 10_000, offset: 0 },
      )
    ).items.map((o) => o.sourceRef);

  it('should import across batches, then re-import as updates, with one audit event each', async () => {
    const first = await importRows(records(4500));
    expect(first).toMatchObject({ read: 4500, inserted: 4500, updated: 0, written: true });
    expect(await store.objects.count()).toBe(4500);
    const found = await near();
    expect(found.length).toBeGreaterThan(100);

    const again = await importRows(records(4500));
    expect(again).toMatchObject({ read: 4500, inserted: 0, updated: 4500, written: true });
    expect(await store.objects.count()).toBe(4500);
    expect(await near()).toEqual(found);
    const one = (await store.objects.findBySource('survey', ['S7'])).get('S7');
    expect(one?.version).toBe(2);

    // Half old, half new: updates and inserts in the same batches.
    const mixed = await importRows(records(3000, 3000));
    expect(mixed).toMatchObject({ inserted: 1500, updated: 1500 });
    expect(await store.objects.count()).toBe(6000);

    const trail = await events();
    expect(trail).toHaveLength(3);
    expect(trail.map((e) => e.detail).reverse()).toEqual([
      { file: 'sites.ndjson', read: 4500, inserted: 4500, updated: 0, list: null },
      { file: 'sites.ndjson', read: 4500, inserted: 0, updated: 4500, list: null },
      { file: 'sites.ndjson', read: 3000, inserted: 1500, updated: 1500, list: null },
    ]);
  });

  it('should report every bad line, even after batches were written, and write nothing', async () => {
    await importRows(records(100));
    const before = await near();
    const rows = records(5000, 100);
    rows[10] = { ...rows[10], category: 'casino' };
    rows[2500] = { ...rows[2500], lat: 95.5 };
    rows[4999] = { ...rows[4999], id: 'S100' }; // the id of row 0 of this file
    const report = await importRows(rows);
    expect(report).toMatchObject({ read: 5000, inserted: 0, updated: 0, written: false });
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [11, 'category'],
      [2501, 'lat'],
      [5000, 'id'],
    ]);
    expect(await store.objects.count()).toBe(100);
    expect(await near()).toEqual(before);
    expect(await events()).toHaveLength(1);
  });

  it('should write nothing on a dry run', async () => {
    const report = await importRows(records(2500), { dryRun: true });
    expect(report).toMatchObject({ inserted: 2500, written: false });
    expect(await store.objects.count()).toBe(0);
    expect(await events()).toHaveLength(0);
    // The register still works as before: a real import afterwards is found by near.
    await importRows(records(50));
    expect((await near()).length).toBeGreaterThan(0);
  });

  it('should pass on a failure of the input stream and write nothing', async () => {
    async function* failing() {
      yield `${records(3000)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`;
      throw new Error('connection reset by peer');
    }
    await expect(
      importObjects(deps, actor, readerFor('ndjson', Readable.from(failing()), {}), {
        parallel: database.parallel,
      }),
    ).rejects.toThrow('connection reset by peer');
    expect(await store.objects.count()).toBe(0);
    expect(await events()).toHaveLength(0);
  });

  it('should refuse objects marked above the importer, naming their lines', async () => {
    const reader = readerFor('ndjson', ndjson(records(3000)), {
      source: 'survey',
      marking: { classification: 'NS', releasability: ['NATO'] },
    });
    const planner: Actor = {
      kind: 'user',
      id: 'u-planner',
      via: 'cli',
      scopes: [],
      user: {
        id: 'u-planner',
        username: 'planner',
        role: 'targeting-officer',
        clearance: 'NR',
        organisations: ['NATO'],
        fullName: 'Planner',
        contact: '',
        disabled: false,
        demo: false,
        compartments: [],
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    };
    const report = await importObjects(deps, planner, reader, { parallel: database.parallel });
    expect(report).toMatchObject({ read: 3000, errorCount: 3000, written: false });
    expect(report.errors.slice(0, 2).map((e) => [e.line, e.field])).toEqual([
      [1, 'marking'],
      [2, 'marking'],
    ]);
    expect(await store.objects.count()).toBe(0);
  });
});

describe('the import worker', () => {
  it('should be available where the tests run, so the tests above exercise it', () => {
    expect(canPrepareInWorker()).toBe(true);
  });
});
