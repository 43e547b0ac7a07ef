/**
 * Branded coordinate and measure types. A longitude is not a latitude and a degree is not a
 * metre: the brands make the compiler catch a swapped argument.
 */
declare const lonBrand: unique symbol;
declare const latBrand: unique symbol;
declare const metresBrand: unique symbol;

/** Longitude in decimal degrees, WGS 84, −180..180. */
export type Lon = number & { readonly [lonBrand]: true };
/** Latitude in decimal degrees, WGS 84, −90..90. */
export type Lat = number & { readonly [latBrand]: true };
/** A distance in metres. */
export type Metres = number & { readonly [metresBrand]: true };
/** A position as GeoJSON orders it (RFC 7946): longitude first. */
export type LonLat = readonly [Lon, Lat];

/** Mean Earth radius (IUGG R1) in metres, the sphere every Civitas distance uses. */
export const EARTH_RADIUS_M = 6_371_008.7714 as Metres;

/**
 * Checks and brands a longitude/latitude pair; throws a RangeError naming the bad value.
 *
 * @example
 * const bangui = lonLat(18.5582, 4.3612);
 */
export function lonLat(lon: number, lat: number): LonLat {
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new RangeError(`longitude ${lon} is outside −180..180`);
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new RangeError(`latitude ${lat} is outside −90..90`);
  }
  return [lon as Lon, lat as Lat];
}

/**
 * Great-circle (haversine) distance between two positions, in metres on the mean-radius sphere.
 *
 * @example
 * lonLatDistanceMetres(lonLat(0, 0), lonLat(1, 0)); // ≈ 111195 m
 */
export function lonLatDistanceMetres(a: LonLat, b: LonLat): Metres {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return (2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))) as Metres;
}

/**
 * {@link lonLatDistanceMetres} on four plain numbers, for hot loops over typed arrays. The
 * arithmetic is the same expression in the same order, so the two agree bit for bit (screening
 * tests compare against brute force with exact equality).
 *
 * @example
 * haversineMetres(0, 0, 1, 0); // ≈ 111195 m, the same double as lonLatDistanceMetres
 */
export function haversineMetres(lon1: number, lat1: number, lon2: number, lat2: number): Metres {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return (2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))) as Metres;
}
