import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The six grave violations against children in armed conflict, numbered 1–6 in the order of
 * the UN Monitoring and Reporting Mechanism (MRM). Child-violation records carry one of these.
 *
 * @example
 * GraveViolation.get('GV4-ATTACKS-SCHOOLS-HOSPITALS').number; // 4
 * GraveViolation.label('GV5-ABDUCTION'); // 'Abduction of children'
 */
export const GraveViolation = defineCodeList('graveViolation', [
  {
    code: 'GV1-KILLING-MAIMING',
    number: 1,
    label: 'Killing and maiming of children',
    description:
      'Any action, by any party, that kills a child or causes a child serious and lasting injury, including through explosive weapons, crossfire and explosive remnants of war.',
  },
  {
    code: 'GV2-RECRUITMENT-USE',
    number: 2,
    label: 'Recruitment and use of children by armed forces and armed groups',
    description:
      'Enlisting children in armed forces or armed groups, by force or otherwise, or using them in any role: as fighters, but also as cooks, porters, messengers, spies or for sexual purposes.',
  },
  {
    code: 'GV3-SEXUAL-VIOLENCE',
    number: 3,
    label: 'Sexual violence against children',
    description:
      'Rape and any other sexual violence against a child, including sexual slavery, forced prostitution, forced marriage and forced pregnancy. Handled with survivor-centred care.',
  },
  {
    code: 'GV4-ATTACKS-SCHOOLS-HOSPITALS',
    number: 4,
    label: 'Attacks against schools or hospitals',
    description:
      'Attacks on schools or hospitals and on the people protected in them (pupils, teachers, patients, medical staff), including threats of attack. Their military use is monitored alongside, though it is not itself a grave violation.',
  },
  {
    code: 'GV5-ABDUCTION',
    number: 5,
    label: 'Abduction of children',
    description:
      'Unlawfully taking, seizing, holding or making a child disappear, temporarily or permanently, for example to recruit, exploit or punish them.',
  },
  {
    code: 'GV6-DENIAL-HUMANITARIAN-ACCESS',
    number: 6,
    label: 'Denial of humanitarian access for children',
    description:
      'Deliberately preventing humanitarian assistance from reaching children, or impeding their access to it, including attacks on humanitarian workers and their supplies.',
  },
]);

/**
 * A grave violation code (`'GV1-KILLING-MAIMING' | … | 'GV6-DENIAL-HUMANITARIAN-ACCESS'`).
 *
 * @example
 * const violation: GraveViolation = 'GV2-RECRUITMENT-USE';
 */
export type GraveViolation = CodeOf<typeof GraveViolation>;

/**
 * Accepts a grave violation code.
 *
 * @example
 * graveViolationSchema.parse('GV3-SEXUAL-VIOLENCE');
 */
export const graveViolationSchema = GraveViolation.schema;
