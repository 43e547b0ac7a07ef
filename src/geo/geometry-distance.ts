/**
 * Great-circle distance from a point to a line or area geometry on the mean-radius sphere: zero
 * inside a polygon, otherwise the distance to the nearest point of its edges (each edge the
 * great-circle arc between its vertices).
 */
import type {
  LineString,
  MultiLineString,
  MultiPoint,
  MultiPolygon,
  Point,
  Polygon,
} from 'geojson';
import { EARTH_RADIUS_M, haversineMetres, type Metres } from './lon-lat.js';

/** The geometries a distance can be taken to. */
export type DistanceGeometry =
  Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon;

type Vec = [number, number, number];
const toRad = Math.PI / 180;

function unit(lon: number, lat: number): Vec {
  const cl = Math.cos(lat * toRad);
  return [cl * Math.cos(lon * toRad), cl * Math.sin(lon * toRad), Math.sin(lat * toRad)];
}
function cross(a: Vec, b: Vec): Vec {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: Vec, b: Vec): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/**
 * Distance (m) from a point to the great-circle arc between two positions: the perpendicular
 * (cross-track) distance when the foot of the perpendicular falls on the arc, else the nearer end.
 */
function arcDistance(lon: number, lat: number, a: readonly number[], b: readonly number[]): number {
  const toA = haversineMetres(lon, lat, a[0]!, a[1]!);
  const toB = haversineMetres(lon, lat, b[0]!, b[1]!);
  const ends = Math.min(toA, toB);
  const va = unit(a[0]!, a[1]!);
  const vb = unit(b[0]!, b[1]!);
  const n = cross(va, vb);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (len < 1e-15) return ends;
  const nn: Vec = [n[0] / len, n[1] / len, n[2] / len];
  const p = unit(lon, lat);
  // The foot lies on the arc when it is on A's side of B and on B's side of A.
  if (dot(cross(va, p), nn) < 0 || dot(cross(p, vb), nn) < 0) return ends;
  const crossTrack = EARTH_RADIUS_M * Math.asin(Math.min(1, Math.abs(dot(p, nn))));
  return Math.min(crossTrack, ends);
}

/** Ray casting in lon/lat (even–odd), for rings that do not cross the antimeridian or a pole. */
function insideRing(lon: number, lat: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi = 0, yi = 0] = ring[i]!;
    const [xj = 0, yj = 0] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function lineDistance(lon: number, lat: number, line: readonly (readonly number[])[]): number {
  let best = Infinity;
  if (line.length === 1) return haversineMetres(lon, lat, line[0]![0]!, line[0]![1]!);
  for (let i = 1; i < line.length; i += 1) {
    best = Math.min(best, arcDistance(lon, lat, line[i - 1]!, line[i]!));
  }
  return best;
}

function polygonDistance(
  lon: number,
  lat: number,
  rings: readonly (readonly (readonly number[])[])[],
): number {
  const [outer, ...holes] = rings;
  if (!outer) return Infinity;
  if (insideRing(lon, lat, outer) && !holes.some((h) => insideRing(lon, lat, h))) return 0;
  return Math.min(...rings.map((r) => lineDistance(lon, lat, r)));
}

/**
 * The great-circle distance (m) from a point to a geometry: 0 inside a polygon (holes are
 * outside), else to the nearest point of its edges, lines or points. Edges are great-circle arcs;
 * the inside test is done in lon/lat, which is right for polygons that neither cross the
 * antimeridian nor hold a pole.
 *
 * @example
 * geometryDistanceMetres(30.52, 50.45, { type: 'LineString', coordinates: [[30.5, 50.46], [30.54, 50.46]] }); // ≈ 1112 m
 */
export function geometryDistanceMetres(lon: number, lat: number, g: DistanceGeometry): Metres {
  let d: number;
  switch (g.type) {
    case 'Point':
      d = haversineMetres(lon, lat, g.coordinates[0]!, g.coordinates[1]!);
      break;
    case 'MultiPoint':
      d = Math.min(...g.coordinates.map((c) => haversineMetres(lon, lat, c[0]!, c[1]!)));
      break;
    case 'LineString':
      d = lineDistance(lon, lat, g.coordinates);
      break;
    case 'MultiLineString':
      d = Math.min(...g.coordinates.map((l) => lineDistance(lon, lat, l)));
      break;
    case 'Polygon':
      d = polygonDistance(lon, lat, g.coordinates);
      break;
    case 'MultiPolygon':
      d = Math.min(...g.coordinates.map((p) => polygonDistance(lon, lat, p)));
      break;
  }
  return d as Metres;
}

/**
 * The largest distance (m) from a point to any vertex of a geometry: for a point inside or near
 * the geometry (its centroid), every point of the geometry lies within this distance — up to the
 * bulge of a great-circle edge, which the caller's margin covers.
 *
 * @example
 * geometryReachMetres(30.52, 50.45, polygon); // the farthest corner
 */
export function geometryReachMetres(lon: number, lat: number, g: DistanceGeometry): Metres {
  let reach = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      reach = Math.max(reach, haversineMetres(lon, lat, v[0] as number, v[1] as number));
    } else if (Array.isArray(v)) for (const x of v) walk(x);
  };
  walk(g.coordinates);
  return reach as Metres;
}
