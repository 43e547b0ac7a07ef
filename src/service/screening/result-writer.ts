/**
 * Turning the hit pairs of every reader thread into result lines, one per action in input order:
 * `{"action":"A1","hits":["O17","O9"]}` with hits in plain code-unit order, optionally followed
 * by `"population":{"best":N}`.
 *
 * Ids are sorted once, not per action. Each thread orders its own ids ({@link orderIds}: an LSD
 * radix sort over the bytes when all ids are short printable ASCII, where byte order is
 * code-unit order; a string sort otherwise), the threads in parallel; the orders are merged into
 * one ranking, the ids laid out in rank order already quoted, and the hits grouped by action as
 * ranks ({@link prepareResult}). Formatting ({@link formatResult}) is then an integer sort per
 * action and one copy per hit. Large results are formatted by both threads, segment by
 * segment (screen-files.ts); below a couple of million hits that was measured to gain nothing,
 * so one thread formats.
 */
import { writeSync } from 'node:fs';
import { compareCodeUnits } from '../../analysis/screening/input.js';

/** Hit pairs and the ids they reference, from one reader thread (or the deferred pass). */
export interface HitSource {
  readonly hitAction: Int32Array;
  readonly hitRef: Int32Array;
  readonly idBytes: Uint8Array;
  readonly idStart: Int32Array;
  readonly refStrings: readonly (readonly [number, string])[];
}

/** The longest id (bytes) still ordered by radix sort; longer ids are ordered by a string sort. */
const RADIX_MAX_LENGTH = 24;

/** Everything {@link formatResult} needs; the typed arrays live in SharedArrayBuffers. */
export interface PreparedResult {
  /** Hits of action a are ranks[actionStart[a]..actionStart[a + 1]). */
  readonly actionStart: Int32Array;
  readonly ranks: Int32Array;
  /**
   * The id of rank k, quoted, is quoted[quotedStart[k]..quotedStart[k + 1]); both empty when
   * the ids are in slots (slotWidth > 0).
   */
  readonly quotedStart: Int32Array;
  readonly quoted: Uint8Array;
  /** Ranks whose id needed JSON escaping or is not ASCII, with their JSON text. */
  readonly special: readonly (readonly [number, string])[];
  /**
   * The same quoted ids in fixed-width slots when all are plain and short: slot k is
   * slots[k·slotWidth …], its first byte the quoted id's length. slotWidth 0: not used.
   */
  readonly slots: Uint8Array;
  readonly slotWidth: number;
}

function newInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

function newBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, length)), 0, length);
}

function refCount(source: HitSource): number {
  return source.idStart.length - 1;
}

function idText(source: HitSource, strings: Map<number, string>, r: number): string {
  const s = strings.get(r);
  if (s !== undefined) return s;
  let text = '';
  for (let i = source.idStart[r] as number; i < (source.idStart[r + 1] as number); i += 1) {
    text += String.fromCharCode(source.idBytes[i] as number);
  }
  return text;
}

/**
 * The refs of one source in id order (code-unit order). Ids are distinct (repeats were rejected).
 *
 * @example
 * const order = orderIds(collectorResult); // order[k] = the ref with the k-th smallest id
 */
export function orderIds(source: HitSource): Int32Array {
  const n = refCount(source);
  let maxLength = 0;
  for (let r = 0; r < n; r += 1) {
    const length = (source.idStart[r + 1] as number) - (source.idStart[r] as number);
    if (length > maxLength) maxLength = length;
  }
  if (source.refStrings.length === 0 && maxLength <= RADIX_MAX_LENGTH) {
    return radixOrder(source.idBytes, source.idStart, n, maxLength);
  }
  const strings = new Map(source.refStrings);
  const ids = Array.from({ length: n }, (_, r) => idText(source, strings, r));
  return Int32Array.from(
    Array.from({ length: n }, (_, r) => r).sort((a, b) =>
      compareCodeUnits(ids[a] as string, ids[b] as string),
    ),
  );
}

/**
 * LSD radix sort of byte strings in 16-bit digits, last digit first; a missing byte counts as 0,
 * below every printable byte, so a prefix sorts before its extensions. Digits that are the same
 * for every id (a common prefix such as "O") cost one counting pass and no moves.
 */
function radixOrder(
  bytes: Uint8Array,
  start: Int32Array,
  n: number,
  maxLength: number,
): Int32Array {
  let order = new Int32Array(n);
  for (let r = 0; r < n; r += 1) order[r] = r;
  let next = new Int32Array(n);
  const digit = new Uint16Array(n);
  const count = new Int32Array(65537);
  for (let d = Math.ceil(maxLength / 2) - 1; d >= 0; d -= 1) {
    const offset = 2 * d;
    count.fill(0);
    for (let r = 0; r < n; r += 1) {
      const s = (start[r] as number) + offset;
      const end = start[r + 1] as number;
      const hi = s < end ? (bytes[s] as number) : 0;
      const lo = s + 1 < end ? (bytes[s + 1] as number) : 0;
      const value = (hi << 8) | lo;
      digit[r] = value;
      count[value + 1] = (count[value + 1] as number) + 1;
    }
    let constant = false;
    for (let v = 0; v <= 65536; v += 1) {
      if (count[v] === n) {
        constant = true;
        break;
      }
    }
    if (constant) continue;
    for (let v = 0; v < 65536; v += 1)
      count[v + 1] = (count[v + 1] as number) + (count[v] as number);
    for (let k = 0; k < n; k += 1) {
      const r = order[k] as number;
      const value = digit[r] as number;
      const at = count[value] as number;
      next[at] = r;
      count[value] = at + 1;
    }
    const swap = order;
    order = next;
    next = swap;
  }
  return order;
}

/**
 * Merges sorted sources of plain ids (printable ASCII: byte order is code-unit order), writing
 * each id quoted in rank order; returns the bytes written.
 */
function mergePlain(
  sources: readonly HitSource[],
  orders: readonly Int32Array[],
  ranks: Int32Array[],
  quotedStart: Int32Array,
  quoted: Uint8Array,
  slots: Uint8Array,
  slotWidth: number,
): number {
  const k = sources.length;
  const position = new Int32Array(k);
  let q = 0;
  let rank = 0;
  for (;;) {
    let pick = -1;
    let pickRef = 0;
    let pickStart = 0;
    let pickEnd = 0;
    let pickBytes: Uint8Array | undefined;
    for (let s = 0; s < k; s += 1) {
      const order = orders[s] as Int32Array;
      const at = position[s] as number;
      if (at >= order.length) continue;
      const source = sources[s] as HitSource;
      const r = order[at] as number;
      const start = source.idStart[r] as number;
      const end = source.idStart[r + 1] as number;
      if (pickBytes !== undefined) {
        // Is this id below the pick? Byte by byte, a prefix first.
        const bytes = source.idBytes;
        let i = start;
        let j = pickStart;
        let d = 0;
        while (i < end && j < pickEnd) {
          d = (bytes[i] as number) - (pickBytes[j] as number);
          if (d !== 0) break;
          i += 1;
          j += 1;
        }
        if (d === 0) d = end - i - (pickEnd - j);
        if (d >= 0) continue;
      }
      pick = s;
      pickRef = r;
      pickStart = start;
      pickEnd = end;
      pickBytes = source.idBytes;
    }
    if (pickBytes === undefined) break;
    position[pick] = (position[pick] as number) + 1;
    (ranks[pick] as Int32Array)[pickRef] = rank;
    if (slotWidth > 0) {
      // Straight into the id's fixed-width slot: its length byte, then the quoted id.
      let at = rank * slotWidth;
      slots[at++] = pickEnd - pickStart + 2;
      slots[at++] = 0x22;
      for (let i = pickStart; i < pickEnd; i += 1) slots[at++] = pickBytes[i] as number;
      slots[at] = 0x22;
      rank += 1;
      continue;
    }
    quotedStart[rank] = q;
    rank += 1;
    quoted[q++] = 0x22;
    for (let i = pickStart; i < pickEnd; i += 1) quoted[q++] = pickBytes[i] as number;
    quoted[q++] = 0x22;
  }
  return q;
}

/** {@link mergePlain} for sources with ids that need JSON escaping or are not ASCII. */
function mergeStrings(
  sources: readonly HitSource[],
  orders: readonly Int32Array[],
  strings: readonly Map<number, string>[],
  ranks: Int32Array[],
  quotedStart: Int32Array,
  quoted: Uint8Array,
  special: [number, string][],
): number {
  const position = sources.map(() => 0);
  const text = (s: number, r: number): string =>
    idText(sources[s] as HitSource, strings[s] as Map<number, string>, r);
  let total = 0;
  for (const o of orders) total += o.length;
  let q = 0;
  for (let rank = 0; rank < total; rank += 1) {
    let pick = -1;
    let pickRef = 0;
    let pickText = '';
    for (let s = 0; s < sources.length; s += 1) {
      const order = orders[s] as Int32Array;
      const at = position[s] as number;
      if (at >= order.length) continue;
      const r = order[at] as number;
      const t = text(s, r);
      if (pick < 0 || compareCodeUnits(t, pickText) < 0) {
        pick = s;
        pickRef = r;
        pickText = t;
      }
    }
    position[pick] = (position[pick] as number) + 1;
    (ranks[pick] as Int32Array)[pickRef] = rank;
    quotedStart[rank] = q;
    const source = sources[pick] as HitSource;
    if ((strings[pick] as Map<number, string>).has(pickRef)) {
      special.push([rank, JSON.stringify(pickText)]);
      continue;
    }
    quoted[q++] = 0x22;
    const end = source.idStart[pickRef + 1] as number;
    for (let i = source.idStart[pickRef] as number; i < end; i += 1)
      quoted[q++] = source.idBytes[i] as number;
    quoted[q++] = 0x22;
  }
  return q;
}

/**
 * Merges the sources' id orders into one ranking, lays the ids out quoted in rank order, and
 * groups the hits by action as ranks. `orders[i]` is
 * `orderIds(sources[i])`, computed by whichever thread holds the source.
 *
 * @example
 * const prepared = prepareResult(actionIds.length, [main, worker], [mainOrder, workerOrder]);
 */
export function prepareResult(
  actionCount: number,
  sources: readonly HitSource[],
  orders: readonly Int32Array[],
): PreparedResult {
  const strings = sources.map((s) => new Map(s.refStrings));
  const plain = strings.every((m) => m.size === 0);
  const ranks = sources.map((s) => new Int32Array(refCount(s)));
  let total = 0;
  let bytes = 0;
  let longest = 0;
  for (const s of sources) {
    total += refCount(s);
    bytes += s.idBytes.length;
    for (let r = 0; r < refCount(s); r += 1) {
      longest = Math.max(longest, (s.idStart[r + 1] as number) - (s.idStart[r] as number));
    }
  }
  // Fixed-width slots (8, 16 or 32 bytes) when every quoted id fits with its length byte; the
  // quoted ids are then written only there.
  let slotWidth = 0;
  if (plain && longest + 3 <= MAX_SLOT) {
    slotWidth = 8;
    while (slotWidth < longest + 3) slotWidth *= 2;
  }
  const slots = newBytes(total * slotWidth);
  const quotedStart = newInt32(slotWidth > 0 ? 0 : total + 1);
  const quoted = newBytes(slotWidth > 0 ? 0 : bytes + 2 * total);
  const special: [number, string][] = [];

  // k-way merge of the sorted sources (k is 1 or 2, 3 with the deferred pass).
  const q = plain
    ? mergePlain(sources, orders, ranks, quotedStart, quoted, slots, slotWidth)
    : mergeStrings(sources, orders, strings, ranks, quotedStart, quoted, special);
  if (slotWidth === 0) quotedStart[total] = q;

  // Hits grouped by action (counting sort), each as the rank of its object.
  let hitCount = 0;
  for (const s of sources) hitCount += s.hitAction.length;
  const actionStart = newInt32(actionCount + 1);
  for (const s of sources) {
    const actions = s.hitAction;
    for (let i = 0; i < actions.length; i += 1) {
      const a = (actions[i] as number) + 1;
      actionStart[a] = (actionStart[a] as number) + 1;
    }
  }
  for (let a = 0; a < actionCount; a += 1) {
    actionStart[a + 1] = (actionStart[a + 1] as number) + (actionStart[a] as number);
  }
  const fill = actionStart.slice(0, actionCount);
  const grouped = newInt32(hitCount);
  sources.forEach((s, k) => {
    const rank = ranks[k] as Int32Array;
    const actions = s.hitAction;
    const refs = s.hitRef;
    for (let i = 0; i < actions.length; i += 1) {
      const a = actions[i] as number;
      const at = fill[a] as number;
      grouped[at] = rank[refs[i] as number] as number;
      fill[a] = at + 1;
    }
  });
  return { actionStart, ranks: grouped, quotedStart, quoted, special, slots, slotWidth };
}

const CHUNK = 1 << 20;
/** The widest id slot: ids of up to 29 bytes (quoted: 31, plus a length byte). */
const MAX_SLOT = 32;

/**
 * Formats the result lines of actions [from, to) and hands them over in chunks of about a MiB
 * (each chunk a fresh Buffer the sink may keep).
 *
 * With millions of hits the id store is far larger than the processor's cache, and each hit is a
 * wait on memory. So ids of up to 30 bytes sit in fixed-width slots (one cache line per id, no
 * index to look up first), and each action is written in two passes: the lengths of all its ids
 * first — independent loads, which the processor overlaps — then the bytes.
 *
 * @example
 * formatResult(prepared, ids, undefined, 0, ids.length, (chunk) => writeChunk(fd, chunk));
 */
export function formatResult(
  prepared: PreparedResult,
  actionIds: readonly string[],
  population: Float64Array | undefined,
  from: number,
  to: number,
  sink: (chunk: Buffer) => void,
): void {
  const { actionStart, ranks, quotedStart, quoted, slots, slotWidth } = prepared;
  const special = new Map(prepared.special.map(([k, text]) => [k, Buffer.from(text)] as const));
  const hasSpecial = special.size > 0;
  let buf = Buffer.allocUnsafe(CHUNK);
  let at = 0;
  const flush = (): void => {
    if (at > 0) sink(buf.subarray(0, at));
    buf = Buffer.allocUnsafe(CHUNK);
    at = 0;
  };
  /** Room for `size` more bytes (a larger buffer for a line longer than a chunk). */
  const room = (size: number): void => {
    if (at + size <= buf.length) return;
    flush();
    if (size > buf.length) buf = Buffer.allocUnsafe(size);
  };
  const text = (t: string): void => {
    room(t.length * 3);
    at += buf.write(t, at, 'utf8');
  };
  let scratch = new Int32Array(1024);
  let lengths = new Int32Array(1024);
  for (let a = from; a < to; a += 1) {
    text(`{"action":${JSON.stringify(actionIds[a])},"hits":[`);
    const first = actionStart[a] as number;
    const count = (actionStart[a + 1] as number) - first;
    if (count > scratch.length) {
      scratch = new Int32Array(count * 2);
      lengths = new Int32Array(count * 2);
    }
    for (let i = 0; i < count; i += 1) scratch[i] = ranks[first + i] as number;
    if (count > 1) scratch.subarray(0, count).sort();
    if (slotWidth > 0) {
      let total = 0;
      for (let i = 0; i < count; i += 1) {
        const length = slots[(scratch[i] as number) * slotWidth] as number;
        lengths[i] = length;
        total += length + 1;
      }
      room(total);
      for (let i = 0; i < count; i += 1) {
        if (i > 0) buf[at++] = 0x2c; // ,
        const s = (scratch[i] as number) * slotWidth + 1;
        const e = s + (lengths[i] as number);
        for (let j = s; j < e; j += 1) buf[at++] = slots[j] as number;
      }
    } else {
      for (let i = 0; i < count; i += 1) {
        const k = scratch[i] as number;
        const bytes = hasSpecial ? special.get(k) : undefined;
        const source = bytes ?? quoted;
        const s = bytes ? 0 : (quotedStart[k] as number);
        const e = bytes ? bytes.length : (quotedStart[k + 1] as number);
        room(e - s + 1);
        if (i > 0) buf[at++] = 0x2c; // ,
        for (let j = s; j < e; j += 1) buf[at++] = source[j] as number;
      }
    }
    if (population) {
      text(`],"population":{"best":${Math.round(population[a] as number)}}}\n`);
    } else {
      room(3);
      buf[at++] = 0x5d; // ]
      buf[at++] = 0x7d; // }
      buf[at++] = 0x0a;
    }
  }
  flush();
}

/**
 * Writes a chunk to a file descriptor in full.
 *
 * @example
 * writeChunk(fd, Buffer.from('{"action":"A1","hits":[]}\n'));
 */
export function writeChunk(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
}

/**
 * Splits the actions into `count` runs of about equal numbers of hits: boundaries
 * [0, b1, …, actionCount].
 *
 * @example
 * const bounds = segmentsByHits(prepared, 32); // segment j is actions bounds[j]..bounds[j + 1]
 */
export function segmentsByHits(prepared: PreparedResult, count: number): Int32Array {
  const starts = prepared.actionStart;
  const actions = starts.length - 1;
  const total = starts[actions] as number;
  const bounds = new Int32Array(count + 1);
  let a = 0;
  for (let j = 1; j < count; j += 1) {
    const target = (total * j) / count;
    while (a < actions && (starts[a] as number) < target) a += 1;
    bounds[j] = a;
  }
  bounds[count] = actions;
  return bounds;
}

/**
 * Writes one result line per action to `fd`, in action order. `orders` are the sources' id
 * orders, when the threads holding them have computed them already.
 *
 * @example
 * writeResultLines(fd, ['A1', 'A2'], [hits], undefined);
 */
export function writeResultLines(
  fd: number,
  actionIds: readonly string[],
  sources: readonly HitSource[],
  population: Float64Array | undefined,
  orders: readonly Int32Array[] = sources.map(orderIds),
): { hits: number } {
  const prepared = prepareResult(actionIds.length, sources, orders);
  formatResult(prepared, actionIds, population, 0, actionIds.length, (chunk) =>
    writeChunk(fd, chunk),
  );
  return { hits: prepared.ranks.length };
}
