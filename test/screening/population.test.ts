/**
 * Population exposure on a real raster: the Burundi exposure kit (WorldPop 2000, 1 km, UInt16,
 * nodata 65535, EPSG:4326) read in place from ../shared/data, never copied into the repository.
 *
 * The kit's README gives cell-centre-rule figures (people in cells whose centre is within R km of
 * at least one of the 22 UCDP events). Reproducing them exactly checks that the raster is read
 * and georeferenced right; the area-weighted figures Civitas reports are then compared with them
 * in docs/screening.md (values fixed here so the comparison stays true).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMetres } from '../../src/geo/index.js';
import {
  exposuresForCircles,
  openPopulationRaster,
} from '../../src/service/screening/population-raster.js';
import { runCivitas } from '../helpers/cli.js';
import { sharedData } from '../helpers/shared-data.js';

const KIT = sharedData('worldpop-burundi-exposure-kit');
const TIF = join(KIT, 'burundi_worldpop_2000_1km.tif');
const EVENTS = join(KIT, 'ucdp_ged221_burundi_1991_1992.geojson');
const haveKit = existsSync(TIF) && existsSync(EVENTS);

function events(): [number, number][] {
  const collection = JSON.parse(readFileSync(EVENTS, 'utf8')) as {
    features: { geometry: { coordinates: [number, number] } }[];
  };
  return collection.features.map((f) => f.geometry.coordinates);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civitas-population-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveKit)('population exposure on the Burundi kit', () => {
  it('reads the raster as the README describes it: grid, nodata and the sum of all cells', async () => {
    const raster = await openPopulationRaster(TIF);
    try {
      expect(raster.grid.width).toBe(209);
      expect(raster.grid.height).toBe(259);
      expect(raster.grid.west).toBeCloseTo(29.0166667, 6);
      expect(raster.grid.north).toBeCloseTo(-2.3416667, 6);
      expect(raster.grid.cellWidth).toBeCloseTo(1 / 120, 12);
      expect(raster.nodata).toBe(65535);
      const values = await raster.read({ x0: 0, y0: 0, x1: 209, y1: 259 });
      let total = 0;
      let cells = 0;
      for (let i = 0; i < values.length; i += 1) {
        if (values[i] !== 65535) {
          total += values[i] as number;
          cells += 1;
        }
      }
      expect({ total, cells }).toEqual({ total: 9_131_486, cells: 49_354 });
    } finally {
      await raster.close();
    }
    // A circle holding the whole raster counts every person exactly once.
    const [whole] = await exposuresForCircles(TIF, {
      lon: [29.9],
      lat: [-3.42],
      radius: [400_000],
    });
    // (It reaches beyond the raster's box, which is said with `clipped`.)
    expect(whole).toEqual({ best: 9_131_486, low: 9_131_486, high: 9_131_486, clipped: true });
  });

  it("reproduces the README's cell-centre figures for 5, 10 and 25 km around the 22 events", async () => {
    const raster = await openPopulationRaster(TIF);
    const { grid } = raster;
    const values = await raster.read({ x0: 0, y0: 0, x1: grid.width, y1: grid.height });
    await raster.close();
    const points = events();
    expect(points).toHaveLength(22);
    const union = (km: number) => {
      let cells = 0;
      let people = 0;
      for (let y = 0; y < grid.height; y += 1) {
        const lat = grid.north - (y + 0.5) * grid.cellHeight;
        for (let x = 0; x < grid.width; x += 1) {
          const v = values[y * grid.width + x] as number;
          if (v === 65535) continue;
          const lon = grid.west + (x + 0.5) * grid.cellWidth;
          if (points.some(([elon, elat]) => haversineMetres(elon, elat, lon, lat) <= km * 1000)) {
            cells += 1;
            people += v;
          }
        }
      }
      return { cells, people };
    };
    expect(union(5)).toEqual({ cells: 1_143, people: 535_883 });
    expect(union(10)).toEqual({ cells: 3_226, people: 1_137_887 });
    expect(union(25)).toEqual({ cells: 9_843, people: 2_649_547 });
  });

  it('gives area-weighted figures per event, between the whole-cell bounds (docs/screening.md)', async () => {
    const points = events();
    const sums = [];
    for (const km of [5, 10, 25]) {
      const exposures = await exposuresForCircles(TIF, {
        lon: points.map((p) => p[0]),
        lat: points.map((p) => p[1]),
        radius: points.map(() => km * 1000),
      });
      for (const e of exposures) {
        expect(e.low).toBeLessThanOrEqual(e.best + 1e-6);
        expect(e.best).toBeLessThanOrEqual(e.high + 1e-6);
      }
      sums.push(Math.round(exposures.reduce((s, e) => s + e.best, 0)));
    }
    // Sums over the 22 events (overlaps counted once per event); the cell-centre rule gives
    // 1,212,328, 3,206,535 and 12,515,865 for the same per-event sums.
    expect(sums).toEqual([1_235_600, 3_195_750, 12_513_214]);
  });

  it('adds "population":{"best":N} to each result line of the CLI', async () => {
    const points = events().slice(0, 3);
    writeFileSync(join(dir, 'objects.ndjson'), '');
    writeFileSync(
      join(dir, 'events.ndjson'),
      points
        .map(([lon, lat], i) => JSON.stringify({ id: `E${i + 1}`, lon, lat, radius_m: 5000 }))
        .join('\n') + '\n',
    );
    const out = join(dir, 'exposure.ndjson');
    const r = await runCivitas(
      [
        'screen',
        '--objects',
        join(dir, 'objects.ndjson'),
        '--actions',
        join(dir, 'events.ndjson'),
        '--out',
        out,
        '--population',
        TIF,
      ],
      { keyFile: join(dir, 'unused.key') },
    );
    expect(r.stderr).toBe('');
    const exposures = await exposuresForCircles(TIF, {
      lon: points.map((p) => p[0]),
      lat: points.map((p) => p[1]),
      radius: points.map(() => 5000),
    });
    expect(readFileSync(out, 'utf8')).toBe(
      exposures
        .map(
          (e, i) =>
            `${JSON.stringify({ action: `E${i + 1}`, hits: [], population: { best: Math.round(e.best) } })}\n`,
        )
        .join(''),
    );
  });
});

describe('population rasters that cannot be used', () => {
  const write = (name: string, metadata: Record<string, unknown>): string => {
    const path = join(dir, name);
    const buffer = writeArrayBuffer(new Uint16Array([1, 2, 3, 4]), {
      height: 2,
      width: 2,
      ...metadata,
    } as never);
    writeFileSync(path, Buffer.from(buffer));
    return path;
  };

  it('refuses a raster in a projected CRS, or with no georeferencing, with a clear error and no output', async () => {
    const projected = write('projected.tif', {
      ModelPixelScale: [1000, 1000, 0],
      ModelTiepoint: [0, 0, 0, 3_300_000, -330_000, 0],
      GTModelTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 3857,
    });
    const plain = join(dir, 'plain.tif');
    // A TIFF with no GeoKeys at all: a georeferenced one with its GeoKeyDirectory stripped.
    writeFileSync(
      plain,
      Buffer.from(
        writeArrayBuffer(new Uint16Array([1, 2, 3, 4]), {
          height: 2,
          width: 2,
          GeoKeyDirectory: [1, 1, 0, 0],
        } as never),
      ),
    );
    writeFileSync(join(dir, 'none.ndjson'), '');
    writeFileSync(join(dir, 'one.ndjson'), '{"id":"A1","lon":29.4,"lat":-3.4,"radius_m":5000}\n');
    for (const [raster, message] of [
      [
        projected,
        /projected\.tif: the raster is not in a geographic CRS \(GTModelType 1, EPSG:3857\); reproject it to EPSG:4326/,
      ],
      [plain, /plain\.tif: the raster has no georeferencing/],
      [join(dir, 'one.ndjson'), /one\.ndjson: not a readable GeoTIFF/],
    ] as const) {
      const out = join(dir, 'never.ndjson');
      const r = await runCivitas(
        [
          'screen',
          '--objects',
          join(dir, 'none.ndjson'),
          '--actions',
          join(dir, 'one.ndjson'),
          '--out',
          out,
          '--population',
          raster,
        ],
        { keyFile: join(dir, 'unused.key') },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
