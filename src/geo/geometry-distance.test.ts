import { describe, expect, it } from 'vitest';
import { geometryDistanceMetres, geometryReachMetres } from './geometry-distance.js';
import { haversineMetres } from './lon-lat.js';

/** Points every ~step along the great-circle arc a→b (spherical interpolation). */
function arcSamples(a: number[], b: number[], steps: number): [number, number][] {
  const r = Math.PI / 180;
  const v = (p: number[]) => [
    Math.cos(p[1]! * r) * Math.cos(p[0]! * r),
    Math.cos(p[1]! * r) * Math.sin(p[0]! * r),
    Math.sin(p[1]! * r),
  ];
  const va = v(a);
  const vb = v(b);
  const omega = Math.acos(Math.min(1, va[0]! * vb[0]! + va[1]! * vb[1]! + va[2]! * vb[2]!));
  const out: [number, number][] = [];
  for (let i = 0; i <= steps; i += 1) {
    const t = i / steps;
    const s = Math.sin(omega);
    const [ka, kb] =
      s < 1e-15 ? [1 - t, t] : [Math.sin((1 - t) * omega) / s, Math.sin(t * omega) / s];
    const x = ka * va[0]! + kb * vb[0]!;
    const y = ka * va[1]! + kb * vb[1]!;
    const z = ka * va[2]! + kb * vb[2]!;
    out.push([Math.atan2(y, x) / r, Math.atan2(z, Math.hypot(x, y)) / r]);
  }
  return out;
}

/** The distance by brute force: the nearest of ~0.5 m samples along every edge. */
function sampled(lon: number, lat: number, rings: number[][][]): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i += 1) {
      const steps = Math.ceil(
        haversineMetres(ring[i - 1]![0]!, ring[i - 1]![1]!, ring[i]![0]!, ring[i]![1]!) / 0.5,
      );
      for (const [x, y] of arcSamples(ring[i - 1]!, ring[i]!, steps)) {
        best = Math.min(best, haversineMetres(lon, lat, x, y));
      }
    }
  }
  return best;
}

const square = [
  [30.5, 50.44],
  [30.53, 50.44],
  [30.53, 50.46],
  [30.5, 50.46],
  [30.5, 50.44],
];
const hole = [
  [30.51, 50.445],
  [30.52, 50.445],
  [30.52, 50.455],
  [30.51, 50.455],
  [30.51, 50.445],
];

describe('geometryDistanceMetres', () => {
  it('is 0 inside a polygon, and the edge distance in a hole and outside, as dense sampling gives', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [square, hole] };
    expect(geometryDistanceMetres(30.505, 50.45, polygon)).toBe(0);
    for (const [lon, lat] of [
      [30.515, 50.45], // in the hole
      [30.49, 50.45], // west
      [30.54, 50.47], // beyond a corner
      [30.515, 50.43], // south
      [30.5301, 50.4501], // just outside
    ] as const) {
      const exact = geometryDistanceMetres(lon, lat, polygon);
      const brute = sampled(lon, lat, [square, hole]);
      expect(exact).toBeGreaterThan(0);
      expect(exact).toBeLessThanOrEqual(brute + 1e-6);
      expect(brute - exact).toBeLessThan(0.01);
    }
  });

  it('measures to lines, multi-geometries and points', () => {
    const line = {
      type: 'LineString' as const,
      coordinates: [
        [30.5, 50.46],
        [30.54, 50.46],
      ],
    };
    const d = geometryDistanceMetres(30.52, 50.45, line);
    expect(Math.abs(d - sampled(30.52, 50.45, [line.coordinates]))).toBeLessThan(0.01);
    expect(d).toBeGreaterThan(1100);
    expect(d).toBeLessThan(1113);
    const multi = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [square],
        [
          [
            [31, 51],
            [31.01, 51],
            [31.01, 51.01],
            [31, 51],
          ],
        ],
      ],
    };
    expect(geometryDistanceMetres(31.008, 51.001, multi)).toBe(0);
    const point = { type: 'Point' as const, coordinates: [30.5, 50.4] };
    expect(geometryDistanceMetres(30.52, 50.45, point)).toBe(
      haversineMetres(30.52, 50.45, 30.5, 50.4),
    );
    const points = {
      type: 'MultiPoint' as const,
      coordinates: [
        [30.5, 50.4],
        [30.52, 50.451],
      ],
    };
    expect(geometryDistanceMetres(30.52, 50.45, points)).toBe(
      haversineMetres(30.52, 50.45, 30.52, 50.451),
    );
  });

  it('reaches every vertex from the centroid', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [square] };
    const reach = geometryReachMetres(30.515, 50.45, polygon);
    for (const [lon, lat] of square) {
      expect(haversineMetres(30.515, 50.45, lon!, lat!)).toBeLessThanOrEqual(reach);
    }
  });
});
