import mgrs from 'mgrs';

/**
 * The 1 m MGRS grid reference of a point (e.g. `32TNT6079923781`), or null where MGRS is not
 * defined (north of 84° N and south of 80° S, the polar UPS zones) or the position is not finite.
 *
 * @example
 * mgrsOf(9.5209, 47.141); // '32TNT…'
 */
export function mgrsOf(lon: number, lat: number): string | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -80 || lat > 84) return null;
  try {
    return mgrs.forward([lon, lat], 5);
  } catch {
    return null;
  }
}
