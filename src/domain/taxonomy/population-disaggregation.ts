import { defineCodeList, type CodeOf } from './code-list.js';

// SADDD: sex, age and disability disaggregated data, plus displacement status. Sex, age and
// disability each have an UNKNOWN entry because field data is often incomplete, and a missing
// value must be counted as unknown rather than silently dropped or guessed. Displacement
// status has none: where it is not known, a record leaves it out.

/**
 * Sex, as recorded for a person or used to disaggregate a count.
 *
 * @example
 * Sex.label('FEMALE'); // 'Female'
 */
export const Sex = defineCodeList('sex', [
  { code: 'FEMALE', label: 'Female', description: 'Recorded as female.' },
  { code: 'MALE', label: 'Male', description: 'Recorded as male.' },
  {
    code: 'UNKNOWN',
    label: 'Unknown',
    description: 'Sex not known or not recorded; counted separately, never guessed.',
  },
]);

/**
 * A sex code (`'FEMALE' | 'MALE' | 'UNKNOWN'`).
 *
 * @example
 * const sex: Sex = 'UNKNOWN';
 */
export type Sex = CodeOf<typeof Sex>;

/**
 * Accepts a sex code.
 *
 * @example
 * sexSchema.parse('MALE');
 */
export const sexSchema = Sex.schema;

/**
 * Age groups for disaggregation. `minAge` and `maxAge` are completed years, inclusive;
 * `maxAge: null` means no upper bound, and both are `null` for UNKNOWN. Children are 0–17,
 * matching the age under which the grave violations and child protection apply.
 *
 * @example
 * AgeGroup.get('CHILD').maxAge; // 17
 * ageGroupForAge(64); // 'OLDER'
 */
export const AgeGroup = defineCodeList('ageGroup', [
  {
    code: 'CHILD',
    minAge: 0,
    maxAge: 17,
    label: 'Children (0–17)',
    description: 'Persons under 18 years of age.',
  },
  {
    code: 'ADULT',
    minAge: 18,
    maxAge: 59,
    label: 'Adults (18–59)',
    description: 'Persons from 18 to 59 years of age.',
  },
  {
    code: 'OLDER',
    minAge: 60,
    maxAge: null,
    label: 'Older people (60+)',
    description: 'Persons aged 60 and over, often less mobile and more dependent on services.',
  },
  {
    code: 'UNKNOWN',
    minAge: null,
    maxAge: null,
    label: 'Unknown',
    description: 'Age not known or not recorded; counted separately, never guessed.',
  },
]);

/**
 * An age group code (`'CHILD' | 'ADULT' | 'OLDER' | 'UNKNOWN'`).
 *
 * @example
 * const group: AgeGroup = 'CHILD';
 */
export type AgeGroup = CodeOf<typeof AgeGroup>;

/**
 * Accepts an age group code.
 *
 * @example
 * ageGroupSchema.parse('ADULT');
 */
export const ageGroupSchema = AgeGroup.schema;

/**
 * The age group of an age in years. Ages count in completed years, so 17.9 is still a child.
 * `null` or `undefined` give UNKNOWN; a negative or non-finite age throws, because it is a
 * data error to fix at the source rather than a person to count.
 *
 * @example
 * ageGroupForAge(17); // 'CHILD'
 * ageGroupForAge(18); // 'ADULT'
 * ageGroupForAge(undefined); // 'UNKNOWN'
 */
export function ageGroupForAge(age: number | null | undefined): AgeGroup {
  if (age == null) return 'UNKNOWN';
  if (!Number.isFinite(age) || age < 0) {
    throw new RangeError(`Age ${age} is not a valid age in years: give a finite number from 0.`);
  }
  const years = Math.floor(age);
  for (const entry of AgeGroup.entries) {
    if (entry.minAge === null) continue;
    if (years >= entry.minAge && (entry.maxAge === null || years <= entry.maxAge)) {
      return entry.code;
    }
  }
  // Unreachable while the groups cover 0 to infinity; kept so a gap fails loudly.
  throw new RangeError(`No age group covers age ${age}: the AgeGroup list has a gap.`);
}

/**
 * Disability status, following the Washington Group approach: a person has a disability if
 * they have a lot of difficulty, or cannot do at all, at least one basic activity (seeing,
 * hearing, walking, remembering, self-care, communicating).
 *
 * @example
 * DisabilityStatus.label('WITH-DISABILITY'); // 'With disability'
 */
export const DisabilityStatus = defineCodeList('disabilityStatus', [
  {
    code: 'WITH-DISABILITY',
    label: 'With disability',
    description:
      'Has a lot of difficulty with, or cannot do at all, at least one basic activity such as seeing, hearing, walking, remembering, self-care or communicating.',
  },
  {
    code: 'WITHOUT-DISABILITY',
    label: 'Without disability',
    description: 'Has no more than some difficulty with any basic activity.',
  },
  {
    code: 'UNKNOWN',
    label: 'Unknown',
    description: 'Disability status not known or not asked; counted separately, never guessed.',
  },
]);

/**
 * A disability status code (`'WITH-DISABILITY' | 'WITHOUT-DISABILITY' | 'UNKNOWN'`).
 *
 * @example
 * const status: DisabilityStatus = 'WITH-DISABILITY';
 */
export type DisabilityStatus = CodeOf<typeof DisabilityStatus>;

/**
 * Accepts a disability status code.
 *
 * @example
 * disabilityStatusSchema.parse('UNKNOWN');
 */
export const disabilityStatusSchema = DisabilityStatus.schema;

/**
 * Displacement status of a person or population group.
 *
 * @example
 * DisplacementStatus.label('IDP'); // 'Internally displaced person'
 */
export const DisplacementStatus = defineCodeList('displacementStatus', [
  {
    code: 'RESIDENT',
    label: 'Resident',
    description:
      'Living where they normally live, not displaced, in an area not hosting significant numbers of displaced people.',
  },
  {
    code: 'IDP',
    label: 'Internally displaced person',
    description:
      'Forced or obliged to leave home, in particular because of armed conflict, violence or disaster, without crossing an international border.',
  },
  {
    code: 'REFUGEE',
    label: 'Refugee',
    description:
      'Outside their country because of conflict, violence or persecution, and in need of international protection.',
  },
  {
    code: 'RETURNEE',
    label: 'Returnee',
    description:
      'Formerly displaced, internally or abroad, and now back in their place or country of origin.',
  },
  {
    code: 'HOST-COMMUNITY',
    label: 'Host community',
    description:
      'Residents of an area that hosts displaced people, whose services and resources are shared with them.',
  },
]);

/**
 * A displacement status code (`'RESIDENT' | 'IDP' | 'REFUGEE' | 'RETURNEE' | 'HOST-COMMUNITY'`).
 *
 * @example
 * const status: DisplacementStatus = 'IDP';
 */
export type DisplacementStatus = CodeOf<typeof DisplacementStatus>;

/**
 * Accepts a displacement status code.
 *
 * @example
 * displacementStatusSchema.parse('RETURNEE');
 */
export const displacementStatusSchema = DisplacementStatus.schema;
