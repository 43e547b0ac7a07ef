import type { Geometry, Position } from 'geojson';

/** A bounding box `[minLon, minLat, maxLon, maxLat]` in decimal degrees (RFC 7946 §5). */
export type BBox = readonly [number, number, number, number];

/**
 * The bounding box of a GeoJSON geometry. Boxes that cross the antimeridian are not split:
 * Civitas stores geometries with longitudes in −180..180, so such a box spans the globe's width
 * and stays correct (if loose) for index filtering.
 *
 * @example
 * bboxOfGeometry({ type: 'Point', coordinates: [18.55, 4.36] }); // [18.55, 4.36, 18.55, 4.36]
 */
export function bboxOfGeometry(geometry: Geometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const visit = (p: Position): void => {
    const [lon, lat] = p as [number, number];
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  };
  const walk = (g: Geometry): void => {
    switch (g.type) {
      case 'Point':
        visit(g.coordinates);
        break;
      case 'MultiPoint':
      case 'LineString':
        g.coordinates.forEach(visit);
        break;
      case 'MultiLineString':
      case 'Polygon':
        g.coordinates.forEach((ring) => ring.forEach(visit));
        break;
      case 'MultiPolygon':
        g.coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(visit)));
        break;
      case 'GeometryCollection':
        g.geometries.forEach(walk);
        break;
    }
  };
  walk(geometry);
  if (!Number.isFinite(minLon)) {
    throw new RangeError('geometry has no coordinates, so it has no bounding box');
  }
  return [minLon, minLat, maxLon, maxLat];
}

/**
 * Parses `minLon,minLat,maxLon,maxLat` (the `bbox` query parameter) into a BBox, or throws a
 * RangeError that says what is wrong.
 *
 * @example
 * bboxParse('14.4,2.2,27.5,11.0');
 */
export function bboxParse(text: string): BBox {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new RangeError('bbox must be four numbers: minLon,minLat,maxLon,maxLat');
  }
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw new RangeError('bbox must lie within −180..180 longitude and −90..90 latitude');
  }
  if (minLon > maxLon || minLat > maxLat) {
    throw new RangeError('bbox minimum must not exceed its maximum');
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** True when two boxes share at least one point. */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** True when the position lies inside or on the edge of the box. */
export function bboxContains(box: BBox, lon: number, lat: number): boolean {
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}
