import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { BBox } from '../../geo/index.js';
import type { Marking } from '../taxonomy/index.js';

/**
 * An area of operations (AO): the ground a headquarters is responsible for, and the frame for its
 * human-environment analysis. Exercise areas carry `exercise: true` so nobody mistakes a scenario
 * for reality.
 *
 * @example
 * const ao: Area = { id, name: 'EXERCISE UBANGI SHIELD', exercise: true, ... };
 */
export interface Area {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly exercise: boolean;
  readonly marking: Marking;
  readonly source: string;
  readonly outline: Polygon | MultiPolygon;
  readonly bbox: BBox;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A region of an AO (an administrative unit or a planning sector) used to organise analysis. */
export interface Region {
  readonly id: string;
  readonly areaId: string;
  readonly name: string;
  readonly code: string;
  readonly source: string;
  readonly geometry: Polygon | MultiPolygon;
}

/** The size class of a populated place, from its population. */
export type PlaceKind = 'city' | 'town' | 'village';

/** A populated place (GeoNames or a national gazetteer) within an AO. */
export interface Place {
  readonly id: string;
  readonly areaId: string;
  readonly name: string;
  readonly kind: PlaceKind;
  readonly population: number;
  readonly adminCode: string | null;
  readonly source: string;
  readonly geometry: Point;
}

/** An own-force position shown with its APP-6 symbol (SIDC). */
export interface Unit {
  readonly id: string;
  readonly areaId: string;
  readonly name: string;
  readonly sidc: string;
  readonly role: string;
  readonly geometry: Point;
}

/** Counts of what an AO holds, for its summary. */
export interface AreaCounts {
  readonly regionCount: number;
  readonly placeCount: number;
  readonly unitCount: number;
}

/**
 * The size class of a place: a city from 100,000 people, a town from 10,000, else a village.
 *
 * @example
 * placeKindOf(889_231); // 'city'
 */
export function placeKindOf(population: number): PlaceKind {
  if (population >= 100_000) return 'city';
  if (population >= 10_000) return 'town';
  return 'village';
}
