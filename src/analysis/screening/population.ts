/**
 * Exposed population: the sum over the cells of a lon/lat population raster of cell value × the
 * fraction of the cell's area inside the effect circle (a spherical cap on the Civitas sphere).
 *
 * People are assumed spread evenly over each cell's area on the sphere; nothing else is assumed.
 * A cell's fraction is computed from the area integral over the cell's latitude range,
 *
 *   fraction = ∫ L(u) du / ((λ2 − λ1)(u2 − u1)),  u = sin φ,
 *
 * where L(u) is the length of longitude inside both the cell and the cap at latitude asin u
 * (cap half-width w: cos w = (cos δ − u sin φ0) / (cos φ cos φ0)). The integral is split where
 * L changes form (the cap's northern and southern edges, where the cap boundary crosses the
 * cell's meridians, where a whole parallel falls inside) and each piece is integrated with
 * 48-point Gauss–Legendre after the substitution u = a + (b − a)(3s² − 2s³), which smooths the
 * square-root behaviour of w at the cap's edges; w itself comes from the haversine formula
 * solved for Δλ, which keeps its digits for small circles. Cells wholly inside (all four corners inside a
 * cap of less than a hemisphere) count fully without integration; cells outside the cap's
 * lon/lat bounds count zero. Tests check the fractions against the exact area of the cap (sum
 * over a grid covering it) to a relative 1e-9.
 */
import { EARTH_RADIUS_M, haversineMetres, sphericalCapBounds } from '../../geo/index.js';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** A north-up raster grid in longitude/latitude degrees (no rotation). */
export interface LonLatGrid {
  /** Longitude of the western edge of column 0, and latitude of the northern edge of row 0. */
  readonly west: number;
  readonly north: number;
  /** Cell size in degrees (both positive: columns go east, rows go south). */
  readonly cellWidth: number;
  readonly cellHeight: number;
  readonly width: number;
  readonly height: number;
}

/** A block of a grid's cells: columns x0..x1−1, rows y0..y1−1. */
export interface GridWindow {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The exposure estimate of one circle. */
export interface Exposure {
  /** Σ value × area fraction inside the circle. */
  readonly best: number;
  /** Σ value of the cells wholly inside (a lower bound if people may be anywhere in a cell). */
  readonly low: number;
  /** Σ value of every cell the circle touches (an upper bound, likewise). */
  readonly high: number;
  /** Whether part of the circle lies outside the raster (those people are not counted). */
  readonly clipped: boolean;
}

/**
 * Gauss–Legendre nodes and weights on [−1, 1] for `n` points (Newton's method on the Legendre
 * polynomial, as in Numerical Recipes `gauleg`), computed once rather than typed in.
 */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i += 1) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration += 1) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j += 1) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      derivative = (n * (z * p1 - p2)) / (z * z - 1);
      const previous = z;
      z = previous - p1 / derivative;
      if (Math.abs(z - previous) < 1e-15) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * derivative * derivative);
    w[n - 1 - i] = w[i] as number;
  }
  return { x, w };
}

const GL = gaussLegendre(48);

/**
 * The fraction (0..1) of the area of the cell [west, east] × [south, north] (degrees) inside the
 * spherical cap of `radiusMetres` around (lon, lat); see the module comment.
 *
 * @example
 * capCellFraction(30, 0, 1e9, 29.99, -0.01, 30.01, 0.01); // 1
 * capCellFraction(30, 0, 500, 30, 0, 30.0083, 0.0083); // ≈ 0.25 × π·500² / cell area
 */
export function capCellFraction(
  lon: number,
  lat: number,
  radiusMetres: number,
  west: number,
  south: number,
  east: number,
  north: number,
): number {
  const delta = radiusMetres / EARTH_RADIUS_M;
  if (delta >= Math.PI) return 1;
  if (delta <= 0) return 0;
  const phi0 = lat * RAD;
  const sin0 = Math.sin(phi0);
  const cos0 = Math.cos(phi0);
  const cosDelta = Math.cos(delta);
  const u1 = Math.sin(south * RAD);
  const u2 = Math.sin(north * RAD);
  const width = east - west;
  if (!(u2 > u1) || !(width > 0)) return 0;
  // Longitudes relative to the centre, the cell's centre put within ±180 of it.
  let mid = (west + east) / 2 - lon;
  mid -= 360 * Math.round(mid / 360);
  const a1 = mid - width / 2;
  const a2 = mid + width / 2;

  const havDelta = Math.sin(delta / 2) ** 2;
  /** Longitude (degrees) of the cell inside the cap at u = sin φ. */
  const inside = (u: number): number => {
    const phi = Math.asin(Math.max(-1, Math.min(1, u)));
    const denominator = Math.cos(phi) * cos0;
    let w: number;
    if (denominator < 1e-15) {
      // At a pole (of the centre or of the parallel): the parallel is all in or all out.
      w = Math.abs(phi - phi0) <= delta ? 180 : 0;
    } else {
      // The cap's half-width by the haversine formula solved for Δλ, well conditioned for small
      // caps: hav w = (hav δ − hav(φ − φ0)) / (cos φ cos φ0).
      const hav = (havDelta - Math.sin((phi - phi0) / 2) ** 2) / denominator;
      w = hav <= 0 ? 0 : hav >= 1 ? 180 : 2 * Math.asin(Math.sqrt(hav)) * DEG;
    }
    if (w >= 180) return width;
    if (w <= 0) return 0;
    let total = 0;
    for (let k = -1; k <= 1; k += 1) {
      const lo = Math.max(a1, -w + 360 * k);
      const hi = Math.min(a2, w + 360 * k);
      if (hi > lo) total += hi - lo;
    }
    return Math.min(width, total);
  };

  // Where L(u) changes form.
  const breaks = [u1, u2];
  const addBreak = (u: number): void => {
    if (u > u1 && u < u2) breaks.push(u);
  };
  addBreak(Math.sin(Math.max(-Math.PI / 2, phi0 - delta)));
  addBreak(Math.sin(Math.min(Math.PI / 2, phi0 + delta)));
  // Where the cap boundary meets a meridian at Δλ from the centre (cos w = K), and where a
  // whole parallel becomes inside (K = −1): (a² + b²)u² − 2ac·u + c² − b² = 0.
  for (const dl of [a1, a2, 180]) {
    const b = Math.cos(dl * RAD) * cos0;
    const sinCross = Math.sin(dl * RAD) * cos0;
    // a² + b² and a² + b² − c², written without cancellation for small caps.
    const q = 1 - sinCross * sinCross;
    const disc = Math.sin(delta) ** 2 - sinCross * sinCross;
    if (q <= 0 || disc < 0) continue;
    const root = Math.abs(b) * Math.sqrt(disc);
    addBreak((sin0 * cosDelta + root) / q);
    addBreak((sin0 * cosDelta - root) / q);
  }
  breaks.sort((x, y) => x - y);

  let integral = 0;
  for (let i = 0; i + 1 < breaks.length; i += 1) {
    const a = breaks[i] as number;
    const b = breaks[i + 1] as number;
    const h = b - a;
    if (!(h > 0)) continue;
    let piece = 0;
    for (let j = 0; j < GL.x.length; j += 1) {
      const s = (1 + (GL.x[j] as number)) / 2;
      const u = a + h * (3 * s * s - 2 * s * s * s);
      piece += (GL.w[j] as number) * inside(u) * 6 * s * (1 - s);
    }
    integral += (piece / 2) * h;
  }
  return Math.max(0, Math.min(1, integral / (width * (u2 - u1))));
}

/**
 * The exposure of the circle of `radiusMetres` around (lon, lat) on a population grid whose
 * window `window` is given as `values` (row-major, window width), ignoring cells equal to
 * `nodata`, NaN or negative. Cells of the grid outside the window count nothing; `clipped` says
 * whether the circle reaches beyond the grid.
 *
 * @example
 * const e = capExposure(grid, window, values, 65535, 29.36, -3.38, 5000);
 * e.best; // people in the circle, area-weighted
 */
export function capExposure(
  grid: LonLatGrid,
  window: GridWindow,
  values: ArrayLike<number>,
  nodata: number | null,
  lon: number,
  lat: number,
  radiusMetres: number,
): Exposure {
  const cells = capWindow(grid, lon, lat, radiusMetres);
  let best = 0;
  let low = 0;
  let high = 0;
  const windowWidth = window.x1 - window.x0;
  const global = Math.abs(grid.width * grid.cellWidth - 360) < 1e-9;
  const hemisphere = radiusMetres / EARTH_RADIUS_M < Math.PI / 2;
  for (let y = cells.y0; y < cells.y1; y += 1) {
    if (y < window.y0 || y >= window.y1) continue;
    const north = grid.north - y * grid.cellHeight;
    const south = north - grid.cellHeight;
    for (let xx = cells.x0; xx < cells.x1; xx += 1) {
      const x = global ? ((xx % grid.width) + grid.width) % grid.width : xx;
      if (x < window.x0 || x >= window.x1) continue;
      const value = values[(y - window.y0) * windowWidth + (x - window.x0)] as number;
      if (!(value > 0) || value === nodata) continue;
      const west = grid.west + xx * grid.cellWidth;
      const east = west + grid.cellWidth;
      const corners =
        hemisphere &&
        haversineMetres(lon, lat, west, north) <= radiusMetres &&
        haversineMetres(lon, lat, east, north) <= radiusMetres &&
        haversineMetres(lon, lat, west, south) <= radiusMetres &&
        haversineMetres(lon, lat, east, south) <= radiusMetres;
      const fraction = corners
        ? 1
        : capCellFraction(lon, lat, radiusMetres, west, south, east, north);
      if (fraction <= 0) continue;
      best += value * fraction;
      high += value;
      if (fraction >= 1) low += value;
    }
  }
  const full = capWindow(grid, lon, lat, radiusMetres, false);
  const clipped =
    full.y0 < 0 || full.y1 > grid.height || (!global && (full.x0 < 0 || full.x1 > grid.width));
  return { best, low, high, clipped };
}

/**
 * The grid cells a circle may touch: rows clipped to the grid; columns unwrapped (they may run
 * past either edge of a global grid, to be taken modulo the width) and clipped for a regional
 * grid. With `clip` false, nothing is clipped (to tell whether the circle leaves the grid).
 *
 * @example
 * capWindow(grid, 29.36, -3.38, 5000); // { x0, y0, x1, y1 }
 */
export function capWindow(
  grid: LonLatGrid,
  lon: number,
  lat: number,
  radiusMetres: number,
  clip = true,
): GridWindow {
  const bounds = sphericalCapBounds(lat, radiusMetres);
  let y0 = Math.floor((grid.north - bounds.latMax) / grid.cellHeight);
  let y1 = Math.ceil((grid.north - bounds.latMin) / grid.cellHeight);
  let x0: number;
  let x1: number;
  const global = Math.abs(grid.width * grid.cellWidth - 360) < 1e-9;
  if (bounds.lonHalfWidth >= 180) {
    x0 = 0;
    x1 = global ? grid.width : Math.ceil(360 / grid.cellWidth);
    if (!global) {
      x0 = Math.floor((-180 - grid.west) / grid.cellWidth);
      x1 = Math.ceil((180 - grid.west) / grid.cellWidth);
    }
  } else {
    // A regional grid east of the antimeridian sees a circle west of it at lon + 360, and so on.
    let centre = lon;
    if (!global) {
      const gridMid = grid.west + (grid.width * grid.cellWidth) / 2;
      centre -= 360 * Math.round((centre - gridMid) / 360);
    }
    x0 = Math.floor((centre - bounds.lonHalfWidth - grid.west) / grid.cellWidth);
    x1 = Math.ceil((centre + bounds.lonHalfWidth - grid.west) / grid.cellWidth);
  }
  if (!clip) return { x0, y0, x1, y1 };
  y0 = Math.max(0, y0);
  y1 = Math.min(grid.height, y1);
  if (!global) {
    x0 = Math.max(0, x0);
    x1 = Math.min(grid.width, x1);
  }
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}
