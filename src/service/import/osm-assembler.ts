import {
  buildImportResults,
  ImportResult,
  type ImportOptions,
  type RawObject,
  type RawObjectContext,
} from './import-result.js';
import { isOsmArea, osmObjectFields, type OsmTags } from './osm-tag-mapping.js';

/** A relation member as OSM files give it. */
export interface OsmMember {
  readonly type: 'node' | 'way' | 'relation';
  readonly ref: number;
  readonly role: string;
}

/** Where an element is in its file: its 0-based position among all elements, and its line. */
export interface OsmPosition {
  readonly index: number;
  readonly line?: number;
}

/**
 * Node locations, 1e-7 degrees as integers (OSM's own precision, so PBF and XML give the very
 * same coordinates). Files sorted by id — as osmium, osmosis and Geofabrik write them — are
 * kept in typed arrays (16 bytes a node) and searched by bisection; an unsorted file falls
 * back to a Map.
 */
class NodeLocations {
  #ids = new Float64Array(4096);
  #lon = new Int32Array(4096);
  #lat = new Int32Array(4096);
  #size = 0;
  #map: Map<number, number> | undefined;

  set(id: number, lonE7: number, latE7: number): void {
    if (this.#size === this.#ids.length) this.#grow();
    const slot = this.#size;
    if (this.#map === undefined && slot > 0 && id <= (this.#ids[slot - 1] as number)) {
      this.#map = new Map();
      for (let i = 0; i < slot; i += 1) this.#map.set(this.#ids[i] as number, i);
    }
    this.#ids[slot] = id;
    this.#lon[slot] = lonE7;
    this.#lat[slot] = latE7;
    this.#map?.set(id, slot);
    this.#size += 1;
  }

  /** `[lon, lat]` in degrees, or undefined for a node not in the file. */
  get(id: number): [number, number] | undefined {
    const slot = this.#map === undefined ? this.#search(id) : this.#map.get(id);
    if (slot === undefined) return undefined;
    return [(this.#lon[slot] as number) / 1e7, (this.#lat[slot] as number) / 1e7];
  }

  #search(id: number): number | undefined {
    let low = 0;
    let high = this.#size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.#ids[mid] as number;
      if (value === id) return mid;
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  #grow(): void {
    const size = this.#ids.length * 2;
    const ids = new Float64Array(size);
    const lon = new Int32Array(size);
    const lat = new Int32Array(size);
    ids.set(this.#ids);
    lon.set(this.#lon);
    lat.set(this.#lat);
    this.#ids = ids;
    this.#lon = lon;
    this.#lat = lat;
  }
}

type Ring = number[][];

/** Twice the signed area of a ring (positive when counter-clockwise), in square degrees. */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [x1 = 0, y1 = 0] = ring[j] as number[];
    const [x2 = 0, y2 = 0] = ring[i] as number[];
    sum += (x1 - x2) * (y1 + y2);
  }
  return sum;
}

/** The ring wound counter-clockwise (exterior) or clockwise (hole), as RFC 7946 §3.1.6 asks. */
function wound(ring: Ring, counterClockwise: boolean): Ring {
  return signedArea(ring) > 0 === counterClockwise ? ring : [...ring].reverse();
}

function isInsideRing(point: number[], ring: Ring): boolean {
  const [x = 0, y = 0] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi = 0, yi = 0] = ring[i] as number[];
    const [xj = 0, yj = 0] = ring[j] as number[];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Joins way segments (node-id lists) into closed rings, reversing segments where needed.
 * Returns the rings, or the node where a chain stops without closing.
 */
function joinRings(segments: readonly (readonly number[])[]): number[][] | { openAt: number } {
  const open = segments.filter((segment) => segment.length >= 2).map((s) => [...s]);
  const rings: number[][] = [];
  while (open.length > 0) {
    const ring = open.shift() as number[];
    while (ring[0] !== ring[ring.length - 1]) {
      const end = ring[ring.length - 1] as number;
      const next = open.findIndex((s) => s[0] === end || s[s.length - 1] === end);
      if (next === -1) return { openAt: end };
      const [segment] = open.splice(next, 1) as [number[]];
      ring.push(...(segment[0] === end ? segment.slice(1) : segment.slice(0, -1).reverse()));
    }
    rings.push(ring);
  }
  return rings;
}

const OSM_FIELD_NAMES: RawObjectContext['fieldName'] = (field, path) => {
  const base = field === 'geometry' ? 'geometry' : field === 'sourceId' ? 'id' : `tag ${field}`;
  return path.length === 0 ? base : `${base}${path.map((p) => `[${String(p)}]`).join('')}`;
};

/**
 * Turns OSM elements, fed in file order, into import results: nodes with a mapped tag become
 * Points; ways become LineStrings, or Polygons when closed and area-like ({@link isOsmArea});
 * `multipolygon` and `boundary` relations become Polygons or MultiPolygons, their rings joined
 * from way segments. Elements that match no row of the tag mapping give no result.
 *
 * It keeps every node location and every way's node list, because a way needs its nodes and
 * a relation its ways, and OSM files give them earlier and unmarked. Memory grows with the
 * file (about 16 bytes a node and 8 a way node): right for country extracts; cut continents
 * down with `osmium tags-filter` first. Files must be sorted (nodes, then ways, then
 * relations), as every common tool writes them.
 *
 * @example
 * const assembler = new OsmAssembler({});
 * assembler.node(1, 95209000, 471410000, { amenity: 'hospital', name: 'Spital' }, { index: 0 });
 */
export class OsmAssembler {
  readonly #options: ImportOptions;
  readonly #nodes = new NodeLocations();
  readonly #ways = new Map<number, Float64Array>();

  constructor(options: ImportOptions) {
    this.#options = options;
  }

  /** A node: remembered for ways; a Point result when its tags are mapped. */
  node(
    id: number,
    lonE7: number,
    latE7: number,
    tags: OsmTags | undefined,
    at: OsmPosition,
  ): ImportResult[] {
    this.#nodes.set(id, lonE7, latE7);
    if (tags === undefined) return [];
    return this.#build(`osm:node/${id}`, tags, at, () => ({
      type: 'Point',
      coordinates: [lonE7 / 1e7, latE7 / 1e7],
    }));
  }

  /** A way: remembered for relations; a LineString or Polygon result when its tags are mapped. */
  way(
    id: number,
    refs: readonly number[],
    tags: OsmTags | undefined,
    at: OsmPosition,
  ): ImportResult[] {
    this.#ways.set(id, Float64Array.from(refs));
    if (tags === undefined) return [];
    return this.#build(`osm:way/${id}`, tags, at, () => {
      const coordinates = this.#locate(refs, `way ${id}`);
      if (typeof coordinates === 'string') return coordinates;
      const closed = refs.length >= 4 && refs[0] === refs[refs.length - 1];
      if (closed && isOsmArea(tags)) {
        return { type: 'Polygon', coordinates: [wound(coordinates, true)] };
      }
      return { type: 'LineString', coordinates };
    });
  }

  /** A relation: a (Multi)Polygon result for a mapped multipolygon or boundary relation. */
  relation(
    id: number,
    members: readonly OsmMember[],
    tags: OsmTags | undefined,
    at: OsmPosition,
  ): ImportResult[] {
    if (tags === undefined || (tags.type !== 'multipolygon' && tags.type !== 'boundary')) {
      // Other relations (routes, sites, restrictions) have no area of their own; their
      // members carry their own tags and are read as objects of their own.
      return [];
    }
    return this.#build(`osm:relation/${id}`, tags, at, () => this.#multipolygon(id, members));
  }

  #build(
    sourceId: string,
    tags: OsmTags,
    at: OsmPosition,
    geometry: () => unknown,
  ): ImportResult[] {
    const fields = osmObjectFields(tags, sourceId);
    if (fields === undefined) return [];
    const built = geometry();
    if (typeof built === 'string') {
      return [ImportResult.error(at.index, 'geometry', built, at.line)];
    }
    const raw: RawObject = { sourceId, ...fields, geometry: built };
    return buildImportResults(
      raw,
      {
        index: at.index,
        fieldName: OSM_FIELD_NAMES,
        defaultSource: 'osm',
        ...(at.line === undefined ? {} : { line: at.line }),
      },
      this.#options,
    );
  }

  /** The positions of some nodes, or a message naming the first node missing from the file. */
  #locate(refs: ArrayLike<number>, owner: string): Ring | string {
    const positions: Ring = [];
    for (let i = 0; i < refs.length; i += 1) {
      const ref = refs[i] as number;
      const position = this.#nodes.get(ref);
      if (position === undefined) {
        return `${owner} uses node ${ref}, which is not in the file: the extract cuts it off (make extracts with osmium's complete_ways or smart strategy)`;
      }
      positions.push(position);
    }
    return positions;
  }

  #multipolygon(id: number, members: readonly OsmMember[]): unknown {
    const outer: number[][] = [];
    const inner: number[][] = [];
    for (const member of members) {
      if (member.type !== 'way') continue;
      const refs = this.#ways.get(member.ref);
      if (refs === undefined) {
        return `relation ${id} uses way ${member.ref}, which is not in the file: the extract cuts it off (make extracts with osmium's smart strategy)`;
      }
      (member.role === 'inner' ? inner : outer).push(Array.from(refs));
    }
    if (outer.length === 0) return `relation ${id} has no outer way`;
    const outerRings = joinRings(outer);
    if (!Array.isArray(outerRings)) {
      return `relation ${id}: an outer ring is not closed — its ways stop at node ${outerRings.openAt}`;
    }
    const innerRings = joinRings(inner);
    if (!Array.isArray(innerRings)) {
      return `relation ${id}: an inner ring is not closed — its ways stop at node ${innerRings.openAt}`;
    }
    const polygons: Ring[][] = [];
    for (const ring of outerRings) {
      const located = this.#locate(ring, `relation ${id}`);
      if (typeof located === 'string') return located;
      polygons.push([wound(located, true)]);
    }
    for (const ring of innerRings) {
      const located = this.#locate(ring, `relation ${id}`);
      if (typeof located === 'string') return located;
      const probe = located[0] as number[];
      const containing = polygons
        .filter((polygon) => isInsideRing(probe, polygon[0] as Ring))
        .sort((a, b) => Math.abs(signedArea(a[0] as Ring)) - Math.abs(signedArea(b[0] as Ring)));
      const home = containing[0];
      if (home === undefined) {
        return `relation ${id}: an inner ring (from node ${ring[0]}) lies outside every outer ring`;
      }
      home.push(wound(located, false));
    }
    return polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0] }
      : { type: 'MultiPolygon', coordinates: polygons };
  }
}
