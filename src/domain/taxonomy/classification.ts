import { defineCodeList, type CodeOf, type EntryOf } from './code-list.js';

/**
 * NATO security classifications, lowest to highest. `order` ranks them (1 = lowest) so that
 * markings can be compared and combined; the tuple order is the same.
 *
 * Civitas is a tool: a deployment decides which levels it may hold. Every record still
 * carries one of these codes so that banners, exports and access checks have one rule.
 *
 * Banner colours follow the convention of classified systems (green for unclassified, blue
 * confidential, red secret, orange top secret); NATO RESTRICTED, which has no counterpart
 * in that convention, takes the purple used for the controlled-but-unclassified tier. Each
 * pair of `bannerBackground` and `bannerText` meets WCAG 2.1 AA contrast (4.5:1), which the
 * tests check.
 *
 * @example
 * Classification.label('NS'); // 'NATO SECRET'
 * Classification.get('CTS').order; // 5
 * Classification.get('NU').bannerBackground; // '#007A33'
 */
export const Classification = defineCodeList('classification', [
  {
    code: 'NU',
    order: 1,
    label: 'NATO UNCLASSIFIED',
    description:
      'Information that is not classified but is official: used for NATO purposes and released outside NATO only when its owner agrees.',
    bannerBackground: '#007A33',
    bannerText: '#FFFFFF',
  },
  {
    code: 'NR',
    order: 2,
    label: 'NATO RESTRICTED',
    description:
      'Information whose unauthorised disclosure would be disadvantageous to the interests or effectiveness of NATO.',
    bannerBackground: '#502B85',
    bannerText: '#FFFFFF',
  },
  {
    code: 'NC',
    order: 3,
    label: 'NATO CONFIDENTIAL',
    description:
      'Information whose unauthorised disclosure would be damaging to the essential interests of NATO.',
    bannerBackground: '#0033A0',
    bannerText: '#FFFFFF',
  },
  {
    code: 'NS',
    order: 4,
    label: 'NATO SECRET',
    description: 'Information whose unauthorised disclosure would cause serious damage to NATO.',
    bannerBackground: '#C8102E',
    bannerText: '#FFFFFF',
  },
  {
    code: 'CTS',
    order: 5,
    label: 'COSMIC TOP SECRET',
    description:
      'Information whose unauthorised disclosure would cause exceptionally grave damage to NATO.',
    bannerBackground: '#FF8C00',
    bannerText: '#000000',
  },
]);

/**
 * A NATO classification code (`'NU' | 'NR' | 'NC' | 'NS' | 'CTS'`).
 *
 * @example
 * const level: Classification = 'NR';
 */
export type Classification = CodeOf<typeof Classification>;

/**
 * A classification entry with its rank and banner colours.
 *
 * @example
 * const { bannerBackground, bannerText }: ClassificationEntry = Classification.get('NS');
 */
export type ClassificationEntry = EntryOf<typeof Classification>;

/**
 * Accepts a NATO classification code.
 *
 * @example
 * classificationSchema.parse('NS'); // 'NS'
 * classificationSchema.safeParse('SECRET').success; // false
 */
export const classificationSchema = Classification.schema;
