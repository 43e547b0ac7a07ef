import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { area as turfArea, booleanPointInPolygon, point } from '@turf/turf';
import { buildDemo } from '../../src/service/demo/demo-area.js';
import {
  DEMO_POPULATION_CELL_DEG,
  RURAL_PEOPLE_PER_KM2,
  modelPopulation,
  rasteriseOutline,
  writeModelledPopulation,
} from '../../src/service/demo/demo-population.js';
import {
  exposuresForCircles,
  openPopulationRaster,
} from '../../src/service/screening/population-raster.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-demo-population-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sum = (values: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i] as number;
  return total;
};

describe('the modelled demo population', () => {
  it('should mark exactly the cells whose centre is inside the outline, holes included', () => {
    // A 1°×1° square with a 0.4°×0.4° hole; cells of 0.1°.
    const outline: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [10, 0],
          [11, 0],
          [11, 1],
          [10, 1],
          [10, 0],
        ],
        [
          [10.3, 0.3],
          [10.3, 0.7],
          [10.7, 0.7],
          [10.7, 0.3],
          [10.3, 0.3],
        ],
      ],
    };
    const frame = { west: 9.5, north: 1.5, cellDeg: 0.1, width: 20, height: 20 };
    const inside = rasteriseOutline(outline, frame);
    for (let row = 0; row < frame.height; row += 1) {
      for (let col = 0; col < frame.width; col += 1) {
        const centre = point([9.55 + col * 0.1, 1.45 - row * 0.1]);
        expect([row, col, inside[row * 20 + col]]).toEqual([
          row,
          col,
          booleanPointInPolygon(centre, outline) ? 1 : 0,
        ]);
      }
    }
    expect(sum(inside)).toBe(100 - 16);
  });

  it('should keep every place its population and spread the rural rest over the country', async () => {
    const demo = buildDemo({ now: '2026-01-01T00:00:00Z', actor: 'test' });
    const outline = demo.area.outline;
    const places = demo.places.map((p) => ({
      lon: (p.geometry as { coordinates: number[] }).coordinates[0] as number,
      lat: (p.geometry as { coordinates: number[] }).coordinates[1] as number,
      population: p.population ?? 0,
    }));
    const grid = modelPopulation(outline, places);
    expect(grid.cellDeg).toBe(DEMO_POPULATION_CELL_DEG);
    const people = places.reduce((t, p) => t + p.population, 0);
    const ruralExpected = (RURAL_PEOPLE_PER_KM2 * turfArea(outline)) / 1e6;
    // Places near the border lose the part of their Gaussian that falls off the grid (<0.5%).
    expect(sum(grid.values)).toBeGreaterThan((people + ruralExpected) * 0.99);
    expect(sum(grid.values)).toBeLessThan((people + ruralExpected) * 1.01);

    const path = join(dir, 'population.tif');
    writeModelledPopulation(path, outline, places);
    const raster = await openPopulationRaster(path);
    try {
      expect(raster.grid.width).toBe(grid.width);
      expect(raster.grid.west).toBeCloseTo(grid.west, 9);
      const values = await raster.read({ x0: 0, y0: 0, x1: grid.width, y1: grid.height });
      expect(sum(values)).toBeCloseTo(sum(grid.values), -2);
    } finally {
      await raster.close();
    }

    // The largest town: nearly all its people within 3 spreads, more within 5 km than 1 km.
    const city = places.reduce((a, b) => (b.population > a.population ? b : a));
    const [r1, r5, r25] = await exposuresForCircles(path, {
      lon: [city.lon, city.lon, city.lon],
      lat: [city.lat, city.lat, city.lat],
      radius: [1000, 5000, 25_000],
    });
    expect(r1!.best).toBeLessThan(r5!.best);
    expect(r5!.best).toBeLessThan(r25!.best);
    expect(r25!.best).toBeGreaterThan(city.population * 0.95);
  });
});
