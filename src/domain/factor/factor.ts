import type {
  AscopeCategory,
  CrossCuttingTopic,
  Marking,
  PmesiiDomain,
} from '../taxonomy/index.js';
import type { Compartment } from '../access/role.js';

/**
 * A human security factor: one entry in the PMESII × ASCOPE analysis of an area (a threat to
 * civilians, a vulnerable group, a service at risk). `summary` is the releasable text; `details`
 * is the confidential account, encrypted at rest. A factor in a compartment (e.g. CRSV) does not
 * exist for anyone outside it.
 *
 * @example
 * { pmesii: 'SOCIAL', ascope: 'PEOPLE', topics: ['CRSV'], title: 'Risk at water points', compartment: 'CRSV', ... }
 */
export interface Factor {
  readonly id: string;
  readonly areaId: string;
  readonly regionId: string | null;
  readonly pmesii: PmesiiDomain;
  readonly ascope: AscopeCategory;
  readonly topics: readonly CrossCuttingTopic[];
  readonly title: string;
  readonly summary: string;
  readonly details: string;
  readonly marking: Marking;
  readonly compartment: Compartment | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}
