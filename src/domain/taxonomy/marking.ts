import { z } from 'zod';
import { Classification, classificationSchema } from './classification.js';
import { Releasability, releasabilitySchema } from './releasability.js';

/**
 * Accepts a record's marking: its classification and the audiences it is releasable to.
 *
 * Beyond the shape, it rejects two markings that cannot be meant: the same audience listed
 * twice, and `PUBLIC` on anything above NATO UNCLASSIFIED (classified material cannot be
 * public). An empty `releasability` is valid and means "no release beyond NATO".
 *
 * @example
 * markingSchema.parse({ classification: 'NR', releasability: ['EU', 'UN'] });
 * markingSchema.safeParse({ classification: 'NS', releasability: ['PUBLIC'] }).success; // false
 */
export const markingSchema = z
  .object({
    classification: classificationSchema,
    releasability: z.array(releasabilitySchema),
  })
  .strict()
  .superRefine((marking, ctx) => {
    const seen = new Set<string>();
    marking.releasability.forEach((code, index) => {
      if (seen.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['releasability', index],
          message: `${code} is listed twice: list each audience once.`,
        });
      }
      seen.add(code);
      if (code === 'PUBLIC' && marking.classification !== 'NU') {
        ctx.addIssue({
          code: 'custom',
          path: ['releasability', index],
          message: `PUBLIC release is possible only for NATO UNCLASSIFIED, not ${Classification.label(marking.classification)}: remove PUBLIC or mark the record NU.`,
        });
      }
    });
  });

/**
 * A record's marking, as {@link markingSchema} parses it.
 *
 * @example
 * const marking: Marking = { classification: 'NU', releasability: ['EU', 'UN'] };
 */
export type Marking = z.infer<typeof markingSchema>;

/**
 * A marking as functions read it: any object with a classification and a (possibly
 * read-only) releasability list. Every {@link Marking} is one.
 *
 * @example
 * const frozen: ReadonlyMarking = Object.freeze({ classification: 'NS', releasability: [] as const });
 */
export interface ReadonlyMarking {
  readonly classification: Classification;
  readonly releasability: readonly Releasability[];
}

/**
 * Orders two classifications by rank, as a sort comparator: negative when `a` is lower,
 * zero when equal, positive when `a` is higher.
 *
 * @example
 * compareClassification('NU', 'NS') < 0; // true
 * (['NS', 'NU', 'CTS'] as const).toSorted(compareClassification); // ['NU', 'NS', 'CTS']
 */
export function compareClassification(a: Classification, b: Classification): number {
  return Classification.get(a).order - Classification.get(b).order;
}

/**
 * The highest of some classifications. With none it returns NATO UNCLASSIFIED: an empty page
 * holds nothing classified.
 *
 * @example
 * highestClassification(['NR', 'NS', 'NU']); // 'NS'
 * highestClassification([]); // 'NU'
 */
export function highestClassification(codes: readonly Classification[]): Classification {
  return codes.reduce<Classification>(
    (highest, code) => (compareClassification(code, highest) > 0 ? code : highest),
    'NU',
  );
}

/**
 * Whether a classification is at or below a ceiling, e.g. the highest level a deployment,
 * a user or an export may hold.
 *
 * @example
 * isClassificationAtMost('NR', 'NS'); // true
 * isClassificationAtMost('CTS', 'NS'); // false
 */
export function isClassificationAtMost(level: Classification, ceiling: Classification): boolean {
  return compareClassification(level, ceiling) <= 0;
}

/**
 * The canonical form of a marking: audiences in list order without duplicates or unknown
 * codes; `PUBLIC` dropped from a classified marking (the narrower reading is the safe one);
 * and a public NATO UNCLASSIFIED marking reduced to `['PUBLIC']`, since public release
 * includes every other audience. Returns a new object; the input is not changed.
 *
 * @example
 * normalizeMarking({ classification: 'NU', releasability: ['UN', 'EU', 'UN'] });
 * // { classification: 'NU', releasability: ['EU', 'UN'] }
 * normalizeMarking({ classification: 'NR', releasability: ['PUBLIC', 'EU'] });
 * // { classification: 'NR', releasability: ['EU'] }
 */
export function normalizeMarking(marking: ReadonlyMarking): Marking {
  const listed = new Set<string>(marking.releasability);
  if (marking.classification !== 'NU') listed.delete('PUBLIC');
  const releasability: Releasability[] = listed.has('PUBLIC')
    ? ['PUBLIC']
    : Releasability.codes.filter((code) => listed.has(code));
  return { classification: marking.classification, releasability };
}

/** Everyone a marking lets see the record; a public marking reaches every audience. */
function audienceOf(marking: ReadonlyMarking): Set<Releasability> {
  const { releasability } = normalizeMarking(marking);
  return new Set(releasability[0] === 'PUBLIC' ? Releasability.codes : releasability);
}

/**
 * The marking of something made from several marked records (a page, a report, an export):
 * the highest classification, and releasable only to the audiences that every record is
 * releasable to (the intersection), because one record withheld from an audience withholds
 * the whole. A public NATO UNCLASSIFIED record counts as releasable to every audience.
 *
 * Combining nothing yields `{ classification: 'NU', releasability: [] }`: NATO UNCLASSIFIED
 * with no release beyond NATO. Nothing classified is present, but nothing has been cleared
 * for release either, so an empty combination never widens what a caller may share.
 *
 * @example
 * combineMarkings([
 *   { classification: 'NU', releasability: ['EU', 'UN'] },
 *   { classification: 'NR', releasability: ['EU'] },
 * ]); // { classification: 'NR', releasability: ['EU'] }
 * combineMarkings([]); // { classification: 'NU', releasability: [] }
 */
export function combineMarkings(markings: readonly ReadonlyMarking[]): Marking {
  const [first, ...rest] = markings;
  if (first === undefined) return { classification: 'NU', releasability: [] };
  const classification = highestClassification(markings.map((marking) => marking.classification));
  let audience = audienceOf(first);
  for (const marking of rest) {
    const other = audienceOf(marking);
    audience = new Set([...audience].filter((code) => other.has(code)));
  }
  return normalizeMarking({ classification, releasability: [...audience] });
}

/**
 * Whether a marked record may be released to an audience. Every NATO marking is releasable
 * to NATO; a public marking is releasable to everyone; otherwise the audience must be listed.
 *
 * @example
 * isReleasableTo({ classification: 'NR', releasability: ['EU'] }, 'EU'); // true
 * isReleasableTo({ classification: 'NR', releasability: ['EU'] }, 'UN'); // false
 * isReleasableTo({ classification: 'NS', releasability: [] }, 'NATO'); // true
 */
export function isReleasableTo(marking: ReadonlyMarking, audience: Releasability): boolean {
  if (audience === 'NATO') return true;
  return audienceOf(marking).has(audience);
}

/**
 * Options for {@link formatMarking} and {@link markingBanner}.
 *
 * @example
 * const options: FormatMarkingOptions = { exercise: true };
 */
export interface FormatMarkingOptions {
  /** Prefix "EXERCISE", so that exercise data is never taken for real. */
  readonly exercise?: boolean;
}

/**
 * The banner line for a marking, as shown at the top and bottom of pages, reports and
 * exports: `[EXERCISE — ]LEVEL[ — RELEASABLE TO A, B]`. Audiences appear in list order; with
 * none the line is just the level; a public marking reads "APPROVED FOR PUBLIC RELEASE".
 * The marking is normalised first (see {@link normalizeMarking}).
 *
 * @example
 * formatMarking({ classification: 'NU', releasability: ['UN', 'EU'] }, { exercise: true });
 * // 'EXERCISE — NATO UNCLASSIFIED — RELEASABLE TO EU, UN'
 * formatMarking({ classification: 'NS', releasability: [] }); // 'NATO SECRET'
 */
export function formatMarking(
  marking: ReadonlyMarking,
  options: FormatMarkingOptions = {},
): string {
  const { classification, releasability } = normalizeMarking(marking);
  const parts: string[] = [];
  if (options.exercise === true) parts.push('EXERCISE');
  parts.push(Classification.label(classification));
  if (releasability[0] === 'PUBLIC') {
    parts.push('APPROVED FOR PUBLIC RELEASE');
  } else if (releasability.length > 0) {
    const names = releasability.map((code) => Releasability.get(code).bannerName);
    parts.push(`RELEASABLE TO ${names.join(', ')}`);
  }
  return parts.join(' — ');
}

/**
 * What a marking banner shows: its text and the colours of the marking's level.
 *
 * @example
 * const banner: MarkingBanner = markingBanner({ classification: 'NS', releasability: [] });
 */
export interface MarkingBanner {
  readonly text: string;
  readonly backgroundColor: string;
  readonly textColor: string;
}

/**
 * The banner for a marking: the line from {@link formatMarking} and the background and text
 * colours of its classification, ready for the web app and PDF exports.
 *
 * @example
 * markingBanner({ classification: 'NS', releasability: ['EU'] });
 * // { text: 'NATO SECRET — RELEASABLE TO EU', backgroundColor: '#C8102E', textColor: '#FFFFFF' }
 */
export function markingBanner(
  marking: ReadonlyMarking,
  options: FormatMarkingOptions = {},
): MarkingBanner {
  const level = Classification.get(marking.classification);
  return {
    text: formatMarking(marking, options),
    backgroundColor: level.bannerBackground,
    textColor: level.bannerText,
  };
}
