/**
 * Reading protected objects from an NDJSON file in blocks and probing each against the action
 * index as it is read. Used by the main thread and by the worker (screen.worker.ts): each claims
 * the next unread block from a shared counter, so both cores stay busy until the file ends.
 *
 * Only what the result needs is kept: for every object the hash of its id and where its line
 * starts (to find duplicate ids afterwards), and for objects inside some action's distance their
 * id and the (action, object) pairs. Objects with a buffer larger than the index allows are set
 * aside with their coordinates and screened after the pass with a wider index.
 */
import { readSync } from 'node:fs';
import {
  ActionIndex,
  HitBuffer,
  type ActionIndexParts,
} from '../../analysis/screening/action-index.js';
import { objectRecordProblem } from '../../analysis/screening/input.js';
import { IdHashBuckets, idHashTransferList, type BucketedIdHashes } from './duplicate-ids.js';
import { ByteList, Float64List, Int32List } from './growable.js';
import { BLANK, fnv1a, RecordScanner, SCANNED } from './record-scanner.js';
import type { ScanJob } from './screen-prestart.js';

export type { ScanJob } from './screen-prestart.js';

const NEWLINE = 0x0a;
const ALL_FIELDS = 15;
/** Entries each hit list reserves (16 MiB of address space, backed only as it is written). */
const RESERVED_ENTRIES = 1 << 22;
/** Read size when completing a block's last line, and the slack kept for it. */
const STEP = 16384;
const EXTRA = 8 * STEP;

/** A bad record: where its line starts in the file, which field, and what is wrong. */
export interface ScanError {
  readonly offset: number;
  readonly field: string | undefined;
  readonly message: string;
}

/** Everything one thread's pass kept; plain typed arrays, transferable to another thread. */
export interface CollectorResult {
  /** Objects read. */
  readonly count: number;
  /** fnv1a of each object's id (UTF-8 bytes) and where its line starts, by bucket. */
  readonly ids: BucketedIdHashes;
  /** Hit pairs: action index and object reference (into idStart / refStrings). */
  readonly hitAction: Int32Array;
  readonly hitRef: Int32Array;
  /** Ids of referenced objects: bytes of ref r are idBytes[idStart[r]..idStart[r + 1]). */
  readonly idBytes: Uint8Array;
  readonly idStart: Int32Array;
  /** Ids that are not plain printable ASCII, by reference (their idBytes range is empty). */
  readonly refStrings: readonly (readonly [number, string])[];
  /** Objects set aside because their buffer exceeds the index's maxBufferM. */
  readonly deferLon: Float64Array;
  readonly deferLat: Float64Array;
  readonly deferBuffer: Float64Array;
  readonly deferRef: Int32Array;
  readonly error: ScanError | undefined;
}

/**
 * True when a string can be written inside JSON quotes as it is (printable ASCII, no " or \).
 *
 * @example
 * isPlainId('O17'); // true
 * isPlainId('Zürich'); // false: written with JSON.stringify instead
 */
export function isPlainId(id: string): boolean {
  for (let i = 0; i < id.length; i += 1) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * Collects one thread's objects: probes each against the index and keeps hashes, offsets, hits
 * and the ids of objects that hit something.
 *
 * @example
 * const collector = new ObjectCollector(index);
 * collector.addString(30.5, 50.4, 100, 'O1', 0);
 * collector.result().hitAction; // the actions O1 is within reach of
 */
export class ObjectCollector {
  private readonly ids = new IdHashBuckets();
  // Room for millions of hits from the start: untouched pages of a large typed array cost
  // nothing (the memory is mapped, not yet backed), while doubling and copying touches fresh
  // pages twice over — about 10 µs a page on a virtual machine.
  private readonly hitAction = new Int32List(RESERVED_ENTRIES);
  private readonly hitRef = new Int32List(RESERVED_ENTRIES);
  private readonly idBytes = new ByteList(RESERVED_ENTRIES * 4);
  private readonly idStart = new Int32List(RESERVED_ENTRIES);
  private readonly refStrings: [number, string][] = [];
  private readonly deferLon = new Float64List(16);
  private readonly deferLat = new Float64List(16);
  private readonly deferBuffer = new Float64List(16);
  private readonly deferRef = new Int32List(16);
  private readonly scratch = new HitBuffer(256, false);
  private readonly maxBuffer: number;
  private readonly encoder = new TextEncoder();
  error: ScanError | undefined;

  constructor(private readonly index: ActionIndex) {
    this.maxBuffer = index.maxBufferM;
    this.idStart.push(0);
  }

  /** Objects read so far. */
  get count(): number {
    return this.ids.count;
  }

  /**
   * Adds a parsed block: object i has coordinates lon[i], lat[i], buffer buffer[i], and its id
   * is the plain bytes idStart[i]..idEnd[i] of `buf`.
   */
  addColumns(
    buf: Uint8Array,
    count: number,
    lon: Float64Array,
    lat: Float64Array,
    buffer: Float64Array,
    idStart: Int32Array,
    idEnd: Int32Array,
    hash: Uint32Array,
    offset: Float64Array,
  ): void {
    const index = this.index;
    const query = index.query;
    const scratch = this.scratch;
    const maxBuffer = this.maxBuffer;
    this.ids.addAll(hash, offset, count);
    for (let i = 0; i < count; i += 1) {
      const b = buffer[i] as number;
      if (b > maxBuffer) {
        this.defer(
          lon[i] as number,
          lat[i] as number,
          b,
          this.storeBytes(buf, idStart[i] as number, idEnd[i] as number),
        );
        continue;
      }
      query[0] = lon[i] as number;
      query[1] = lat[i] as number;
      query[2] = b;
      scratch.count = 0;
      const k = index.probeQuery(scratch);
      if (k === 0) continue;
      const ref = this.storeBytes(buf, idStart[i] as number, idEnd[i] as number);
      for (let j = 0; j < k; j += 1) {
        this.hitAction.push(scratch.actions[j] as number);
        this.hitRef.push(ref);
      }
    }
  }

  /** Adds an object whose id came from JSON.parse. */
  addString(lon: number, lat: number, buffer: number, id: string, offset: number): void {
    const bytes = this.encoder.encode(id);
    this.ids.add(fnv1a(bytes, 0, bytes.length), offset);
    const store = (): number =>
      isPlainId(id) ? this.storeBytes(bytes, 0, bytes.length) : this.storeString(id);
    if (buffer > this.maxBuffer) {
      this.defer(lon, lat, buffer, store());
      return;
    }
    const scratch = this.scratch;
    scratch.count = 0;
    const k = this.index.probe(lon, lat, buffer, scratch);
    if (k === 0) return;
    const ref = store();
    for (let i = 0; i < k; i += 1) {
      this.hitAction.push(scratch.actions[i] as number);
      this.hitRef.push(ref);
    }
  }

  private storeBytes(buf: Uint8Array, start: number, end: number): number {
    this.idBytes.append(buf, start, end);
    this.idStart.push(this.idBytes.length);
    return this.idStart.length - 2;
  }

  private storeString(id: string): number {
    this.idStart.push(this.idBytes.length);
    const ref = this.idStart.length - 2;
    this.refStrings.push([ref, id]);
    return ref;
  }

  private defer(lon: number, lat: number, buffer: number, ref: number): void {
    this.deferLon.push(lon);
    this.deferLat.push(lat);
    this.deferBuffer.push(buffer);
    this.deferRef.push(ref);
  }

  /** The collected arrays, trimmed to size. */
  result(): CollectorResult {
    return {
      count: this.count,
      ids: this.ids.result(),
      hitAction: this.hitAction.toArray(),
      hitRef: this.hitRef.toArray(),
      idBytes: this.idBytes.toArray(),
      idStart: this.idStart.toArray(),
      refStrings: this.refStrings,
      deferLon: this.deferLon.toArray(),
      deferLat: this.deferLat.toArray(),
      deferBuffer: this.deferBuffer.toArray(),
      deferRef: this.deferRef.toArray(),
      error: this.error,
    };
  }
}

/**
 * The transferable buffers of a result, for postMessage.
 *
 * @example
 * port.postMessage(result, resultTransferList(result));
 */
export function resultTransferList(r: CollectorResult): ArrayBuffer[] {
  return [
    ...idHashTransferList(r.ids),
    ...[
      r.hitAction,
      r.hitRef,
      r.idBytes,
      r.idStart,
      r.deferLon,
      r.deferLat,
      r.deferBuffer,
      r.deferRef,
    ].map((a) => a.buffer as ArrayBuffer),
  ];
}

/** A record the fast path did not take, read with JSON.parse. */
interface SlowRecord {
  readonly lon: number;
  readonly lat: number;
  readonly buffer: number;
  readonly id: string;
  readonly offset: number;
}

/**
 * One block of the objects file and its records, parsed into columns, waiting to be probed.
 *
 * @example
 * const block = scanner.parseNext(); // block.count records, block.lon[0], …
 */
export class ParsedBlock {
  buf: Buffer;
  count = 0;
  lon: Float64Array;
  lat: Float64Array;
  buffer: Float64Array;
  idStart: Int32Array;
  idEnd: Int32Array;
  hash: Uint32Array;
  offset: Float64Array;
  slow: SlowRecord[] = [];
  bytes = 0;

  /** @param size bytes of file the block holds; room for a record per 64 bytes to begin with (more as needed) */
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
    const records = Math.max(1024, size >>> 6);
    this.lon = new Float64Array(records);
    this.lat = new Float64Array(records);
    this.buffer = new Float64Array(records);
    this.idStart = new Int32Array(records);
    this.idEnd = new Int32Array(records);
    this.hash = new Uint32Array(records);
    this.offset = new Float64Array(records);
  }

  /** Room for one more record. */
  reserve(): void {
    if (this.count < this.lon.length) return;
    const size = this.lon.length * 2;
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(size);
      next.set(a);
      return next;
    };
    const i32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(size);
      next.set(a);
      return next;
    };
    this.lon = f64(this.lon);
    this.lat = f64(this.lat);
    this.buffer = f64(this.buffer);
    this.offset = f64(this.offset);
    this.idStart = i32(this.idStart);
    this.idEnd = i32(this.idEnd);
    const hash = new Uint32Array(size);
    hash.set(this.hash);
    this.hash = hash;
  }
}

/**
 * Reads objects a block at a time: `parseNext` claims the next block from the shared counter and
 * reads its lines into columns (no index needed, so a worker can parse ahead before the index
 * arrives); `probe` then hands a parsed block to a collector. Parsing and probing are separate
 * tight loops, and no double crosses a function call on the way (see ActionIndex.query).
 *
 * @example
 * const scanner = new BlockScanner(fd, job);
 * for (let block = scanner.parseNext(); block; block = scanner.parseNext()) {
 *   scanner.probe(block, collector);
 * }
 */
export class BlockScanner {
  private readonly scanner = new RecordScanner('buffer_m');
  private readonly decoder = new TextDecoder('utf-8');
  private readonly pool: ParsedBlock[] = [];
  /** The first bad line met, if any. */
  error: ScanError | undefined;

  constructor(
    private readonly fd: number,
    private readonly job: ScanJob,
  ) {}

  /** Claims the next block and parses it; undefined when there is none left (or an error). */
  parseNext(): ParsedBlock | undefined {
    const { control, blockSize, size } = this.job;
    if (this.error || Atomics.load(control, 1) !== 0) return undefined;
    const index = Atomics.add(control, 0, 1);
    const start = index * blockSize;
    if (start >= size) return undefined;
    const end = Math.min(size, start + blockSize);
    const block = this.pool.pop() ?? new ParsedBlock(blockSize + EXTRA);
    block.count = 0;
    block.slow = [];
    block.bytes = end - start;
    this.parseBlock(block, start, end);
    if (this.error) {
      Atomics.store(control, 1, 1);
      return undefined;
    }
    return block;
  }

  /** Adds a parsed block's objects to `collector` (probing each against its index). */
  probe(block: ParsedBlock, collector: ObjectCollector): void {
    collector.addColumns(
      block.buf,
      block.count,
      block.lon,
      block.lat,
      block.buffer,
      block.idStart,
      block.idEnd,
      block.hash,
      block.offset,
    );
    for (const r of block.slow) collector.addString(r.lon, r.lat, r.buffer, r.id, r.offset);
    this.job.progress[this.job.slot] = (this.job.progress[this.job.slot] as number) + block.bytes;
    this.pool.push(block);
  }

  /** Parses the lines that start in [start, end). */
  private parseBlock(block: ParsedBlock, start: number, end: number): void {
    const from = start === 0 ? 0 : start - 1;
    let length = this.read(block, from, end - from, 0);
    // Complete the last line: read on until a newline or the end of the file.
    let position = from + length;
    while (position < this.job.size && block.buf[length - 1] !== NEWLINE) {
      const more = Math.min(STEP, this.job.size - position);
      const n = this.read(block, position, more, length);
      const newline = block.buf.indexOf(NEWLINE, length);
      length += n;
      position += n;
      if (newline !== -1 && newline < length) {
        length = newline + 1;
        break;
      }
    }
    const buf = block.buf;
    let line = 0;
    if (start > 0) {
      const newline = buf.indexOf(NEWLINE, 0);
      if (newline === -1 || newline >= length) return;
      line = newline + 1;
    }
    const stop = end - from;
    const scanner = this.scanner;
    const numbers = scanner.numbers;
    let count = 0;
    while (line < stop) {
      const status = scanner.scanLine(buf, line, length);
      const lineEnd = scanner.lineEnd;
      if (status === SCANNED && scanner.seen === ALL_FIELDS && scanner.wrongType === '') {
        const lon = numbers[0] as number;
        const lat = numbers[1] as number;
        const b = numbers[2] as number;
        if (
          lat >= -90 &&
          lat <= 90 &&
          lon >= -180 &&
          lon <= 180 &&
          b >= 0 &&
          b < Infinity &&
          scanner.idEnd > scanner.idStart
        ) {
          if (count === block.lon.length) {
            block.count = count;
            block.reserve();
          }
          block.lon[count] = lon;
          block.lat[count] = lat;
          block.buffer[count] = b;
          block.idStart[count] = scanner.idStart;
          block.idEnd[count] = scanner.idEnd;
          block.hash[count] = scanner.idHash;
          block.offset[count] = from + line;
          count += 1;
          line = lineEnd + 1;
          continue;
        }
      }
      if (status !== BLANK && !this.slowLine(block, line, lineEnd, from + line)) break;
      line = lineEnd + 1;
    }
    block.count = count;
  }

  /** A line the fast path did not take: JSON.parse and the shared rules decide. */
  private slowLine(block: ParsedBlock, start: number, end: number, offset: number): boolean {
    const text = this.decoder.decode(block.buf.subarray(start, end));
    const error = (field: string | undefined, message: string): boolean => {
      this.error = { offset, field, message };
      return false;
    };
    if (text.trim() === '') return true;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      return error(undefined, `not valid JSON (${(e as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return error(undefined, 'each line must be one JSON object');
    }
    const r = record as Record<string, unknown>;
    const problem = objectRecordProblem(r);
    if (problem) return error(problem.field, problem.message);
    block.slow.push({
      lon: r.lon as number,
      lat: r.lat as number,
      buffer: r.buffer_m as number,
      id: r.id as string,
      offset,
    });
    return true;
  }

  private read(block: ParsedBlock, position: number, length: number, at: number): number {
    if (at + length > block.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(block.buf.length * 2, at + length));
      block.buf.copy(next, 0, 0, at);
      block.buf = next;
    }
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, block.buf, at + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}

/**
 * Rebuilds the index a worker was sent.
 *
 * @example
 * const index = indexFromParts(request.parts);
 */
export function indexFromParts(parts: ActionIndexParts): ActionIndex {
  return ActionIndex.fromParts(parts);
}
