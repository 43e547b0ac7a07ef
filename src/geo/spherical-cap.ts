/**
 * Bounds of a spherical cap (every point within a great-circle distance of a centre) in
 * longitude and latitude, for filtering before an exact distance test. The bounds are
 * conservative: they are widened by a margin far larger than the floating-point error of the
 * formulas, so a point whose haversine distance is within the radius is never left out.
 */
import { EARTH_RADIUS_M } from './lon-lat.js';

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;

/**
 * Margin added to every bound, in degrees: 1e-5° is about a metre, far above the rounding error
 * of a haversine distance (nanometres below 1,000 km); relative margin on top for large caps.
 * Where asin/acos work near ±1 they lose half their digits, so {@link flatMargin} adds the
 * square root of the argument's error bound there.
 */
const MARGIN_DEG = 1e-5;
const MARGIN_REL = 1e-7;

/**
 * The error (degrees) of asin or acos near ±1 when the argument may be off by `argumentError`:
 * at most √(2·err) radians, plus the ordinary first-order term away from ±1.
 */
function flatMargin(argumentError: number): number {
  return Math.sqrt(2 * argumentError) * DEG;
}

/** The latitude and longitude extent of a spherical cap; see {@link sphericalCapBounds}. */
export interface CapBounds {
  /** Southern and northern limits (degrees), clamped to −90..90. */
  readonly latMin: number;
  readonly latMax: number;
  /**
   * Half-width in longitude (degrees) over the whole cap: every point of the cap is within this
   * many degrees of the centre's longitude, measured the short way round. 180 when the cap
   * reaches a pole or is too large for the bound to help.
   */
  readonly lonHalfWidth: number;
  /** The cap's angular radius in degrees, before margins. */
  readonly angularRadius: number;
}

/**
 * The conservative lon/lat bounds of the cap of `radiusMetres` around a centre at latitude `lat`
 * on the Civitas sphere (longitude does not change the shape). Handles the poles (the cap may
 * contain one: all longitudes) and leaves longitude wrapping at the antimeridian to the caller
 * (compare longitude differences the short way round).
 *
 * @example
 * const b = sphericalCapBounds(50.4, 1000);
 * // b.latMin ≈ 50.391, b.latMax ≈ 50.409, b.lonHalfWidth ≈ 0.0141
 */
export function sphericalCapBounds(lat: number, radiusMetres: number): CapBounds {
  const delta = radiusMetres / EARTH_RADIUS_M; // radians
  const deltaDeg = delta * DEG;
  const pad = MARGIN_DEG + MARGIN_REL * deltaDeg;
  const latMin = Math.max(-90, lat - deltaDeg - pad);
  const latMax = Math.min(90, lat + deltaDeg + pad);
  let lonHalfWidth = 180;
  if (latMin > -90 && latMax < 90 && delta < Math.PI / 2) {
    const cosLat = Math.cos(lat * RAD);
    const ratio = Math.sin(delta) / cosLat;
    if (ratio < 1 - 1e-9) {
      const width = Math.asin(ratio) * DEG * (1 + MARGIN_REL) + pad + flatMargin(4e-16 / cosLat);
      lonHalfWidth = Math.min(180, width);
    }
  }
  return { latMin, latMax, lonHalfWidth, angularRadius: deltaDeg };
}

/**
 * The largest longitude half-width (degrees) of the cap of angular radius `angularRadius`
 * (degrees) centred at latitude `lat`, over the latitude band `bandMin..bandMax` (degrees), with
 * the same margins as {@link sphericalCapBounds}; 180 if in doubt. The half-width at latitude φ
 * grows from the cap's southern edge to the tangent latitude asin(sin φ0 / cos δ) and shrinks
 * after, so the band's maximum is at the tangent latitude if the band contains it, else at the
 * band edge nearer to it.
 *
 * @example
 * capLonHalfWidthInBand(50.4, 0.009, 50.40, 50.41); // ≈ 0.0141
 */
export function capLonHalfWidthInBand(
  lat: number,
  angularRadius: number,
  bandMin: number,
  bandMax: number,
): number {
  const pad = MARGIN_DEG + MARGIN_REL * angularRadius;
  const delta = angularRadius * RAD;
  const phi0 = lat * RAD;
  if (delta >= Math.PI / 2) return 180;
  const sinTangent = Math.sin(phi0) / Math.cos(delta);
  const tangent =
    Math.abs(sinTangent) >= 1 ? Math.sign(sinTangent) * 90 : Math.asin(sinTangent) * DEG;
  let at: number;
  if (bandMin <= tangent && tangent <= bandMax) at = tangent;
  else at = tangent < bandMin ? bandMin : bandMax;
  const phi = at * RAD;
  const denominator = Math.cos(phi) * Math.cos(phi0);
  if (denominator < 1e-12) return 180;
  const c = (Math.cos(delta) - Math.sin(phi) * Math.sin(phi0)) / denominator;
  if (c <= -1 + 1e-9) return 180;
  const slack = pad + flatMargin(8e-16 / denominator);
  if (c >= 1) return slack;
  return Math.min(180, Math.acos(c) * DEG * (1 + MARGIN_REL) + slack);
}
