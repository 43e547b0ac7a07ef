/**
 * A spatial index of planned actions' effect circles, probed one protected object at a time.
 *
 * Screening asks, for every action, which objects lie within radius_m + buffer_m of it. A plan has
 * thousands of actions and a register millions of objects, so Civitas indexes the few circles
 * and streams the many objects past them: memory is O(actions + hits), the objects file is read
 * once, and two halves of it can be probed on two cores at the same time.
 *
 * The index is a grid of latitude rows (each `cellDegrees` tall) cut into roughly square cells
 * (fewer cells per row towards the poles, so a cap near a pole touches few cells). Each action's
 * circle, widened by the largest buffer the index accepts, is registered in every cell its
 * conservative lon/lat bounds touch; longitudes wrap, so circles across the antimeridian land in
 * the cells on both sides, and circles that reach a pole take whole rows. A probe looks up the
 * object's cell in an open-addressing hash table, drops actions whose lon/lat box misses the
 * object, and decides the rest with the same haversine expression as `lonLatDistanceMetres`,
 * so the answer is exactly the brute-force answer.
 */
import {
  capLonHalfWidthInBand,
  EARTH_RADIUS_M,
  haversineMetres,
  sphericalCapBounds,
} from '../../geo/index.js';

const TO_RAD = Math.PI / 180;
const TWO_R = 2 * EARTH_RADIUS_M;
/** An action whose circle would touch more cells than this is checked against every object. */
const MAX_CELLS_PER_ACTION = 4096;
const MIN_CELL_DEGREES = 0.005;
/** Pairs are sorted as key · 2^22 + action: exact below 2^53 for keys < 2^31. */
const PAIR_SCALE = 2 ** 22;
const MAX_CELL_DEGREES = 5;

/** The actions to index, column by column (index i is the i-th action). */
export interface ActionColumns {
  readonly lon: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  readonly radius: ArrayLike<number>;
}

/** Tuning for {@link ActionIndex.build}. */
export interface ActionIndexOptions {
  /**
   * The largest object buffer (m) a probe may use; circles are widened by it. Objects with a
   * larger buffer must go to an index built with a larger value. Default 500.
   */
  readonly maxBufferM?: number;
  /** Grid row height in degrees; default: half the median widened radius, within 0.005°–5°. */
  readonly cellDegrees?: number;
}

/**
 * Where a probe writes its hits: action indexes and distances (m), growing as needed.
 *
 * @example
 * const hits = new HitBuffer();
 * index.probe(30.5, 50.4, 100, hits);
 * for (let i = 0; i < hits.count; i++) console.log(hits.actions[i], hits.distances[i]);
 */
export class HitBuffer {
  actions: Int32Array;
  distances: Float64Array;
  count = 0;
  /**
   * @param capacity initial size; it grows as needed
   * @param withDistances false when only which actions matter: distances are then NaN and the
   *   probe saves the exact distance computation for most pairs
   */
  constructor(
    capacity = 1024,
    readonly withDistances = true,
  ) {
    this.actions = new Int32Array(capacity);
    this.distances = new Float64Array(capacity);
  }

  /** Adds one hit. */
  push(action: number, distance: number): void {
    if (this.count === this.actions.length) this.grow();
    this.actions[this.count] = action;
    this.distances[this.count] = distance;
    this.count += 1;
  }

  /** Forgets every hit, keeping the memory. */
  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const actions = new Int32Array(this.actions.length * 2);
    actions.set(this.actions);
    this.actions = actions;
    const distances = new Float64Array(this.distances.length * 2);
    distances.set(this.distances);
    this.distances = distances;
  }
}

/** The typed arrays an {@link ActionIndex} is made of, to copy it to a worker thread. */
export interface ActionIndexParts {
  readonly maxBufferM: number;
  readonly cellDegrees: number;
  /** Per action, 8 numbers: latMin, latMax, lon, lonHalfWidth, lat, cos(lat), radius, 0. */
  readonly actions: Float64Array;
  readonly rowCols: Int32Array;
  readonly rowBase: Int32Array;
  /** Open-addressing table, 4 numbers per slot: cell key + 1 (0 empty), list start, list end, 0. */
  readonly slots: Int32Array;
  /** A 2^20-bit filter of the occupied cells (see occupancyBit): most probes stop here. */
  readonly occupied: Int32Array;
  readonly list: Int32Array;
  readonly wide: Int32Array;
}

/** Offsets in the 8-number action record. */
const LAT_MIN = 0;
const LAT_MAX = 1;
const LON = 2;
const LON_HALF = 3;
const LAT = 4;
const COS_LAT = 5;
const RADIUS = 6;
const STRIDE = 8;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * The bit of a cell key in the occupancy filter: 2^20 bits, 128 KiB, small enough to stay in
 * the processor's cache while the slot table does not; a clear bit means an empty cell.
 */
function occupancyBit(key: number): number {
  return Math.imul(key, 0x85ebca6b) >>> 12;
}

/** Slot number of a cell key in a table of 2^(32 − shift) slots. */
function hashSlot(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift;
}

/**
 * The grid index of action circles; see the module comment. Build it with
 * {@link ActionIndex.build}, then {@link ActionIndex.probe} each object. Each action's numbers sit
 * together in one cache line and each table slot in a quarter of one, because probing millions of
 * objects in file order is mostly waiting for memory.
 *
 * @example
 * const index = ActionIndex.build({ lon: [30.52], lat: [50.45], radius: [250] });
 * const hits = new HitBuffer();
 * index.probe(30.521, 50.451, 100, hits); // hits.count === 1, hits.actions[0] === 0
 */
export class ActionIndex {
  /** Number of actions. */
  readonly count: number;
  /** The largest buffer a probe may use (m). */
  readonly maxBufferM: number;
  readonly cellDegrees: number;
  private readonly actions: Float64Array;
  private readonly rows: number;
  private readonly rowCols: Int32Array;
  private readonly rowBase: Int32Array;
  private readonly slots: Int32Array;
  private readonly occupied: Int32Array;
  private readonly slotMask: number;
  private readonly shift: number;
  private readonly list: Int32Array;
  private readonly wide: Int32Array;
  /**
   * The object {@link ActionIndex.probeQuery} looks for: lon, lat, buffer (m). A reader can
   * write numbers here directly, so that no double crosses a function call in the hot loop
   * (V8 boxes doubles passed to functions it does not inline).
   */
  readonly query = new Float64Array(3);

  private constructor(parts: ActionIndexParts) {
    this.count = parts.actions.length / STRIDE;
    this.maxBufferM = parts.maxBufferM;
    this.cellDegrees = parts.cellDegrees;
    this.actions = parts.actions;
    this.rowCols = parts.rowCols;
    this.rowBase = parts.rowBase;
    this.rows = parts.rowCols.length;
    this.slots = parts.slots;
    this.occupied = parts.occupied;
    this.slotMask = parts.slots.length - 1;
    this.shift = 32 - Math.log2(parts.slots.length / 4);
    this.list = parts.list;
    this.wide = parts.wide;
  }

  /** Rebuilds an index from {@link ActionIndex.parts} (e.g. in a worker thread). */
  static fromParts(parts: ActionIndexParts): ActionIndex {
    return new ActionIndex(parts);
  }

  /**
   * Indexes the actions. Coordinates must be valid (lon −180..180, lat −90..90) and radii ≥ 0;
   * the caller validates input and names the bad line.
   */
  static build(input: ActionColumns, options: ActionIndexOptions = {}): ActionIndex {
    const n = input.lon.length;
    if (n > PAIR_SCALE) throw new RangeError(`at most ${PAIR_SCALE} actions per index, not ${n}`);
    const maxBufferM = options.maxBufferM ?? 500;
    if (!(maxBufferM >= 0) || !Number.isFinite(maxBufferM)) {
      throw new RangeError(`maxBufferM must be a finite number ≥ 0, not ${maxBufferM}`);
    }
    const actions = new Float64Array(n * STRIDE);
    const angular = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      const la = input.lat[i] as number;
      const radius = input.radius[i] as number;
      const bounds = sphericalCapBounds(la, radius + maxBufferM);
      const base = i * STRIDE;
      actions[base + LAT_MIN] = bounds.latMin;
      actions[base + LAT_MAX] = bounds.latMax;
      actions[base + LON] = input.lon[i] as number;
      actions[base + LON_HALF] = bounds.lonHalfWidth;
      actions[base + LAT] = la;
      actions[base + COS_LAT] = Math.cos(la * TO_RAD);
      actions[base + RADIUS] = radius;
      angular[i] = bounds.angularRadius;
    }
    const cellDegrees = options.cellDegrees ?? defaultCellDegrees(angular);

    // Rows of roughly square cells: fewer columns towards the poles.
    const rows = Math.ceil(180 / cellDegrees);
    const rowCols = new Int32Array(rows);
    const rowBase = new Int32Array(rows);
    let total = 0;
    for (let r = 0; r < rows; r += 1) {
      const middle = Math.min(90, -90 + (r + 0.5) * cellDegrees);
      const cols = Math.max(1, Math.floor((360 * Math.cos(middle * TO_RAD)) / cellDegrees));
      rowCols[r] = cols;
      rowBase[r] = total;
      total += cols;
    }
    if (total >= 2 ** 31) throw new RangeError(`cellDegrees ${cellDegrees} makes too many cells`);

    // Register each circle in the cells it may touch.
    let pairKeys = new Int32Array(Math.max(16, n * 16));
    let pairActions = new Int32Array(pairKeys.length);
    let pairs = 0;
    const wide: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const base = i * STRIDE;
      const rowLo = rowOf(actions[base + LAT_MIN] as number, rows, cellDegrees);
      const rowHi = rowOf(actions[base + LAT_MAX] as number, rows, cellDegrees);
      const halfWidth = actions[base + LON_HALF] as number;
      // Estimate first: a huge circle is cheaper to check against every object.
      let estimate = 0;
      for (let r = rowLo; r <= rowHi && estimate <= MAX_CELLS_PER_ACTION; r += 1) {
        const cols = rowCols[r] as number;
        estimate += Math.min(cols, Math.ceil(((2 * halfWidth) / 360) * cols) + 2);
      }
      if (estimate > MAX_CELLS_PER_ACTION) {
        wide.push(i);
        continue;
      }
      const la = actions[base + LAT] as number;
      const lo0 = actions[base + LON] as number;
      // A circle over many rows is narrower in its top and bottom rows: worth computing there.
      const refine = rowHi - rowLo >= 3;
      for (let r = rowLo; r <= rowHi; r += 1) {
        const bandMin = -90 + r * cellDegrees;
        const width = refine
          ? Math.min(
              halfWidth,
              capLonHalfWidthInBand(la, angular[i] as number, bandMin, bandMin + cellDegrees),
            )
          : halfWidth;
        const cols = rowCols[r] as number;
        const rowStart = rowBase[r] as number;
        let cLo = 0;
        let cHi = cols - 1;
        if (width < 180) {
          cLo = Math.floor(((lo0 - width + 180) / 360) * cols);
          cHi = Math.floor(((lo0 + width + 180) / 360) * cols);
          if (cHi - cLo + 1 >= cols) {
            cLo = 0;
            cHi = cols - 1;
          }
        }
        for (let c = cLo; c <= cHi; c += 1) {
          if (pairs === pairKeys.length) {
            const keys = new Int32Array(pairKeys.length * 2);
            keys.set(pairKeys);
            pairKeys = keys;
            const acts = new Int32Array(pairActions.length * 2);
            acts.set(pairActions);
            pairActions = acts;
          }
          pairKeys[pairs] = rowStart + (((c % cols) + cols) % cols);
          pairActions[pairs] = i;
          pairs += 1;
        }
      }
    }

    // Sort the (cell, action) pairs by cell (one native sort of exact integers key·2^22 + action),
    // then lay each cell's run out in the list and the cell in the table.
    const sorted = new Float64Array(pairs);
    for (let p = 0; p < pairs; p += 1) {
      sorted[p] = (pairKeys[p] as number) * PAIR_SCALE + (pairActions[p] as number);
    }
    sorted.sort();
    const list = new Int32Array(pairs);
    let distinct = 0;
    let previous = -1;
    for (let p = 0; p < pairs; p += 1) {
      const key = Math.floor((sorted[p] as number) / PAIR_SCALE);
      list[p] = (sorted[p] as number) - key * PAIR_SCALE;
      if (key !== previous) distinct += 1;
      previous = key;
    }
    const capacity = nextPowerOfTwo(Math.max(16, Math.ceil(distinct * 1.5)));
    const shift = 32 - Math.log2(capacity);
    const slots = new Int32Array(capacity * 4); // key + 1; 0 is an empty slot
    const occupied = new Int32Array(1 << 15);
    for (let p = 0; p < pairs;) {
      const key = Math.floor((sorted[p] as number) / PAIR_SCALE);
      let end = p + 1;
      while (end < pairs && Math.floor((sorted[end] as number) / PAIR_SCALE) === key) end += 1;
      const bit = occupancyBit(key);
      occupied[bit >>> 5] = (occupied[bit >>> 5] as number) | (1 << (bit & 31));
      let slot = hashSlot(key, shift);
      while (slots[slot * 4] !== 0) slot = (slot + 1) & (capacity - 1);
      slots[slot * 4] = key + 1;
      slots[slot * 4 + 1] = p;
      slots[slot * 4 + 2] = end;
      p = end;
    }
    return new ActionIndex({
      maxBufferM,
      cellDegrees,
      actions,
      rowCols,
      rowBase,
      slots,
      occupied,
      list,
      wide: Int32Array.from(wide),
    });
  }

  /** The typed arrays this index is made of (shared, not copied): send them to a worker. */
  parts(): ActionIndexParts {
    return {
      maxBufferM: this.maxBufferM,
      cellDegrees: this.cellDegrees,
      actions: this.actions,
      rowCols: this.rowCols,
      rowBase: this.rowBase,
      slots: this.slots,
      occupied: this.occupied,
      list: this.list,
      wide: this.wide,
    };
  }

  /**
   * Finds every action whose circle, grown by `bufferM`, contains the object at (lon, lat):
   * haversine distance ≤ radius + bufferM, the same double `lonLatDistanceMetres` returns. Adds
   * (action index, distance) to `out`, in no particular order, and returns how many it added.
   * `bufferM` must not exceed {@link ActionIndex.maxBufferM}.
   */
  probe(lon: number, lat: number, bufferM: number, out: HitBuffer): number {
    const query = this.query;
    query[0] = lon;
    query[1] = lat;
    query[2] = bufferM;
    return this.probeQuery(out);
  }

  /** {@link ActionIndex.probe} for the object in {@link ActionIndex.query}. */
  probeQuery(out: HitBuffer): number {
    const query = this.query;
    const lon = query[0] as number;
    const lat = query[1] as number;
    if ((query[2] as number) > this.maxBufferM) {
      throw new RangeError(
        `buffer ${query[2]} m is larger than this index's maxBufferM ${this.maxBufferM}: build one with a larger maxBufferM`,
      );
    }
    const before = out.count;
    const row = rowOf(lat, this.rows, this.cellDegrees);
    const cols = this.rowCols[row] as number;
    let col = Math.floor(((lon + 180) / 360) * cols);
    if (col >= cols) col -= cols;
    const key = (this.rowBase[row] as number) + col;
    const bit = occupancyBit(key);
    if (((this.occupied[bit >>> 5] as number) & (1 << (bit & 31))) === 0) {
      if (this.wide.length > 0) this.check(this.wide, 0, this.wide.length, out);
      return out.count - before;
    }
    const slots = this.slots;
    let at = hashSlot(key, this.shift) * 4;
    for (;;) {
      const k = slots[at] as number;
      if (k === key + 1) {
        this.check(this.list, slots[at + 1] as number, slots[at + 2] as number, out);
        break;
      }
      if (k === 0) break;
      at = (at + 4) & this.slotMask;
    }
    if (this.wide.length > 0) this.check(this.wide, 0, this.wide.length, out);
    return out.count - before;
  }

  /**
   * Box test, then the distance test, for the actions list[from..to). The decision is the one
   * the haversine expression of `lonLatDistanceMetres(action, object) <= radius + buffer` makes:
   * for nearby pairs it is first taken on h = sin²(Δφ/2) + cos φa cos φo sin²(Δλ/2) with short
   * sine series (relative error < 1e-15), against sin²(limit / 2R); only pairs within a relative
   * 1e-9 of the limit — millimetres at most — are decided by the exact expression itself.
   */
  private check(list: Int32Array, from: number, to: number, out: HitBuffer): void {
    const query = this.query;
    const lon = query[0] as number;
    const lat = query[1] as number;
    const bufferM = query[2] as number;
    const actions = this.actions;
    const distances = out.withDistances;
    let cosObject = 2; // not yet computed
    for (let p = from; p < to; p += 1) {
      const a = list[p] as number;
      const base = a * STRIDE;
      if (lat < (actions[base + LAT_MIN] as number) || lat > (actions[base + LAT_MAX] as number)) {
        continue;
      }
      const aLon = actions[base + LON] as number;
      let dl = lon - aLon;
      if (dl < 0) dl = -dl;
      if (dl > 180) dl = 360 - dl;
      if (dl > (actions[base + LON_HALF] as number)) continue;
      if (cosObject === 2) cosObject = Math.cos(lat * TO_RAD);
      const limit = (actions[base + RADIUS] as number) + bufferM;
      const halfLat = ((lat - (actions[base + LAT] as number)) * TO_RAD) / 2;
      const halfLon = ((lon - aLon) * TO_RAD) / 2;
      const cosA = actions[base + COS_LAT] as number;
      let inside: boolean;
      if (
        !distances &&
        halfLat < SMALL_ANGLE &&
        halfLat > -SMALL_ANGLE &&
        halfLon < SMALL_ANGLE &&
        halfLon > -SMALL_ANGLE &&
        limit < SMALL_LIMIT_M
      ) {
        const s1 = sinSmall(halfLat);
        const s2 = sinSmall(halfLon);
        const h = s1 * s1 + cosA * cosObject * (s2 * s2);
        const sx = sinSmall(limit / TWO_R);
        const hLimit = sx * sx;
        if (h < hLimit * (1 - DECISION_BAND) && h > 1e-280) inside = true;
        else if (h > hLimit * (1 + DECISION_BAND)) inside = false;
        else inside = haversineMetres(aLon, actions[base + LAT] as number, lon, lat) <= limit;
        if (inside) out.push(a, NaN);
        continue;
      }
      // The expression of lonLatDistanceMetres(action, object), term for term.
      const h = Math.sin(halfLat) ** 2 + cosA * cosObject * Math.sin(halfLon) ** 2;
      const d = TWO_R * Math.asin(Math.min(1, Math.sqrt(h)));
      if (d <= limit) out.push(a, d);
    }
  }
}

/** Below this half-angle (radians) the sine series is used for the first decision. */
const SMALL_ANGLE = 0.01;
/** …and for limits below this many metres (limit / 2R < 0.01). */
const SMALL_LIMIT_M = 0.02 * EARTH_RADIUS_M;
/** Relative band around the limit decided by the exact expression. */
const DECISION_BAND = 1e-9;

/**
 * sin x for |x| ≤ 0.01 by its Taylor series to x⁷ (the next term is below 1e-22 of x): not the
 * bit pattern of Math.sin, only a value within a few ulps of it.
 */
function sinSmall(x: number): number {
  const x2 = x * x;
  return x * (1 - (x2 / 6) * (1 - (x2 / 20) * (1 - x2 / 42)));
}

function rowOf(lat: number, rows: number, cellDegrees: number): number {
  const r = Math.floor((lat + 90) / cellDegrees);
  return r < 0 ? 0 : r >= rows ? rows - 1 : r;
}

/**
 * Two and a half times the median widened radius, in degrees, within MIN..MAX_CELL_DEGREES:
 * measured on city-like plans, a cell a little larger than a typical circle balances cells per
 * circle against circles per cell.
 */
function defaultCellDegrees(angular: Float64Array): number {
  if (angular.length === 0) return 1;
  const sorted = Float64Array.from(angular).sort();
  const median = sorted[sorted.length >> 1] as number;
  return Math.min(MAX_CELL_DEGREES, Math.max(MIN_CELL_DEGREES, median * 2.5));
}
