import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * NATO's seven baseline requirements for national resilience, numbered 1–7 in NATO's order.
 * Human security factors (services at risk, populations on the move) are tagged with the
 * requirement they bear on, so planners see which civil functions an action could strain.
 *
 * Codes carry the number and a keyword (`BR1-GOVERNMENT`) so they read well in exports and
 * stay stable if a label is reworded.
 *
 * @example
 * BaselineRequirement.get('BR3-MOVEMENT').number; // 3
 * BaselineRequirement.label('BR7-TRANSPORT'); // 'Resilient transport systems'
 */
export const BaselineRequirement = defineCodeList('baselineRequirement', [
  {
    code: 'BR1-GOVERNMENT',
    number: 1,
    label: 'Assured continuity of government and critical government services',
    description:
      'Government keeps deciding, communicating with the population and delivering essential services such as emergency services, social welfare and civil registration.',
  },
  {
    code: 'BR2-ENERGY',
    number: 2,
    label: 'Resilient energy supplies',
    description:
      'Electricity, fuel and heating reach the population and critical services, with back-up plans for disruption.',
  },
  {
    code: 'BR3-MOVEMENT',
    number: 3,
    label: 'Ability to deal effectively with uncontrolled movement of people',
    description:
      'Large, unplanned movements of civilians, such as evacuations and flight from hostilities, are managed safely and without blocking military movement.',
  },
  {
    code: 'BR4-FOOD-WATER',
    number: 4,
    label: 'Resilient food and water resources',
    description:
      'Food and safe drinking water stay available, affordable and protected from disruption, contamination or sabotage.',
  },
  {
    code: 'BR5-HEALTH',
    number: 5,
    label: 'Ability to deal with mass casualties and disruptive health crises',
    description:
      'Health systems can treat mass casualties and cope with epidemics while still caring for the civilian population.',
  },
  {
    code: 'BR6-COMMUNICATIONS',
    number: 6,
    label: 'Resilient civil communications systems',
    description:
      'Telecommunications, internet and broadcasting keep working, so that authorities can warn and inform the population.',
  },
  {
    code: 'BR7-TRANSPORT',
    number: 7,
    label: 'Resilient transport systems',
    description:
      'Roads, rail, ports and airports keep moving people and goods, for civilian needs and for military movement alike.',
  },
]);

/**
 * A baseline requirement code (`'BR1-GOVERNMENT' | … | 'BR7-TRANSPORT'`).
 *
 * @example
 * const requirement: BaselineRequirement = 'BR4-FOOD-WATER';
 */
export type BaselineRequirement = CodeOf<typeof BaselineRequirement>;

/**
 * Accepts a baseline requirement code.
 *
 * @example
 * baselineRequirementSchema.parse('BR2-ENERGY');
 */
export const baselineRequirementSchema = BaselineRequirement.schema;
