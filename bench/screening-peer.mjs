// The screening benchmark's "straightforward JavaScript peer": what a capable developer writes in
// an afternoon with well-known libraries. Per-line JSON.parse, a kdbush index, geokdbush `around`
// with the largest buffer as a prefilter, then the exact haversine filter on the Civitas sphere.
// Same contract as `civitas screen` (NDJSON in, one result line per action out, hits sorted by
// code-unit order), so the benchmark can compare the answers byte for byte.
//
//   node bench/screening-peer.mjs OBJECTS.ndjson ACTIONS.ndjson RESULT.ndjson
//
// Prints one JSON line of phase timings (ms) on stdout.
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import KDBush from 'kdbush';
import { around } from 'geokdbush';

const R = 6_371_008.7714;
const toRad = Math.PI / 180;

/** The same haversine as src/geo/lon-lat.ts `lonLatDistanceMetres`. */
function distanceMetres(lon1, lat1, lon2, lat2) {
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

async function readNdjson(file, onRecord) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') onRecord(JSON.parse(line));
}

const [objectsFile, actionsFile, outFile] = process.argv.slice(2);
const t0 = performance.now();
const objects = [];
await readNdjson(objectsFile, (o) => objects.push(o));
const actions = [];
await readNdjson(actionsFile, (a) => actions.push(a));
const t1 = performance.now();

const index = new KDBush(objects.length);
let maxBuffer = 0;
for (const o of objects) {
  index.add(o.lon, o.lat);
  if (o.buffer_m > maxBuffer) maxBuffer = o.buffer_m;
}
index.finish();
const t2 = performance.now();

const out = createWriteStream(outFile);
for (const a of actions) {
  // geokdbush measures on a 6371 km sphere (a little shorter than ours): a safe prefilter.
  const near = around(index, a.lon, a.lat, Infinity, (a.radius_m + maxBuffer) / 1000 + 0.001);
  const hits = [];
  for (const i of near) {
    const o = objects[i];
    if (distanceMetres(a.lon, a.lat, o.lon, o.lat) <= a.radius_m + o.buffer_m) hits.push(o.id);
  }
  hits.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (!out.write(JSON.stringify({ action: a.id, hits }) + '\n')) {
    await new Promise((resolve) => out.once('drain', resolve));
  }
}
await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({ parseMs: t1 - t0, indexMs: t2 - t1, answerMs: t3 - t2, totalMs: t3 - t0 }) +
    '\n',
);
