// Small geometry helpers the web app needs for selection and joins (bbox of a feature, which
// region holds a place). Lon/lat WGS 84 throughout, as GeoJSON (RFC 7946).
import type { Geometry, Polygon, Position } from 'geojson';
import type { BBox } from './contract.js';

/**
 * The bounding box of a geometry, or null if it has no coordinates.
 *
 * @example geometryBbox({ type: 'Point', coordinates: [18.5, 4.3] }); // [18.5, 4.3, 18.5, 4.3]
 */
export function geometryBbox(geometry: Geometry | null): BBox | null {
  if (!geometry) return null;
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (p: Position) => {
    const [x = NaN, y = NaN] = p;
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  };
  forEachPosition(geometry, add);
  return Number.isFinite(box[0]) ? box : null;
}

function forEachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) line.forEach(visit);
      return;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      return;
    case 'GeometryCollection':
      for (const child of geometry.geometries) forEachPosition(child, visit);
  }
}

/** Whether a bbox holds a lon/lat point (edges included). */
export function bboxContains(box: BBox, lon: number, lat: number): boolean {
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}

/**
 * Whether a (multi)polygon holds a lon/lat point, by ray casting; holes count as outside.
 *
 * @example polygonContains(square, 0.5, 0.5); // true
 */
export function polygonContains(geometry: Geometry, lon: number, lat: number): boolean {
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi = 0, yi = 0] = ring[i] ?? [];
        const [xj = 0, yj = 0] = ring[j] ?? [];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
          inside = !inside;
        }
      }
    }
  }
  return inside;
}

/**
 * The centroid of a geometry as the mean of its vertices (what turf's `centroid` and the server
 * compute), or null if it has no coordinates. Closed rings count their repeated first vertex once.
 *
 * @example geometryCentroid({ type: 'Point', coordinates: [9.52, 47.14] }); // [9.52, 47.14]
 */
export function geometryCentroid(geometry: Geometry | null): [number, number] | null {
  if (!geometry) return null;
  let x = 0;
  let y = 0;
  let n = 0;
  const add = (p: Position) => {
    x += p[0] ?? 0;
    y += p[1] ?? 0;
    n += 1;
  };
  const ring = (positions: Position[]) => {
    const closed = positions.length > 1 && samePosition(positions[0], positions.at(-1));
    (closed ? positions.slice(0, -1) : positions).forEach(add);
  };
  const visit = (g: Geometry): void => {
    switch (g.type) {
      case 'Point':
        add(g.coordinates);
        return;
      case 'MultiPoint':
      case 'LineString':
        g.coordinates.forEach(add);
        return;
      case 'MultiLineString':
        for (const line of g.coordinates) line.forEach(add);
        return;
      case 'Polygon':
        g.coordinates.forEach(ring);
        return;
      case 'MultiPolygon':
        for (const polygon of g.coordinates) polygon.forEach(ring);
        return;
      case 'GeometryCollection':
        g.geometries.forEach(visit);
    }
  };
  visit(geometry);
  return n > 0 ? [x / n, y / n] : null;
}

function samePosition(a: Position | undefined, b: Position | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/** Mean Earth radius in metres (the sphere the server's great-circle distances use). */
const earthRadiusMetres = 6_371_008.8;

/**
 * The furthest distance, in metres, from a lon/lat point to any vertex of a geometry: how far
 * an area reaches from its centroid.
 *
 * @example geometryReachMetres(square, [9.5, 47.1]); // 520.3
 */
export function geometryReachMetres(geometry: Geometry | null, from: [number, number]): number {
  if (!geometry) return 0;
  let reach = 0;
  forEachPosition(geometry, (p) => {
    reach = Math.max(reach, lonLatDistanceMetres(from, [p[0] ?? 0, p[1] ?? 0]));
  });
  return reach;
}

/**
 * Great-circle distance between two lon/lat points, in metres (haversine).
 *
 * @example lonLatDistanceMetres([9.5, 47.1], [9.51, 47.1]); // ≈ 758
 */
export function lonLatDistanceMetres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMetres * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A circle of `metres` around a lon/lat point, as a closed ring of `steps` vertices on the sphere:
 * a standoff buffer on the map.
 *
 * @example circlePolygon([9.52, 47.14], 300); // { type: 'Polygon', coordinates: [[...65 positions]] }
 */
export function circlePolygon(centre: [number, number], metres: number, steps = 64): Polygon {
  const rad = Math.PI / 180;
  const [lon0, lat0] = [centre[0] * rad, centre[1] * rad];
  const angular = metres / earthRadiusMetres;
  const ring: Position[] = [];
  for (let i = 0; i <= steps; i++) {
    const bearing = ((i % steps) / steps) * 2 * Math.PI;
    const lat = Math.asin(
      Math.sin(lat0) * Math.cos(angular) + Math.cos(lat0) * Math.sin(angular) * Math.cos(bearing),
    );
    const lon =
      lon0 +
      Math.atan2(
        Math.sin(bearing) * Math.sin(angular) * Math.cos(lat0),
        Math.cos(angular) - Math.sin(lat0) * Math.sin(lat),
      );
    ring.push([lon / rad, lat / rad]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * The initial bearing from one lon/lat point to another, in degrees clockwise from north.
 *
 * @example bearingDegrees([0, 0], [1, 0]); // 90
 */
export function bearingDegrees(from: [number, number], to: [number, number]): number {
  const rad = Math.PI / 180;
  const [l1, p1, l2, p2] = [from[0] * rad, from[1] * rad, to[0] * rad, to[1] * rad];
  const y = Math.sin(l2 - l1) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(l2 - l1);
  return (((Math.atan2(y, x) / rad) % 360) + 360) % 360;
}

/**
 * The bbox of several boxes, or null when there are none.
 *
 * @example bboxUnion([[0, 0, 1, 1], [2, 2, 3, 3]]); // [0, 0, 3, 3]
 */
export function bboxUnion(boxes: readonly (BBox | null)[]): BBox | null {
  let out: BBox | null = null;
  for (const box of boxes) {
    if (!box) continue;
    out = out
      ? [
          Math.min(out[0], box[0]),
          Math.min(out[1], box[1]),
          Math.max(out[2], box[2]),
          Math.max(out[3], box[3]),
        ]
      : [...box];
  }
  return out;
}
