import { Classification, type Releasability } from '../taxonomy/index.js';
import type { Compartment } from './role.js';

/**
 * What decides whether someone may see a record: their clearance, the organisations whose
 * releases they may see, and their compartments. NATO staff (`NATO` among organisations) see
 * records of any releasability up to their clearance; a partner sees only records released to
 * their organisation (or to the public).
 */
export interface Viewer {
  readonly clearance: Classification;
  readonly organisations: readonly Releasability[];
  readonly compartments: readonly Compartment[];
}

/** A viewer that sees everything: the CLI acting on the server, and system jobs. */
export const UNRESTRICTED_VIEWER: Viewer = {
  clearance: 'CTS',
  organisations: ['NATO'],
  compartments: ['CRSV', 'CHILD-IDENTITY'],
};

/** The classification levels a viewer may see, lowest first. */
export function visibleLevels(viewer: Viewer): Classification[] {
  const max = Classification.get(viewer.clearance).order;
  return Classification.entries.filter((e) => e.order <= max).map((e) => e.code);
}

/**
 * True when the viewer may see a record with this marking and compartment. The same rule runs
 * inside the SQL of every list (store/access-filter.ts) so lists and direct reads agree.
 *
 * @example
 * canSee({ clearance: 'NR', organisations: ['UN'], compartments: [] },
 *        { classification: 'NU', releasability: ['UN'] }, null); // true
 */
export function canSee(
  viewer: Viewer,
  marking: { classification: Classification; releasability: readonly Releasability[] },
  compartment: Compartment | null,
): boolean {
  if (!visibleLevels(viewer).includes(marking.classification)) return false;
  if (compartment !== null && !viewer.compartments.includes(compartment)) return false;
  if (viewer.organisations.includes('NATO')) return true;
  return (
    marking.releasability.includes('PUBLIC') ||
    viewer.organisations.some((org) => marking.releasability.includes(org))
  );
}

/** Small counts outside a compartment are shown as "<5" so nobody can single out a case. */
export function suppressSmallCount(n: number): number | '<5' {
  return n > 0 && n < 5 ? '<5' : n;
}
