import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A generator of UUIDv7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, a 12-bit
 * counter (method 3 of §6.2: it restarts at a random value below 1,024 each millisecond, and a
 * full counter borrows the next millisecond), then 62 random bits. The ids of one generator
 * sort as they were made, so a database appends them to its primary-key index instead of
 * inserting them at random places: a million imported objects are written several times faster.
 *
 * @example
 * const newId = timeOrderedIds();
 * newId(); // '0193a4f2-7c31-7a05-9e1b-3f6d2c8a4b10'
 */
export function timeOrderedIds(clock: () => number = Date.now): () => string {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let used = POOL_BYTES;
  let lastMs = -1;
  let counter = 0;
  const random = (n: number): Buffer => {
    if (used + n > POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    used += n;
    return pool.subarray(used - n, used);
  };
  return () => {
    const now = clock();
    const r = random(10);
    if (now > lastMs) {
      lastMs = now;
      counter = ((r[8]! << 8) | r[9]!) & 0x3ff;
    } else {
      counter += 1;
      if (counter > 0xfff) {
        lastMs += 1;
        counter = 0;
      }
    }
    const ms = lastMs;
    const high = Math.floor(ms / 0x1000000); // the top 24 bits of 48
    const low = ms % 0x1000000;
    return (
      HEX[(high >>> 16) & 0xff]! +
      HEX[(high >>> 8) & 0xff]! +
      HEX[high & 0xff]! +
      HEX[(low >>> 16) & 0xff]! +
      '-' +
      HEX[(low >>> 8) & 0xff]! +
      HEX[low & 0xff]! +
      '-' +
      HEX[0x70 | (counter >>> 8)]! +
      HEX[counter & 0xff]! +
      '-' +
      HEX[0x80 | (r[0]! & 0x3f)]! +
      HEX[r[1]!]! +
      '-' +
      HEX[r[2]!]! +
      HEX[r[3]!]! +
      HEX[r[4]!]! +
      HEX[r[5]!]! +
      HEX[r[6]!]! +
      HEX[r[7]!]!
    );
  };
}
