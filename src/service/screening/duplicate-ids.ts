/**
 * Finding repeated object ids without keeping every id. Each reader thread keeps a 32-bit hash
 * of every id and where its line starts; after reading, it splits its hashes into 256 buckets by
 * their top byte ({@link bucketIdHashes}: a counting sort whose scatter touches only 256 places,
 * so it runs at memory speed). The main thread then takes one bucket at a time from every thread
 * and looks for equal hashes with a table small enough to stay in the processor's cache. Only
 * candidates — ids with equal hashes — are read back from the file and compared, so a collision
 * of hashes never passes for a repeat.
 */
import { lineAt, lineTextAt, recordError } from './screening-input.js';

const BUCKETS = 256;

/** One thread's id hashes grouped by top byte, with where each line starts. */
export interface BucketedIdHashes {
  /** Hashes of bucket b are hashes[start[b]..start[b + 1]). */
  readonly hashes: Uint32Array;
  /** The line offset of each hash, in the same order. */
  readonly offsets: Float64Array;
  readonly start: Int32Array;
}

/**
 * Groups `count` hashes (and their line offsets) by top byte.
 *
 * @example
 * const bucketed = bucketIdHashes(hashes, offsets, count);
 */
export function bucketIdHashes(
  hashes: Uint32Array,
  offsets: Float64Array,
  count: number,
): BucketedIdHashes {
  const start = new Int32Array(BUCKETS + 1);
  for (let i = 0; i < count; i += 1) {
    const b = ((hashes[i] as number) >>> 24) + 1;
    start[b] = (start[b] as number) + 1;
  }
  for (let b = 0; b < BUCKETS; b += 1)
    start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const fill = start.slice(0, BUCKETS);
  const outHashes = new Uint32Array(count);
  const outOffsets = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const h = hashes[i] as number;
    const b = h >>> 24;
    const at = fill[b] as number;
    outHashes[at] = h;
    outOffsets[at] = offsets[i] as number;
    fill[b] = at + 1;
  }
  return { hashes: outHashes, offsets: outOffsets, start };
}

/**
 * Throws the error for the first repeated id in `path` (lowest line of the repeat, naming both
 * lines), or returns when every id is distinct.
 *
 * @example
 * checkDuplicateIds('objects.ndjson', [mainBucketed, workerBucketed]);
 */
export function checkDuplicateIds(path: string, parts: readonly BucketedIdHashes[]): void {
  let largest = 0;
  for (let b = 0; b < BUCKETS; b += 1) {
    let size = 0;
    for (const p of parts) size += (p.start[b + 1] as number) - (p.start[b] as number);
    if (size > largest) largest = size;
  }
  let capacity = 16;
  while (capacity < largest * 2) capacity *= 2;
  const tableHash = new Uint32Array(capacity);
  const tableOffset = new Float64Array(capacity);
  const used = new Uint8Array(capacity);
  const pairs: [number, number][] = [];
  for (let b = 0; b < BUCKETS; b += 1) {
    let size = 0;
    for (const p of parts) size += (p.start[b + 1] as number) - (p.start[b] as number);
    if (size < 2) continue;
    let slots = 16;
    while (slots < size * 2) slots *= 2;
    const mask = slots - 1;
    const shift = 32 - Math.log2(slots);
    used.fill(0, 0, slots);
    for (const p of parts) {
      for (let i = p.start[b] as number; i < (p.start[b + 1] as number); i += 1) {
        const h = p.hashes[i] as number;
        let slot = Math.imul(h, 0x9e3779b1) >>> shift;
        while (used[slot] === 1) {
          if (tableHash[slot] === h)
            pairs.push([tableOffset[slot] as number, p.offsets[i] as number]);
          slot = (slot + 1) & mask;
        }
        used[slot] = 1;
        tableHash[slot] = h;
        tableOffset[slot] = p.offsets[i] as number;
      }
    }
  }
  if (pairs.length === 0) return;
  // Equal hashes: compare the ids themselves, earliest repeat first.
  const idAt = (offset: number): unknown =>
    (JSON.parse(lineTextAt(path, offset)) as { id?: unknown }).id;
  const ordered = pairs
    .map(([x, y]) => (x < y ? { first: x, second: y } : { first: y, second: x }))
    .sort((x, y) => x.second - y.second || x.first - y.first);
  for (const { first, second } of ordered) {
    const id = idAt(second);
    if (id === idAt(first)) {
      throw recordError(
        path,
        lineAt(path, second),
        'id',
        `duplicate id ${JSON.stringify(id)} (first on line ${lineAt(path, first)})`,
      );
    }
  }
}
