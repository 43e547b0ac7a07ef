import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The audiences a record may be released to beyond the holding NATO command. A marking's
 * releasability is a set of these; an empty set means "no release beyond NATO".
 *
 * `bannerName` is how the audience is written after "RELEASABLE TO" in a banner. `PUBLIC`
 * is special: it is the widest audience, valid only with NATO UNCLASSIFIED, and banners show
 * it as "APPROVED FOR PUBLIC RELEASE" (see `marking.ts`).
 *
 * @example
 * Releasability.label('AU'); // 'African Union'
 * Releasability.get('HOST-NATION').bannerName; // 'HOST NATION'
 */
export const Releasability = defineCodeList('releasability', [
  {
    code: 'NATO',
    bannerName: 'NATO',
    label: 'NATO',
    description:
      'NATO bodies and Allied nations. Every NATO marking already implies it; list it for material from a national or partner source whose owner has cleared it for NATO.',
  },
  {
    code: 'EU',
    bannerName: 'EU',
    label: 'European Union',
    description:
      'European Union institutions and missions, such as EU crisis-management operations working alongside NATO.',
  },
  {
    code: 'UN',
    bannerName: 'UN',
    label: 'United Nations',
    description:
      'United Nations bodies, missions and agencies, including the country task forces of the Monitoring and Reporting Mechanism on children and armed conflict.',
  },
  {
    code: 'OSCE',
    bannerName: 'OSCE',
    label: 'Organization for Security and Co-operation in Europe',
    description: 'OSCE institutions and field operations, including monitoring missions.',
  },
  {
    code: 'AU',
    bannerName: 'AU',
    label: 'African Union',
    description: 'African Union institutions and peace support operations.',
  },
  {
    code: 'HOST-NATION',
    bannerName: 'HOST NATION',
    label: 'Host nation',
    description:
      'The authorities of the nation hosting the operation: government, civil protection, police and armed forces.',
  },
  {
    code: 'NGO',
    bannerName: 'NGO',
    label: 'Non-governmental organisations',
    description:
      'Humanitarian and civil-society partners the mission works with, such as protection, health and demining organisations.',
  },
  {
    code: 'PUBLIC',
    bannerName: 'PUBLIC',
    label: 'Public',
    description:
      'Approved for release to anyone, for example in press material or open data. Only for NATO UNCLASSIFIED records, after approval by the owner.',
  },
]);

/**
 * A releasability code (`'NATO' | 'EU' | 'UN' | 'OSCE' | 'AU' | 'HOST-NATION' | 'NGO' | 'PUBLIC'`).
 *
 * @example
 * const audiences: Releasability[] = ['EU', 'UN'];
 */
export type Releasability = CodeOf<typeof Releasability>;

/**
 * Accepts a releasability code.
 *
 * @example
 * z.array(releasabilitySchema).parse(['EU', 'UN']);
 */
export const releasabilitySchema = Releasability.schema;
