import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineMetres, lonLat, lonLatDistanceMetres } from './lon-lat.js';
import { capLonHalfWidthInBand, sphericalCapBounds } from './spherical-cap.js';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RAD = Math.PI / 180;

/** The point `distance` metres from (lon, lat) on `bearing` (radians), on the Civitas sphere. */
function destination(
  lon: number,
  lat: number,
  distance: number,
  bearing: number,
): [number, number] {
  const d = distance / EARTH_RADIUS_M;
  const phi = lat * RAD;
  const phi2 = Math.asin(
    Math.sin(phi) * Math.cos(d) + Math.cos(phi) * Math.sin(d) * Math.cos(bearing),
  );
  const lambda2 =
    lon * RAD +
    Math.atan2(
      Math.sin(bearing) * Math.sin(d) * Math.cos(phi),
      Math.cos(d) - Math.sin(phi) * Math.sin(phi2),
    );
  let lon2 = lambda2 / RAD;
  lon2 = ((((lon2 + 180) % 360) + 360) % 360) - 180;
  return [lon2, phi2 / RAD];
}

describe('haversineMetres', () => {
  it('is lonLatDistanceMetres to the last bit', () => {
    const rnd = random(1);
    for (let i = 0; i < 20_000; i += 1) {
      const a = [rnd() * 360 - 180, rnd() * 180 - 90] as const;
      const b =
        i % 2 === 0
          ? ([
              a[0] + (rnd() - 0.5) * 0.01,
              Math.max(-90, Math.min(90, a[1] + (rnd() - 0.5) * 0.01)),
            ] as const)
          : ([rnd() * 360 - 180, rnd() * 180 - 90] as const);
      const reference = lonLatDistanceMetres(
        lonLat(a[0], a[1]),
        lonLat(Math.max(-180, Math.min(180, b[0])), b[1]),
      );
      expect(
        Object.is(
          haversineMetres(a[0], a[1], Math.max(-180, Math.min(180, b[0])), b[1]),
          reference,
        ),
      ).toBe(true);
    }
  });
});

describe('sphericalCapBounds and capLonHalfWidthInBand', () => {
  it('contain every point of the cap, at any latitude and size', () => {
    const rnd = random(2);
    for (let i = 0; i < 1000; i += 1) {
      const lon = rnd() * 360 - 180;
      const lat = i % 10 === 0 ? 89.9 + rnd() * 0.1 : rnd() * 180 - 90;
      const radius = Math.exp(Math.log(1) + rnd() * Math.log(5e6));
      const b = sphericalCapBounds(lat, radius);
      for (let k = 0; k < 20; k += 1) {
        const [plon, plat] = destination(lon, lat, radius * Math.sqrt(rnd()), rnd() * 2 * Math.PI);
        if (haversineMetres(lon, lat, plon, plat) > radius) continue;
        expect(plat).toBeGreaterThanOrEqual(b.latMin);
        expect(plat).toBeLessThanOrEqual(b.latMax);
        let dl = Math.abs(plon - lon);
        if (dl > 180) dl = 360 - dl;
        expect(dl).toBeLessThanOrEqual(b.lonHalfWidth);
        // …and the band containing the point bounds it too.
        const band = Math.floor(plat * 10) / 10;
        expect(dl).toBeLessThanOrEqual(
          capLonHalfWidthInBand(lat, b.angularRadius, band, band + 0.1),
        );
      }
    }
  });

  it('is tight: a few metres of margin, not degrees', () => {
    const b = sphericalCapBounds(50.4, 1000);
    const exact = 1000 / EARTH_RADIUS_M / RAD;
    expect(b.latMax - 50.4 - exact).toBeLessThan(2e-5);
    expect(b.lonHalfWidth).toBeLessThan(exact / Math.cos(50.4 * RAD) + 2e-5);
    expect(sphericalCapBounds(89.999, 1000).lonHalfWidth).toBe(180);
  });
});
