/**
 * Reading a population GeoTIFF (e.g. WorldPop) with the `geotiff` library and estimating each
 * action's exposed population with `capExposure` (area-weighted cells, see
 * src/analysis/screening/population.ts). Only the cells under the actions' circles are read.
 */
import {
  capExposure,
  capWindow,
  type Exposure,
  type GridWindow,
  type LonLatGrid,
} from '../../analysis/screening/population.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';

/** Read the union of the circles' windows at once when it is no larger than this many cells. */
const MAX_UNION_CELLS = 16_000_000;

/** Where the actions are, as the raster needs them. */
export interface CircleColumns {
  readonly lon: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  readonly radius: ArrayLike<number>;
}

interface RasterImage {
  getGeoKeys(): Record<string, unknown> | null;
  getWidth(): number;
  getHeight(): number;
  getOrigin(): number[];
  getResolution(): number[];
  getGDALNoData(): number | null;
  pixelIsArea(): boolean;
  getFileDirectory(): { hasTag(tag: string): boolean; getValue(tag: string): unknown };
  readRasters(options: { window: number[]; samples: number[] }): Promise<ArrayLike<number>[]>;
}

function rasterError(path: string, message: string): CivitasError {
  return new CivitasError('validation_failed', `${path}: ${message}`);
}

/**
 * The grid of a GeoTIFF image, checking that it is georeferenced in a geographic CRS
 * (longitude/latitude degrees), north-up and unrotated.
 */
function gridOf(path: string, image: RasterImage): LonLatGrid {
  const keys = image.getGeoKeys();
  if (!keys || keys.GTModelTypeGeoKey === undefined) {
    throw rasterError(
      path,
      'the raster has no georeferencing (no GeoTIFF GeoKeys); a population raster must be in a geographic CRS such as EPSG:4326',
    );
  }
  if (keys.GTModelTypeGeoKey !== 2) {
    const code = keys.ProjectedCSTypeGeoKey ?? keys.ProjectedCRSGeoKey;
    throw rasterError(
      path,
      `the raster is not in a geographic CRS (GTModelType ${String(keys.GTModelTypeGeoKey)}${code ? `, EPSG:${String(code)}` : ''}); reproject it to EPSG:4326 first (e.g. gdalwarp -t_srs EPSG:4326)`,
    );
  }
  const directory = image.getFileDirectory();
  if (directory.hasTag('ModelTransformation')) {
    const m = directory.getValue('ModelTransformation') as number[];
    if ((m[1] ?? 0) !== 0 || (m[4] ?? 0) !== 0) {
      throw rasterError(path, 'the raster is rotated; warp it to a north-up grid first');
    }
  }
  const [originX, originY] = image.getOrigin() as [number, number];
  const [resX, resY] = image.getResolution() as [number, number];
  if (!(resX > 0) || !(resY < 0)) {
    throw rasterError(
      path,
      'the raster is not a north-up grid (expected positive x and negative y resolution)',
    );
  }
  // GDAL's convention: with PixelIsPoint the tie point is the centre of the first cell.
  const half = image.pixelIsArea() ? 0 : 0.5;
  const grid: LonLatGrid = {
    west: originX - half * resX,
    north: originY + half * -resY,
    cellWidth: resX,
    cellHeight: -resY,
    width: image.getWidth(),
    height: image.getHeight(),
  };
  if (grid.north > 90 + 1e-6 || grid.north - grid.height * grid.cellHeight < -90 - 1e-6) {
    throw rasterError(path, 'the raster extends beyond ±90° latitude: is it really in degrees?');
  }
  return grid;
}

/** A population raster opened for reading: its grid, nodata value and a window reader. */
export interface PopulationRaster {
  readonly grid: LonLatGrid;
  readonly nodata: number | null;
  /** The first band's values in a window, row-major. */
  read(window: GridWindow): Promise<ArrayLike<number>>;
  close(): Promise<void>;
}

/**
 * Opens a GeoTIFF population raster and checks its georeferencing (geographic CRS, north-up,
 * unrotated); throws a CivitasError naming the file otherwise.
 *
 * @example
 * const raster = await openPopulationRaster('worldpop.tif');
 * const values = await raster.read({ x0: 0, y0: 0, x1: raster.grid.width, y1: raster.grid.height });
 */
export async function openPopulationRaster(path: string): Promise<PopulationRaster> {
  const { fromFile } = await import('geotiff');
  let tiff: Awaited<ReturnType<typeof fromFile>>;
  let image: RasterImage;
  try {
    tiff = await fromFile(path);
    image = (await tiff.getImage(0)) as unknown as RasterImage;
  } catch (error) {
    throw rasterError(path, `not a readable GeoTIFF (${(error as Error).message})`);
  }
  const close = async (): Promise<void> => {
    await (tiff as { close?: () => Promise<void> }).close?.();
  };
  try {
    const grid = gridOf(path, image);
    return {
      grid,
      nodata: image.getGDALNoData(),
      read: async (w) => {
        const bands = await image.readRasters({ window: [w.x0, w.y0, w.x1, w.y1], samples: [0] });
        return bands[0] as ArrayLike<number>;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The area-weighted exposed population (`best`) of each circle on the GeoTIFF raster at `path`
 * (first band; nodata, NaN and negative cells count nothing).
 *
 * @example
 * const best = await populationForActions('worldpop.tif', actions); // Float64Array, one per action
 */
export async function populationForActions(
  path: string,
  circles: CircleColumns,
): Promise<Float64Array> {
  const exposures = await exposuresForCircles(path, circles);
  return Float64Array.from(exposures, (e) => e.best);
}

/**
 * {@link populationForActions} with the low/high bounds and whether each circle leaves the
 * raster. The union of the circles' windows is read at once when small enough, else each
 * circle's window on its own, so memory stays bounded whatever the raster's size.
 *
 * @example
 * const [e] = await exposuresForCircles('worldpop.tif', { lon: [29.36], lat: [-3.38], radius: [5000] });
 * // e.low ≤ e.best ≤ e.high
 */
export async function exposuresForCircles(
  path: string,
  circles: CircleColumns,
): Promise<Exposure[]> {
  const raster = await openPopulationRaster(path);
  try {
    const { grid, nodata } = raster;
    const n = circles.lon.length;
    const windows: GridWindow[] = [];
    const global = Math.abs(grid.width * grid.cellWidth - 360) < 1e-9;
    let union: GridWindow | undefined;
    for (let i = 0; i < n; i += 1) {
      let w = capWindow(
        grid,
        circles.lon[i] as number,
        circles.lat[i] as number,
        circles.radius[i] as number,
      );
      if (global && (w.x0 < 0 || w.x1 > grid.width)) w = { ...w, x0: 0, x1: grid.width };
      windows.push(w);
      if (w.x1 > w.x0 && w.y1 > w.y0) {
        union = union
          ? {
              x0: Math.min(union.x0, w.x0),
              y0: Math.min(union.y0, w.y0),
              x1: Math.max(union.x1, w.x1),
              y1: Math.max(union.y1, w.y1),
            }
          : w;
      }
    }
    const exposure = (w: GridWindow, values: ArrayLike<number>, i: number): Exposure =>
      capExposure(
        grid,
        w,
        values,
        nodata,
        circles.lon[i] as number,
        circles.lat[i] as number,
        circles.radius[i] as number,
      );
    const result: Exposure[] = [];
    if (union && (union.x1 - union.x0) * (union.y1 - union.y0) <= MAX_UNION_CELLS) {
      const values = await raster.read(union);
      for (let i = 0; i < n; i += 1) result.push(exposure(union, values, i));
    } else {
      for (let i = 0; i < n; i += 1) {
        const w = windows[i] as GridWindow;
        if (!(w.x1 > w.x0 && w.y1 > w.y0)) {
          result.push({ best: 0, low: 0, high: 0, clipped: true });
          continue;
        }
        result.push(exposure(w, await raster.read(w), i));
      }
    }
    return result;
  } finally {
    await raster.close();
  }
}
