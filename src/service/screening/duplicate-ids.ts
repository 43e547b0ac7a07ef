/**
 * Finding repeated object ids without keeping every id. Each reader thread keeps a 32-bit hash
 * of every id and where its line starts, sorted as it reads into 256 buckets by the hash's top
 * byte ({@link IdHashBuckets}: each bucket a list of chunks, so nothing is ever copied to grow,
 * and the writes touch only 256 places). The main thread then takes one bucket at a time from
 * every thread and looks for equal hashes with a table small enough to stay in the processor's
 * cache. Only candidates — ids with equal hashes — are read back from the file and compared, so
 * a collision of hashes never passes for a repeat.
 *
 * Fresh memory is expensive: on a virtual machine the first touch of each 4 KiB page can cost
 * more than reading a megabyte already touched. Chunks are therefore allocated as they fill,
 * never doubled and copied.
 */
import { lineAt, lineTextAt, recordError } from './screening-input.js';

const BUCKETS = 256;
const FIRST_CHUNK = 256;
const LARGEST_CHUNK = 16384;

/** One thread's id hashes grouped by top byte, with where each line starts. */
export interface BucketedIdHashes {
  /** Chunk c holds count[c] hashes, all of bucket bucket[c] (top byte of the hash). */
  readonly hashes: readonly Uint32Array[];
  /** The line offset of each hash, chunk by chunk. */
  readonly offsets: readonly Float64Array[];
  readonly bucket: Uint8Array;
  readonly count: Int32Array;
}

/**
 * Collects id hashes and line offsets by bucket as they are read.
 *
 * @example
 * const ids = new IdHashBuckets();
 * ids.addAll(hashes, offsets, count);
 * const bucketed = ids.result();
 */
export class IdHashBuckets {
  private readonly heads: Uint32Array[] = [];
  private readonly headOffsets: Float64Array[] = [];
  private readonly fill = new Int32Array(BUCKETS);
  private readonly hashes: Uint32Array[] = [];
  private readonly offsets: Float64Array[] = [];
  private readonly buckets: number[] = [];
  private readonly counts: number[] = [];
  private readonly oneHash = new Uint32Array(1);
  private readonly oneOffset = new Float64Array(1);
  /** Hashes added. */
  count = 0;

  constructor() {
    for (let b = 0; b < BUCKETS; b += 1) {
      this.heads.push(new Uint32Array(0));
      this.headOffsets.push(new Float64Array(0));
    }
  }

  /** Adds the first `count` hashes of `hashes`, with their line offsets. */
  addAll(hashes: Uint32Array, offsets: Float64Array, count: number): void {
    const heads = this.heads;
    const headOffsets = this.headOffsets;
    const fill = this.fill;
    for (let i = 0; i < count; i += 1) {
      const h = hashes[i] as number;
      const b = h >>> 24;
      let at = fill[b] as number;
      let head = heads[b] as Uint32Array;
      if (at === head.length) {
        head = this.grow(b);
        at = 0;
      }
      head[at] = h;
      (headOffsets[b] as Float64Array)[at] = offsets[i] as number;
      fill[b] = at + 1;
    }
    this.count += count;
  }

  /** Adds one hash (an object read the slow way: through {@link IdHashBuckets.addAll}). */
  add(hash: number, offset: number): void {
    this.oneHash[0] = hash;
    this.oneOffset[0] = offset;
    this.addAll(this.oneHash, this.oneOffset, 1);
  }

  /** Closes bucket b's full chunk and opens the next (twice as large, up to LARGEST_CHUNK). */
  private grow(b: number): Uint32Array {
    const full = this.heads[b] as Uint32Array;
    if (full.length > 0) this.keep(b, full.length);
    const size = full.length === 0 ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, full.length * 2);
    const head = new Uint32Array(size);
    this.heads[b] = head;
    this.headOffsets[b] = new Float64Array(size);
    this.fill[b] = 0;
    return head;
  }

  private keep(b: number, count: number): void {
    this.hashes.push(this.heads[b] as Uint32Array);
    this.offsets.push(this.headOffsets[b] as Float64Array);
    this.buckets.push(b);
    this.counts.push(count);
  }

  /** The chunks, each bucket's open chunk included (typed arrays, transferable). */
  result(): BucketedIdHashes {
    for (let b = 0; b < BUCKETS; b += 1) {
      const filled = this.fill[b] as number;
      if (filled > 0) this.keep(b, filled);
      this.heads[b] = new Uint32Array(0);
      this.headOffsets[b] = new Float64Array(0);
      this.fill[b] = 0;
    }
    return {
      hashes: this.hashes,
      offsets: this.offsets,
      bucket: Uint8Array.from(this.buckets),
      count: Int32Array.from(this.counts),
    };
  }
}

/**
 * The buffers of bucketed hashes, for postMessage's transfer list.
 *
 * @example
 * port.postMessage(bucketed, idHashTransferList(bucketed));
 */
export function idHashTransferList(ids: BucketedIdHashes): ArrayBuffer[] {
  return [...ids.hashes, ...ids.offsets, ids.bucket, ids.count].map((a) => a.buffer as ArrayBuffer);
}

/** Per bucket, the (part, chunk) pairs holding its hashes. */
function chunksByBucket(parts: readonly BucketedIdHashes[]): {
  chunks: [number, number][][];
  sizes: Int32Array;
} {
  const chunks: [number, number][][] = Array.from({ length: BUCKETS }, () => []);
  const sizes = new Int32Array(BUCKETS);
  parts.forEach((p, part) => {
    for (let c = 0; c < p.bucket.length; c += 1) {
      const b = p.bucket[c] as number;
      (chunks[b] as [number, number][]).push([part, c]);
      sizes[b] = (sizes[b] as number) + (p.count[c] as number);
    }
  });
  return { chunks, sizes };
}

/**
 * Throws the error for the first repeated id in `path` (lowest line of the repeat, naming both
 * lines), or returns when every id is distinct.
 *
 * @example
 * checkDuplicateIds('objects.ndjson', [mainBucketed, workerBucketed]);
 */
export function checkDuplicateIds(path: string, parts: readonly BucketedIdHashes[]): void {
  const { chunks, sizes } = chunksByBucket(parts);
  let largest = 0;
  for (let b = 0; b < BUCKETS; b += 1) largest = Math.max(largest, sizes[b] as number);
  let capacity = 16;
  while (capacity < largest * 2) capacity *= 2;
  const tableHash = new Uint32Array(capacity);
  const tableOffset = new Float64Array(capacity);
  const used = new Uint8Array(capacity);
  const pairs: [number, number][] = [];
  for (let b = 0; b < BUCKETS; b += 1) {
    const size = sizes[b] as number;
    if (size < 2) continue;
    let slots = 16;
    while (slots < size * 2) slots *= 2;
    const mask = slots - 1;
    const shift = 32 - Math.log2(slots);
    used.fill(0, 0, slots);
    for (const [part, c] of chunks[b] as [number, number][]) {
      const p = parts[part] as BucketedIdHashes;
      const hashes = p.hashes[c] as Uint32Array;
      const offsets = p.offsets[c] as Float64Array;
      const count = p.count[c] as number;
      for (let i = 0; i < count; i += 1) {
        const h = hashes[i] as number;
        let slot = Math.imul(h, 0x9e3779b1) >>> shift;
        while (used[slot] === 1) {
          if (tableHash[slot] === h)
            pairs.push([tableOffset[slot] as number, offsets[i] as number]);
          slot = (slot + 1) & mask;
        }
        used[slot] = 1;
        tableHash[slot] = h;
        tableOffset[slot] = offsets[i] as number;
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
