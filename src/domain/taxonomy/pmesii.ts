import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The PMESII domains of the human environment, in the acronym's order: the rows of the
 * PMESII × ASCOPE matrix that planners fill in per region.
 *
 * Codes are whole words because two domains share the letter I; `letter` gives the
 * acronym letter for compact matrix headers.
 *
 * @example
 * PmesiiDomain.codes; // ['POLITICAL', 'MILITARY', 'ECONOMIC', 'SOCIAL', 'INFORMATION', 'INFRASTRUCTURE']
 * PmesiiDomain.get('INFRASTRUCTURE').letter; // 'I'
 */
export const PmesiiDomain = defineCodeList('pmesiiDomain', [
  {
    code: 'POLITICAL',
    letter: 'P',
    label: 'Political',
    description:
      'Who holds authority, formal and informal: government at every level, parties, traditional and religious leaders, and how legitimate the population finds them.',
  },
  {
    code: 'MILITARY',
    letter: 'M',
    label: 'Military',
    description:
      'The armed forces and armed groups of every party, their capabilities and posture, and how they behave towards civilians.',
  },
  {
    code: 'ECONOMIC',
    letter: 'E',
    label: 'Economic',
    description:
      'How people make a living: production, markets, jobs, prices, remittances and the illicit economy, and what conflict does to them.',
  },
  {
    code: 'SOCIAL',
    letter: 'S',
    label: 'Social',
    description:
      'The population itself: demography, ethnic, religious and language groups, social cohesion and tension, vulnerable groups and displacement.',
  },
  {
    code: 'INFORMATION',
    letter: 'I',
    label: 'Information',
    description:
      'How information is made and spread: media, social media, telecommunications, rumour and disinformation, and how civilians receive warnings.',
  },
  {
    code: 'INFRASTRUCTURE',
    letter: 'I',
    label: 'Infrastructure',
    description:
      'The physical systems society runs on: energy, water and sanitation, health facilities, schools, transport and communications networks.',
  },
]);

/**
 * A PMESII domain code.
 *
 * @example
 * const row: PmesiiDomain = 'SOCIAL';
 */
export type PmesiiDomain = CodeOf<typeof PmesiiDomain>;

/**
 * Accepts a PMESII domain code.
 *
 * @example
 * pmesiiDomainSchema.parse('ECONOMIC');
 */
export const pmesiiDomainSchema = PmesiiDomain.schema;
