import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The ASCOPE civil considerations, in the acronym's order: the columns of the
 * PMESII × ASCOPE matrix.
 *
 * @example
 * AscopeCategory.label('ORGANISATIONS'); // 'Organisations'
 * AscopeCategory.get('EVENTS').letter; // 'E'
 */
export const AscopeCategory = defineCodeList('ascopeCategory', [
  {
    code: 'AREAS',
    letter: 'A',
    label: 'Areas',
    description:
      'Places that matter to civilians: neighbourhoods, farmland, markets, displacement sites, sacred and cultural areas, and areas people avoid.',
  },
  {
    code: 'STRUCTURES',
    letter: 'S',
    label: 'Structures',
    description:
      'Buildings and installations civilians depend on or value: hospitals, schools, places of worship, cultural property, bridges, dams and power plants.',
  },
  {
    code: 'CAPABILITIES',
    letter: 'C',
    label: 'Capabilities',
    description:
      'What keeps people alive and society working: health care, water, power, food supply, emergency services, and the capacity of local authorities to deliver them.',
  },
  {
    code: 'ORGANISATIONS',
    letter: 'O',
    label: 'Organisations',
    description:
      'Groups with influence over civilians: authorities, civil society, religious bodies, humanitarian organisations, businesses, clans and criminal networks.',
  },
  {
    code: 'PEOPLE',
    letter: 'P',
    label: 'People',
    description:
      'Population groups, disaggregated by sex, age and disability, and key leaders and communicators: their needs, vulnerabilities and perceptions.',
  },
  {
    code: 'EVENTS',
    letter: 'E',
    label: 'Events',
    description:
      'Routine, seasonal or one-off events that change where civilians are and what they do: market days, harvests, religious holidays, elections, funerals, demonstrations.',
  },
]);

/**
 * An ASCOPE category code.
 *
 * @example
 * const column: AscopeCategory = 'STRUCTURES';
 */
export type AscopeCategory = CodeOf<typeof AscopeCategory>;

/**
 * Accepts an ASCOPE category code.
 *
 * @example
 * ascopeCategorySchema.parse('PEOPLE');
 */
export const ascopeCategorySchema = AscopeCategory.schema;
