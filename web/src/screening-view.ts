// What the Plan page draws and lists from a screening: the aimpoints' effect rings as true circles
// on the ground (turf), coloured by whether the aimpoint is flagged; the protected objects hit,
// placed where the register has them; the flags as plain words; and the file formats a planner
// may bring. Pure functions, so they are tested without a browser.
import { circle } from '@turf/turf';
import type { Feature, FeatureCollection } from 'geojson';
import type { Aimpoint, ProblemError, ProtectedObject, Screening } from './contract.js';
import type { MessageKey } from './i18n.js';
import { objectFeatures } from './register-data.js';

/** A screened aimpoint as the reader sees it. */
export type ScreenedAimpoint = Screening['aimpoints'][number];

/** A stable flag code of a screened aimpoint. */
export type FlagCode = ScreenedAimpoint['flags'][number];

/** How a ring is drawn: flagged, screened with nothing inside, or not screened yet (a draft). */
export type RingState = 'flagged' | 'clear' | 'draft';

/** Vertices of a drawn ring: smooth at every zoom a ring is read at. */
const ringSteps = 72;
/** Above this many aimpoints, rings get fewer vertices, so a large plan still draws quickly. */
const manyAimpoints = 2000;
const ringStepsMany = 16;

/**
 * Whether an aimpoint needs a reviewer's attention: any flag other than `NO_HITS`.
 *
 * @example isFlagged({ flags: ['NO_HITS'] }); // false
 */
export function isFlagged(aimpoint: { flags: readonly FlagCode[] }): boolean {
  return aimpoint.flags.some((flag) => flag !== 'NO_HITS');
}

/**
 * The effect rings of aimpoints: one polygon per aimpoint (`role: 'ring'`, a geodesic circle of
 * its radius, id = aimpoint id) and one point at its centre (`role: 'centre'`, id = `<id>:centre`),
 * each with the ring's `state`. Draft aimpoints (read, not yet screened) are `draft`.
 *
 * @example ringFeatures(screening.aimpoints).features.length; // 2 per aimpoint
 */
export function ringFeatures(
  aimpoints: readonly (Pick<Aimpoint, 'id' | 'lon' | 'lat' | 'radius_m'> & {
    flags?: readonly FlagCode[];
  })[],
): FeatureCollection {
  const features: Feature[] = [];
  const steps = aimpoints.length > manyAimpoints ? ringStepsMany : ringSteps;
  for (const a of aimpoints) {
    const state: RingState = a.flags
      ? isFlagged({ flags: a.flags })
        ? 'flagged'
        : 'clear'
      : 'draft';
    const properties = { id: a.id, name: a.id, state, radius_m: a.radius_m };
    if (a.radius_m > 0) {
      const ring = circle([a.lon, a.lat], a.radius_m / 1000, {
        steps,
        units: 'kilometers',
      });
      features.push({
        type: 'Feature',
        geometry: ring.geometry,
        properties: { ...properties, role: 'ring' },
      });
    }
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
      properties: { ...properties, id: `${a.id}:centre`, aimpoint: a.id, role: 'centre' },
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * The protected objects a screening hit, as map features for the register's category symbols.
 * Each object once, however many aimpoints hit it. An object is drawn with its register geometry
 * when it is still where it was screened; when it has moved since (a screening against an older
 * release) or is no longer in the register, it is drawn as a point where it was screened. Hits
 * saved without a position fall back to the register, and are left out when it lacks them.
 *
 * @example hitFeatures(screening, register.objects ?? []);
 */
export function hitFeatures(
  screening: Pick<Screening, 'aimpoints'>,
  objects: readonly ProtectedObject[],
): FeatureCollection {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const drawn = new Map<string, Feature>();
  for (const aimpoint of screening.aimpoints) {
    for (const h of aimpoint.hits) {
      if (drawn.has(h.object_id)) continue;
      const object = byId.get(h.object_id);
      const at = h.position;
      if (object && (!at || samePlace(object.centroid, at))) {
        drawn.set(h.object_id, objectFeatures([object]).features[0] as Feature);
      } else if (at) {
        drawn.set(h.object_id, {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [...at] },
          properties: {
            id: h.object_id,
            name: h.name,
            category: h.category,
            list: h.list ?? 'none',
            lon: at[0],
            lat: at[1],
            moved: object ? 'moved' : 'gone',
          },
        });
      }
    }
  }
  return { type: 'FeatureCollection', features: [...drawn.values()] };
}

/** Within a millimetre or so: the same place, whatever rounding the two sides went through. */
function samePlace(a: readonly number[], b: readonly number[]): boolean {
  return (
    Math.abs((a[0] as number) - (b[0] as number)) < 1e-8 &&
    Math.abs((a[1] as number) - (b[1] as number)) < 1e-8
  );
}

/**
 * The message key of a flag's plain-words label.
 *
 * @example t(flagLabelKey('NSL_INSIDE')); // 'No-strike list'
 */
export function flagLabelKey(flag: FlagCode): MessageKey {
  return `flag.${flag}` as MessageKey;
}

/** The planner input formats the server reads. */
export type PlannerFormat = 'auto' | 'csv' | 'geojson' | 'ndjson' | 'text';

/**
 * The input format a file name suggests; `auto` lets the server look at the content.
 *
 * @example plannerFormatOf('targets.geojson'); // 'geojson'
 */
export function plannerFormatOf(name: string): PlannerFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.txt')) return 'text';
  return 'auto';
}

/** Where on the Plan page a path leads. */
export type PlanRoute =
  | { kind: 'new' }
  | { kind: 'list' }
  | { kind: 'screening'; id: string }
  | { kind: 'effect-classes' }
  | { kind: 'unknown' };

/**
 * The part of Plan a path opens.
 *
 * @example planRoute('/plan/screenings/4f2'); // { kind: 'screening', id: '4f2' }
 */
export function planRoute(path: string): PlanRoute {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '/plan') return { kind: 'new' };
  if (trimmed === '/plan/screenings') return { kind: 'list' };
  if (trimmed === '/plan/effect-classes') return { kind: 'effect-classes' };
  const match = /^\/plan\/screenings\/([^/]+)$/.exec(trimmed);
  if (match?.[1]) return { kind: 'screening', id: decodeURIComponent(match[1]) };
  return { kind: 'unknown' };
}

/** One line-level problem of planner input, as the server lists it. */
export interface InputProblem {
  line?: number;
  feature?: number;
  field?: string;
  message: string;
}

/**
 * The line-level problems of a `400 invalid_aimpoints` answer, sorted by line (then feature).
 *
 * @example inputProblems(problem); // [{ line: 3, field: 'position', message: '…' }]
 */
export function inputProblems(errors: readonly ProblemError[]): InputProblem[] {
  return errors
    .map((e) => ({
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.feature !== undefined ? { feature: e.feature } : {}),
      ...(e.field !== undefined ? { field: e.field } : e.path ? { field: e.path } : {}),
      message: e.message,
    }))
    .sort(
      (a, b) =>
        (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
        (a.feature ?? 0) - (b.feature ?? 0),
    );
}

/**
 * An MGRS reference in its groups: zone and band, square, easting, northing.
 *
 * @example spacedMgrs('32TNT3864924237'); // '32T NT 38649 24237'
 */
export function spacedMgrs(mgrs: string): string {
  const match = /^(\d{1,2}[C-X])([A-Z]{2})(\d*)$/.exec(mgrs.replace(/\s+/g, ''));
  if (!match) return mgrs;
  const [, zone = '', square = '', digits = ''] = match;
  const half = digits.length / 2;
  return [zone, square, digits.slice(0, half), digits.slice(half)].filter(Boolean).join(' ');
}
