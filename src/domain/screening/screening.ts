import type {
  ListKind,
  ObjectCategory,
  ProtectedGeometry,
  ProtectionBasis,
} from '../protected-object/protected-object.js';
import type { Marking } from '../taxonomy/index.js';

/** An effect-class code: capital letters, digits, `_` and `-`, 1–32 characters. */
export const EFFECT_CLASS_CODE = /^[A-Z0-9_-]{1,32}$/;
/** Largest effect radius accepted, in metres (100 km). */
export const EFFECT_RADIUS_MAX_METRES = 100_000;
/** Most aimpoints one screening may hold. */
export const AIMPOINTS_MAX = 100_000;
/** Population above which an aimpoint is flagged, unless the screening sets its own. */
export const DEFAULT_POPULATION_THRESHOLD = 100;

/**
 * A named effect radius for a deployment (e.g. `MEDIUM`, 100 m): planners give an aimpoint a
 * class instead of a number. Classes are data, set per deployment; the seeded ones are
 * illustrative only.
 *
 * @example
 * const medium: EffectClass = { code: 'MEDIUM', label: 'Medium', radiusMetres: 100, description: null, updatedAt, updatedBy };
 */
export interface EffectClass {
  readonly code: string;
  readonly label: string;
  readonly radiusMetres: number;
  readonly description: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * A planned aimpoint as the planner gave it, after parsing: a position, the effect radius and,
 * when the radius came from one, the effect class; `input` is the position as written.
 *
 * @example
 * { id: 'AP-1', lon: 30.52, lat: 50.45, radius_m: 100, effect_class: 'MEDIUM', input: '50.45N 30.52E' }
 */
export interface Aimpoint {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly radius_m: number;
  readonly effect_class?: string;
  readonly label?: string;
  readonly input: string;
}

/**
 * Stable flag codes of a screened aimpoint (docs/screening.md says how to read each).
 *
 * @example
 * const flag: FlagCode = 'NSL_INSIDE';
 */
export const FLAG_CODES = [
  'NSL_INSIDE',
  'RTL_RESTRICTION',
  'ENHANCED_PROTECTION_INSIDE',
  'SCHOOL_INSIDE',
  'HOSPITAL_INSIDE',
  'CULTURAL_INSIDE',
  'POPULATION_ABOVE_THRESHOLD',
  'WITHHELD_INSIDE',
  'NO_HITS',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** One protected object inside one aimpoint's effect radius plus the object's buffer. */
export interface ScreeningHit {
  readonly object_id: string;
  readonly name: string;
  readonly category: ObjectCategory;
  readonly list: ListKind | null;
  readonly restriction: string | null;
  readonly protection: ProtectionBasis;
  readonly distance_m: number;
  readonly buffer_m: number;
  readonly marking: Marking;
  /**
   * Where the object was in what was screened (its point, or its centroid for lines and areas),
   * [lon, lat]: the released position for a release, which may differ from today's register.
   * Absent in screenings saved before positions were kept.
   */
  readonly position?: [number, number];
}

/** One screened aimpoint: where, its hits, its flags and the exposed population. */
export interface ScreenedAimpoint {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** 1 m MGRS of the aimpoint, or null in the polar regions MGRS does not cover. */
  readonly mgrs: string | null;
  readonly radius_m: number;
  readonly effect_class: string | null;
  readonly label: string | null;
  readonly input: string;
  readonly flags: readonly FlagCode[];
  readonly withheld_hits: number;
  readonly population: { readonly best: number } | null;
  readonly hits: readonly ScreeningHit[];
}

/**
 * A protected object as screening needs it: its centroid, its geometry when it is not a point
 * (screened by the distance to its nearest point), its buffer and what a hit reports about it.
 * Read from the register or from a release's frozen items.
 */
export interface ScreenableObject {
  readonly id: string;
  /** The line or area of a non-point object; absent for points (screened at lon/lat). */
  readonly geometry?: ProtectedGeometry;
  readonly lon: number;
  readonly lat: number;
  readonly bufferMetres: number;
  readonly name: string;
  readonly category: ObjectCategory;
  readonly list: ListKind | null;
  readonly restriction: string | null;
  readonly protection: ProtectionBasis;
  readonly marking: Marking;
}

/** A saved screening without its result: what lists show. */
export interface ScreeningHeader {
  readonly id: string;
  readonly title: string;
  readonly planReference: string | null;
  /** The release screened against, or null for the current register. */
  readonly release: {
    readonly id: string;
    readonly number: number;
    readonly status: string;
  } | null;
  readonly createdAt: string;
  readonly createdBy: string;
  /** The record's marking: the one asked for, raised to cover every hit its author could see. */
  readonly marking: Marking;
  readonly populationThreshold: number;
  readonly aimpointCount: number;
  /** Aimpoints with a flag other than NO_HITS, in the full result. */
  readonly flaggedCount: number;
  /** The combined marking of every hit: a reader who may see it sees the full result. */
  readonly hitsMarking: Marking;
  /** SHA-256 (hex) of the canonical JSON of the full result. */
  readonly resultDigest: string;
}

/**
 * A saved screening: who ran it, when, against which list, and the full result (every hit,
 * whatever its marking) with its SHA-256 digest. Readers get a view filtered to their access.
 */
export interface Screening extends ScreeningHeader {
  readonly aimpoints: readonly ScreenedAimpoint[];
}

/** Protection bases that earn the ENHANCED_PROTECTION_INSIDE flag. */
const ENHANCED: readonly ProtectionBasis[] = ['hague-enhanced', 'hague-special'];

/**
 * The flags of an aimpoint from the hits a reader may see, the number withheld from them and
 * its population, in {@link FLAG_CODES} order. `NO_HITS` only when nothing at all (seen or
 * withheld) lies inside.
 *
 * @example
 * aimpointFlags([{ list: 'NSL', category: 'medical', protection: 'geneva-medical' }], 0, null, 100);
 * // ['NSL_INSIDE', 'HOSPITAL_INSIDE']
 */
export function aimpointFlags(
  hits: readonly Pick<ScreeningHit, 'list' | 'category' | 'protection'>[],
  withheld: number,
  population: { best: number } | null,
  populationThreshold: number,
): FlagCode[] {
  const flags = new Set<FlagCode>();
  for (const h of hits) {
    if (h.list === 'NSL') flags.add('NSL_INSIDE');
    if (h.list === 'RTL') flags.add('RTL_RESTRICTION');
    if (ENHANCED.includes(h.protection)) flags.add('ENHANCED_PROTECTION_INSIDE');
    if (h.category === 'education') flags.add('SCHOOL_INSIDE');
    if (h.category === 'medical') flags.add('HOSPITAL_INSIDE');
    if (h.category === 'cultural') flags.add('CULTURAL_INSIDE');
  }
  if (population && population.best > populationThreshold) flags.add('POPULATION_ABOVE_THRESHOLD');
  if (withheld > 0) flags.add('WITHHELD_INSIDE');
  if (hits.length === 0 && withheld === 0) flags.add('NO_HITS');
  return FLAG_CODES.filter((f) => flags.has(f));
}

/** True when an aimpoint carries a flag that asks for review (anything but NO_HITS). */
export function isFlagged(flags: readonly FlagCode[]): boolean {
  return flags.some((f) => f !== 'NO_HITS');
}
