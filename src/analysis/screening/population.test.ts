import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineMetres } from '../../geo/index.js';
import { capCellFraction, capExposure, capWindow, type LonLatGrid } from './population.js';

const RAD = Math.PI / 180;
const R = EARTH_RADIUS_M;

/** Area (m²) of the lon/lat cell on the Civitas sphere. */
function cellArea(west: number, south: number, east: number, north: number): number {
  return R * R * (east - west) * RAD * (Math.sin(north * RAD) - Math.sin(south * RAD));
}

/** Area (m²) of a spherical cap of radius r metres: 2πR²(1 − cos(r/R)), without cancellation. */
function capArea(r: number): number {
  return 4 * Math.PI * R * R * Math.sin(r / R / 2) ** 2;
}

/** The cap's area as the sum of fraction × cell area over a grid that covers it. */
function capAreaFromCells(lon: number, lat: number, r: number, cell: number): number {
  const grid: LonLatGrid = {
    west: -180,
    north: 90,
    cellWidth: cell,
    cellHeight: cell,
    width: Math.round(360 / cell),
    height: Math.round(180 / cell),
  };
  const w = capWindow(grid, lon, lat, r);
  let total = 0;
  for (let y = w.y0; y < w.y1; y += 1) {
    const north = 90 - y * cell;
    for (let xx = w.x0; xx < w.x1; xx += 1) {
      const west = -180 + xx * cell;
      total +=
        capCellFraction(lon, lat, r, west, north - cell, west + cell, north) *
        cellArea(west, north - cell, west + cell, north);
    }
  }
  return total;
}

/** Brute-force fraction: area-weighted sample points on an n × n sub-grid. */
function sampledFraction(
  lon: number,
  lat: number,
  r: number,
  west: number,
  south: number,
  east: number,
  north: number,
  n: number,
): number {
  let inside = 0;
  let total = 0;
  for (let j = 0; j < n; j += 1) {
    const s = south + ((north - south) * j) / n;
    const weight = Math.sin((s + (north - south) / n) * RAD) - Math.sin(s * RAD);
    const y = s + (north - south) / (2 * n);
    for (let i = 0; i < n; i += 1) {
      const x = west + ((east - west) * (i + 0.5)) / n;
      total += weight;
      if (haversineMetres(lon, lat, x, y) <= r) inside += weight;
    }
  }
  return inside / total;
}

describe('capCellFraction', () => {
  it('is 1 for a cell inside the circle and 0 for one outside', () => {
    expect(capCellFraction(30, 0, 50_000, 29.99, -0.01, 30.01, 0.01)).toBeCloseTo(1, 12);
    expect(capCellFraction(30, 0, 500, 31, 1, 31.01, 1.01)).toBe(0);
  });

  it('gives back the exact area of the cap when summed over the cells that cover it', () => {
    const cases: [number, number, number, number][] = [
      // lon, lat, radius, cell size
      [29.36, -3.38, 5_000, 1 / 120],
      [29.36, -3.38, 25_000, 1 / 120],
      [18.5, 4.36, 777, 1 / 120],
      [179.99, 65, 12_000, 0.05],
      [-179.999, -20, 3_000, 0.01],
      [0, 89.95, 20_000, 0.05],
      [45, -89.999, 8_000, 0.1],
      [10, 0, 1_500_000, 1],
    ];
    for (const [lon, lat, r, cell] of cases) {
      const got = capAreaFromCells(lon, lat, r, cell);
      expect(Math.abs(got / capArea(r) - 1), `${lon},${lat} r=${r}`).toBeLessThan(1e-9);
    }
  });

  it('agrees with a fine sampling of the cell for circles cutting cells in every way', () => {
    let worst = 0;
    for (const [lon, lat, r] of [
      [29.0083, -2.9, 700],
      [29.0042, -2.9042, 400],
      [29.01, -2.9, 1500],
      [179.999, 10, 900],
      [0.004, 89.996, 600],
    ] as const) {
      for (let dx = -2; dx <= 1; dx += 1) {
        for (let dy = -2; dy <= 1; dy += 1) {
          const west = Math.floor(lon * 120) / 120 + dx / 120;
          const south = Math.floor(lat * 120) / 120 + dy / 120;
          const north = Math.min(90, south + 1 / 120);
          if (!(north > south)) continue;
          const f = capCellFraction(lon, lat, r, west, south, west + 1 / 120, north);
          const sampled = sampledFraction(lon, lat, r, west, south, west + 1 / 120, north, 600);
          worst = Math.max(worst, Math.abs(f - sampled));
        }
      }
    }
    // The 600 × 600 sampling itself is good to about 1/600 of the boundary's share of the cell.
    expect(worst).toBeLessThan(2e-3);
  });
});

describe('capExposure', () => {
  it('counts a uniform population as density × the circle area, with bounds around it', () => {
    const grid: LonLatGrid = {
      west: 29,
      north: -2,
      cellWidth: 1 / 120,
      cellHeight: 1 / 120,
      width: 240,
      height: 240,
    };
    const window = { x0: 0, y0: 0, x1: 240, y1: 240 };
    const values = new Float64Array(240 * 240);
    // 1 person per m²·(cell area) would be unwieldy: give each cell its area in km² instead.
    for (let y = 0; y < 240; y += 1) {
      const north = grid.north - y * grid.cellHeight;
      const area = cellArea(0, north - grid.cellHeight, grid.cellWidth, north) / 1e6;
      for (let x = 0; x < 240; x += 1) values[y * 240 + x] = area;
    }
    for (const r of [250, 1000, 5000, 25_000]) {
      const e = capExposure(grid, window, values, null, 30.0001, -3.0002, r);
      expect(e.best / (capArea(r) / 1e6)).toBeCloseTo(1, 9);
      expect(e.low).toBeLessThanOrEqual(e.best);
      expect(e.high).toBeGreaterThanOrEqual(e.best);
      expect(e.clipped).toBe(false);
    }
  });

  it('skips nodata, NaN and negative cells and says when the circle leaves the raster', () => {
    const grid: LonLatGrid = {
      west: 0,
      north: 1,
      cellWidth: 0.01,
      cellHeight: 0.01,
      width: 2,
      height: 2,
    };
    const e = capExposure(
      grid,
      { x0: 0, y0: 0, x1: 2, y1: 2 },
      [100, 65535, NaN, -5],
      65535,
      0.01,
      0.99,
      100_000,
    );
    expect(e.best).toBeCloseTo(100, 9);
    expect(e.clipped).toBe(true);
  });
});
