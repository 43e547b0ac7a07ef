/**
 * Civitas's code lists: the one source of truth for the codes that records carry, used by the
 * API, the CLI and the web app. Pure data and zod schemas: no I/O, so the browser can import
 * it too.
 *
 * @example
 * import { TAXONOMIES, formatMarking, crossCuttingTopicSchema } from '../domain/taxonomy/index.js';
 */
import { AscopeCategory } from './ascope.js';
import { BaselineRequirement } from './baseline-requirement.js';
import { Classification } from './classification.js';
import type { AnyCodeList } from './code-list.js';
import { CrossCuttingTopic } from './cross-cutting-topic.js';
import { DatePrecision } from './date-precision.js';
import { GraveViolation } from './grave-violation.js';
import { LocationPrecision } from './location-precision.js';
import { PmesiiDomain } from './pmesii.js';
import { PocFrameworkElement } from './poc-framework.js';
import { PopulationConduct } from './population-conduct.js';
import {
  AgeGroup,
  DisabilityStatus,
  DisplacementStatus,
  Sex,
} from './population-disaggregation.js';
import { Releasability } from './releasability.js';

export * from './ascope.js';
export * from './baseline-requirement.js';
export * from './classification.js';
export * from './code-list.js';
export * from './cross-cutting-topic.js';
export * from './date-precision.js';
export * from './grave-violation.js';
export * from './location-precision.js';
export * from './marking.js';
export * from './pmesii.js';
export * from './poc-framework.js';
export * from './population-conduct.js';
export * from './population-disaggregation.js';
export * from './releasability.js';

/**
 * Every code list by name, in the order a reader meets them in the domain primer. Each key is
 * the list's own `name`; `GET /api/taxonomies` sends each list's entries under that name.
 * Each list also serialises itself, so `JSON.stringify(TAXONOMIES)` gives
 * `{ [name]: { name, entries } }` with no functions or schemas in it.
 *
 * @example
 * TAXONOMIES.classification.label('NS'); // 'NATO SECRET'
 * Object.keys(TAXONOMIES); // ['crossCuttingTopic', 'pocFrameworkElement', …]
 */
export const TAXONOMIES = Object.freeze({
  crossCuttingTopic: CrossCuttingTopic,
  pocFrameworkElement: PocFrameworkElement,
  pmesiiDomain: PmesiiDomain,
  ascopeCategory: AscopeCategory,
  sex: Sex,
  ageGroup: AgeGroup,
  disabilityStatus: DisabilityStatus,
  displacementStatus: DisplacementStatus,
  populationConduct: PopulationConduct,
  baselineRequirement: BaselineRequirement,
  locationPrecision: LocationPrecision,
  datePrecision: DatePrecision,
  graveViolation: GraveViolation,
  classification: Classification,
  releasability: Releasability,
} as const satisfies Record<string, AnyCodeList>);

/**
 * The shape of {@link TAXONOMIES}: list name → code list.
 *
 * @example
 * function labelOf<N extends TaxonomyName>(name: N, code: CodeOf<Taxonomies[N]>) { … }
 */
export type Taxonomies = typeof TAXONOMIES;

/**
 * The name of a code list, a key of {@link TAXONOMIES}.
 *
 * @example
 * const name: TaxonomyName = 'graveViolation';
 */
export type TaxonomyName = keyof Taxonomies;

/**
 * Whether a string names a code list, e.g. a `:name` route parameter.
 *
 * @example
 * isTaxonomyName('classification'); // true
 * isTaxonomyName('toString'); // false
 */
export function isTaxonomyName(value: unknown): value is TaxonomyName {
  return typeof value === 'string' && Object.hasOwn(TAXONOMIES, value);
}
