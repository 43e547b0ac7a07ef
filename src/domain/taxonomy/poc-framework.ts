import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The four elements of the Protection of Civilians framework (ACO PoC Handbook, 2021), in the
 * handbook's order. Plans, lessons and injects are tagged with the elements they serve.
 *
 * @example
 * PocFrameworkElement.label('C-SASE'); // 'Contributing to a Safe and Secure Environment'
 */
export const PocFrameworkElement = defineCodeList('pocFrameworkElement', [
  {
    code: 'UHE',
    label: 'Understanding the Human Environment',
    description:
      'Continuous, population-centric assessment of who lives in the area, what they need, what threatens them and how they will act; the basis for every other element.',
  },
  {
    code: 'MH',
    label: 'Mitigating Harm',
    description:
      "Reducing harm to civilians from the force's own actions, NATO's primary responsibility, and from the actions of adversaries and other actors.",
  },
  {
    code: 'FABN',
    label: 'Facilitating Access to Basic Needs',
    description:
      'Helping civilians reach food, water, shelter, health care and other basic needs, for example by enabling humanitarian organisations to work.',
  },
  {
    code: 'C-SASE',
    label: 'Contributing to a Safe and Secure Environment',
    description:
      'Contributing to security in which civilians and civilian institutions can function, for example by securing civilian institutions or supporting local security forces.',
  },
]);

/**
 * A PoC framework element code (`'UHE' | 'MH' | 'FABN' | 'C-SASE'`).
 *
 * @example
 * const element: PocFrameworkElement = 'MH';
 */
export type PocFrameworkElement = CodeOf<typeof PocFrameworkElement>;

/**
 * Accepts a PoC framework element code.
 *
 * @example
 * pocFrameworkElementSchema.parse('FABN');
 */
export const pocFrameworkElementSchema = PocFrameworkElement.schema;
