/**
 * The id-hash buckets the duplicate check is built on: every hash lands in the bucket of its top
 * byte with its line offset, however many there are and however unevenly they spread.
 */
import { describe, expect, it } from 'vitest';
import { IdHashBuckets, type BucketedIdHashes } from '../../src/service/screening/duplicate-ids.js';
import { seededRandom } from '../helpers/random.js';

/** Every (hash, offset) pair of a result, by bucket, in the order they were added. */
function byBucket(r: BucketedIdHashes): Map<number, [number, number][]> {
  const out = new Map<number, [number, number][]>();
  for (let c = 0; c < r.bucket.length; c += 1) {
    const b = r.bucket[c]!;
    const list = out.get(b) ?? [];
    for (let i = 0; i < r.count[c]!; i += 1) list.push([r.hashes[c]![i]!, r.offsets[c]![i]!]);
    out.set(b, list);
  }
  return out;
}

describe('IdHashBuckets', () => {
  it('keeps every hash with its offset in the bucket of its top byte, across many chunks', () => {
    const rnd = seededRandom(4);
    const n = 60_000;
    const hashes = new Uint32Array(n);
    const offsets = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      // Most hashes in one bucket (its chunks grow to the largest size), the rest anywhere.
      hashes[i] = i % 3 === 0 ? Math.floor(rnd() * 2 ** 32) >>> 0 : (0x07000000 | i) >>> 0;
      offsets[i] = i * 97 + 2 ** 33; // offsets beyond 32 bits survive
    }
    const ids = new IdHashBuckets();
    ids.addAll(hashes.subarray(0, 25_000), offsets.subarray(0, 25_000), 25_000);
    ids.add(hashes[25_000]!, offsets[25_000]!);
    ids.addAll(hashes.subarray(25_001), offsets.subarray(25_001), n - 25_001);
    expect(ids.count).toBe(n);
    const result = ids.result();

    const want = new Map<number, [number, number][]>();
    for (let i = 0; i < n; i += 1) {
      const b = hashes[i]! >>> 24;
      const list = want.get(b) ?? [];
      list.push([hashes[i]!, offsets[i]!]);
      want.set(b, list);
    }
    const got = byBucket(result);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
    for (const [b, list] of want) expect(got.get(b)).toEqual(list);
    expect(result.count.reduce((a, c) => a + c, 0)).toBe(n);
    // Bucket 7's chunks grew (and stopped growing at the largest size).
    const sizes = result.hashes.filter((_, c) => result.bucket[c] === 7).map((h) => h.length);
    expect(sizes.slice(0, 3)).toEqual([256, 512, 1024]);
    expect(Math.max(...sizes)).toBe(16384);
  });

  it('gives an empty result when nothing was added', () => {
    const result = new IdHashBuckets().result();
    expect(result.bucket.length).toBe(0);
    expect(result.hashes).toEqual([]);
  });
});
