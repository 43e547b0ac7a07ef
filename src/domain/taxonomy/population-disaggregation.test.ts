import { describe, it, expect } from 'vitest';
import {
  AgeGroup,
  DisabilityStatus,
  DisplacementStatus,
  Sex,
  ageGroupForAge,
  ageGroupSchema,
  displacementStatusSchema,
  sexSchema,
} from './population-disaggregation.js';

describe('Sex', () => {
  it('is female, male or unknown', () => {
    expect(Sex.codes).toEqual(['FEMALE', 'MALE', 'UNKNOWN']);
    expect(sexSchema.safeParse('F').success).toBe(false);
  });
});

describe('AgeGroup', () => {
  it('holds children 0–17, adults 18–59, older people 60+ and unknown', () => {
    expect(AgeGroup.entries.map((e) => [e.code, e.minAge, e.maxAge])).toEqual([
      ['CHILD', 0, 17],
      ['ADULT', 18, 59],
      ['OLDER', 60, null],
      ['UNKNOWN', null, null],
    ]);
    expect(ageGroupSchema.safeParse('ELDERLY').success).toBe(false);
  });

  it('covers every age from 0 without gap or overlap', () => {
    const bounded = AgeGroup.entries.filter((e) => e.minAge !== null);
    expect(bounded[0]?.minAge).toBe(0);
    bounded
      .slice(1)
      .forEach((entry, i) => expect(entry.minAge).toBe((bounded[i]?.maxAge ?? NaN) + 1));
    expect(bounded.at(-1)?.maxAge).toBeNull();
  });
});

describe('ageGroupForAge', () => {
  it.each([
    [0, 'CHILD'],
    [17, 'CHILD'],
    [17.99, 'CHILD'],
    [18, 'ADULT'],
    [59, 'ADULT'],
    [59.5, 'ADULT'],
    [60, 'OLDER'],
    [112, 'OLDER'],
  ] as const)('puts age %s in %s', (age, group) => {
    expect(ageGroupForAge(age)).toBe(group);
  });

  it('gives UNKNOWN for a missing age', () => {
    expect(ageGroupForAge(null)).toBe('UNKNOWN');
    expect(ageGroupForAge(undefined)).toBe('UNKNOWN');
  });

  it('throws on ages that are data errors', () => {
    for (const bad of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => ageGroupForAge(bad)).toThrow(RangeError);
    }
  });
});

describe('DisabilityStatus', () => {
  it('distinguishes with, without and unknown', () => {
    expect(DisabilityStatus.codes).toEqual(['WITH-DISABILITY', 'WITHOUT-DISABILITY', 'UNKNOWN']);
  });
});

describe('DisplacementStatus', () => {
  it('holds resident, IDP, refugee, returnee and host community', () => {
    expect(DisplacementStatus.codes).toEqual([
      'RESIDENT',
      'IDP',
      'REFUGEE',
      'RETURNEE',
      'HOST-COMMUNITY',
    ]);
    expect(DisplacementStatus.label('IDP')).toBe('Internally displaced person');
    expect(displacementStatusSchema.safeParse('DISPLACED').success).toBe(false);
  });
});
