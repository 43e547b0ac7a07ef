import type { Actor, ServiceDeps } from '../deps.js';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { importObjects, readerFor } from '../register/import.service.js';
import type { ImportResult } from '../import/import-result.js';
import { buildDemo, DEMO_AREA_ID } from './demo-area.js';
import { demoObjects } from './demo-objects.js';

/** Progress of a long-running job: `done` of `total` steps in the named phase. */
export type ProgressListener = (event: { phase: string; done: number; total: number }) => void;

/** What loading the demo did. */
export interface DemoLoadResult {
  readonly areaId: string;
  readonly replaced: boolean;
  readonly regionCount: number;
  readonly placeCount: number;
  readonly unitCount: number;
  readonly factorCount: number;
  /** Protected objects loaded into the register, by source. */
  readonly objects: Record<string, number>;
  readonly sources: readonly string[];
}

/**
 * Loads (or reloads) the demo area of operations in one transaction, with an audit event.
 * Reloading replaces the previous demo area and nothing else.
 *
 * @example
 * await loadDemo(deps, { id: 'cli:demo' }, { onProgress: ({ phase, done, total }) => ... });
 */
export async function loadDemo(
  deps: ServiceDeps,
  actor: Actor,
  options: { dataDir?: string; onProgress?: ProgressListener } = {},
): Promise<DemoLoadResult> {
  const progress = options.onProgress ?? (() => undefined);
  const now = deps.now();
  progress({ phase: 'building demo area', done: 0, total: 1 });
  const demo = buildDemo({
    now,
    actor: actor.id,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  progress({ phase: 'building demo area', done: 1, total: 1 });
  const steps = 5;
  const replaced = await deps.store.transaction(async (tx) => {
    let step = 0;
    const phase = 'writing demo area';
    progress({ phase, done: step, total: steps });
    const existed = await tx.areas.deleteArea(DEMO_AREA_ID);
    await tx.areas.insertArea(demo.area);
    progress({ phase, done: ++step, total: steps });
    await tx.areas.insertRegions(demo.regions);
    progress({ phase, done: ++step, total: steps });
    await tx.areas.insertPlaces(demo.places);
    progress({ phase, done: ++step, total: steps });
    await tx.areas.insertUnits(demo.units);
    progress({ phase, done: ++step, total: steps });
    for (const factor of demo.factors) await tx.factors.insert(factor);
    await tx.audit.append(
      {
        actor: actor.id,
        action: existed ? 'demo.reload' : 'demo.load',
        recordType: 'area',
        recordId: demo.area.id,
        detail: {
          regions: demo.regions.length,
          places: demo.places.length,
          units: demo.units.length,
        },
      },
      now,
    );
    progress({ phase, done: ++step, total: steps });
    return existed;
  });
  return {
    areaId: demo.area.id,
    replaced,
    regionCount: demo.regions.length,
    placeCount: demo.places.length,
    unitCount: demo.units.length,
    factorCount: demo.factors.length,
    objects: await loadDemoObjects(deps, actor, options.dataDir, progress),
    sources: demo.sources,
  };
}

/**
 * Loads the demo only when the database holds no area yet (first start).
 * Returns the result, or undefined when there was already data.
 */
export async function loadDemoIfEmpty(
  deps: ServiceDeps,
  actor: Actor,
): Promise<DemoLoadResult | undefined> {
  if ((await deps.store.areas.countAreas()) > 0) return undefined;
  return loadDemo(deps, actor);
}

async function* asResults(objects: ReturnType<typeof demoObjects>): AsyncGenerator<ImportResult> {
  let index = 0;
  for (const object of objects)
    yield { kind: 'ok', index: index++, sourceId: object.sourceRef, object };
}

/**
 * The register part of the demo: generated objects around the demo's towns, and with a data folder
 * the real OSM extract (Liechtenstein) and the Ukraine power plants. Each source is one atomic,
 * idempotent import: loading the demo again updates rather than duplicates.
 */
async function loadDemoObjects(
  deps: ServiceDeps,
  actor: Actor,
  dataDir: string | undefined,
  progress: ProgressListener,
): Promise<Record<string, number>> {
  const sources: { name: string; results: () => AsyncIterable<ImportResult> }[] = [
    { name: 'civitas-demo', results: () => asResults(demoObjects()) },
  ];
  if (dataDir) {
    const pbf = join(dataDir, 'osm-liechtenstein', 'liechtenstein-2013-08-03.osm.pbf');
    const gppd = join(dataDir, 'wri-gppd-ukraine', 'global_power_plant_database_ukraine.csv');
    if (existsSync(pbf))
      sources.push({ name: 'osm', results: () => readerFor('osm-pbf', createReadStream(pbf), {}) });
    if (existsSync(gppd)) {
      sources.push({
        name: 'wri-gppd',
        results: () =>
          readerFor('csv', createReadStream(gppd), {
            source: 'wri-gppd',
            category: 'power',
            columns: { name: 'name', lat: 'latitude', lon: 'longitude', sourceId: 'gppd_idnr' },
          }),
      });
    }
  }
  const counts: Record<string, number> = {};
  let done = 0;
  for (const source of sources) {
    progress({ phase: 'loading protected objects', done, total: sources.length });
    const report = await importObjects(deps, actor, source.results(), {
      label: `demo: ${source.name}`,
    });
    if (report.errorCount > 0) {
      const first = report.errors[0]!;
      throw new CivitasError(
        'demo_data_invalid',
        `${source.name}: ${report.errorCount} bad item(s), first at ${first.line !== undefined ? `line ${first.line}` : `item ${first.index}`}: ${first.field}: ${first.message}`,
      );
    }
    counts[source.name] = report.inserted + report.updated;
    progress({ phase: 'loading protected objects', done: ++done, total: sources.length });
  }
  return counts;
}
