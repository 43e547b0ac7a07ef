import { describe, it, expect } from 'vitest';
import type { Classification } from './classification.js';
import {
  combineMarkings,
  compareClassification,
  formatMarking,
  highestClassification,
  isClassificationAtMost,
  isReleasableTo,
  markingBanner,
  markingSchema,
  normalizeMarking,
  type Marking,
  type ReadonlyMarking,
} from './marking.js';

const nu = (...releasability: Marking['releasability']): Marking => ({
  classification: 'NU',
  releasability,
});

describe('markingSchema', () => {
  it('accepts a level with or without releasability', () => {
    expect(markingSchema.parse({ classification: 'NS', releasability: [] })).toEqual({
      classification: 'NS',
      releasability: [],
    });
    expect(markingSchema.parse(nu('EU', 'UN'))).toEqual(nu('EU', 'UN'));
    expect(markingSchema.parse(nu('PUBLIC'))).toEqual(nu('PUBLIC'));
  });

  it.each([
    ['an unknown level', { classification: 'SECRET', releasability: [] }],
    ['an unknown audience', { classification: 'NU', releasability: ['FVEY'] }],
    ['a missing releasability', { classification: 'NU' }],
    ['a missing classification', { releasability: ['EU'] }],
    ['a releasability that is not a list', { classification: 'NU', releasability: 'EU' }],
    ['an extra field (strict)', { classification: 'NU', releasability: [], caveat: 'X' }],
    ['an audience listed twice', { classification: 'NU', releasability: ['EU', 'UN', 'EU'] }],
    ['PUBLIC above NATO UNCLASSIFIED', { classification: 'NR', releasability: ['PUBLIC'] }],
    ['null', null],
  ])('rejects %s', (_name, value) => {
    expect(markingSchema.safeParse(value).success).toBe(false);
  });

  it('points at the offending entry and says how to fix it', () => {
    const result = markingSchema.safeParse({
      classification: 'NS',
      releasability: ['EU', 'PUBLIC', 'EU'],
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.map((issue) => issue.path)).toEqual([
      ['releasability', 1],
      ['releasability', 2],
    ]);
    expect(issues[0]?.message).toMatch(/only for NATO UNCLASSIFIED, not NATO SECRET/);
    expect(issues[1]?.message).toMatch(/EU is listed twice/);
  });
});

describe('compareClassification', () => {
  it('orders levels by rank', () => {
    expect(compareClassification('NU', 'NR')).toBeLessThan(0);
    expect(compareClassification('CTS', 'NS')).toBeGreaterThan(0);
    expect(compareClassification('NC', 'NC')).toBe(0);
  });

  it('sorts a list of levels from lowest to highest', () => {
    const levels: Classification[] = ['NS', 'NU', 'CTS', 'NC', 'NR'];
    expect([...levels].sort(compareClassification)).toEqual(['NU', 'NR', 'NC', 'NS', 'CTS']);
  });
});

describe('highestClassification', () => {
  it('picks the highest level', () => {
    expect(highestClassification(['NR', 'NS', 'NU'])).toBe('NS');
    expect(highestClassification(['CTS', 'NU'])).toBe('CTS');
    expect(highestClassification(['NC'])).toBe('NC');
  });

  it('gives NATO UNCLASSIFIED for no levels at all', () => {
    expect(highestClassification([])).toBe('NU');
  });
});

describe('isClassificationAtMost', () => {
  it('allows the ceiling itself and anything lower', () => {
    expect(isClassificationAtMost('NS', 'NS')).toBe(true);
    expect(isClassificationAtMost('NU', 'NR')).toBe(true);
    expect(isClassificationAtMost('NC', 'NR')).toBe(false);
  });
});

describe('normalizeMarking', () => {
  it('orders audiences as the list does and drops duplicates', () => {
    expect(normalizeMarking(nu('UN', 'EU', 'UN', 'NATO'))).toEqual(nu('NATO', 'EU', 'UN'));
  });

  it('drops PUBLIC from a classified marking, the narrower reading', () => {
    expect(normalizeMarking({ classification: 'NC', releasability: ['PUBLIC', 'EU'] })).toEqual({
      classification: 'NC',
      releasability: ['EU'],
    });
  });

  it('reduces a public NATO UNCLASSIFIED marking to PUBLIC alone', () => {
    expect(normalizeMarking(nu('EU', 'PUBLIC'))).toEqual(nu('PUBLIC'));
  });

  it('drops codes it does not know rather than passing them on', () => {
    const unchecked = { classification: 'NU', releasability: ['EU', 'FVEY'] } as unknown as Marking;
    expect(normalizeMarking(unchecked)).toEqual(nu('EU'));
  });

  it('returns a new object and leaves the input alone', () => {
    const input = nu('UN', 'EU');
    const output = normalizeMarking(input);
    expect(output).not.toBe(input);
    expect(output.releasability).not.toBe(input.releasability);
    expect(input).toEqual(nu('UN', 'EU'));
  });
});

describe('combineMarkings', () => {
  it('keeps only the audiences every marking is releasable to', () => {
    expect(combineMarkings([nu('EU', 'UN'), nu('EU')])).toEqual(nu('EU'));
    expect(combineMarkings([nu('EU', 'UN', 'AU'), nu('UN', 'AU', 'NGO'), nu('AU', 'UN')])).toEqual(
      nu('UN', 'AU'),
    );
  });

  it('takes the highest classification', () => {
    expect(
      combineMarkings([
        { classification: 'NU', releasability: ['EU', 'UN'] },
        { classification: 'NS', releasability: ['EU', 'UN'] },
        { classification: 'NR', releasability: ['UN', 'EU'] },
      ]),
    ).toEqual({ classification: 'NS', releasability: ['EU', 'UN'] });
  });

  it('releases to no one beyond NATO when any marking releases to no one', () => {
    expect(combineMarkings([nu('EU', 'UN'), nu()])).toEqual(nu());
    expect(combineMarkings([nu('EU'), nu('UN')])).toEqual(nu());
  });

  it('gives NATO UNCLASSIFIED with no release beyond NATO for no markings at all', () => {
    expect(combineMarkings([])).toEqual({ classification: 'NU', releasability: [] });
  });

  it('gives the normalised marking for a single input, as a copy', () => {
    const only: ReadonlyMarking = { classification: 'NR', releasability: ['UN', 'EU', 'EU'] };
    const combined = combineMarkings([only]);
    expect(combined).toEqual({ classification: 'NR', releasability: ['EU', 'UN'] });
    expect(combined).not.toBe(only);
  });

  it('does not depend on the order of its inputs', () => {
    const a: Marking = { classification: 'NC', releasability: ['UN', 'OSCE', 'EU'] };
    const b: Marking = { classification: 'NU', releasability: ['EU', 'OSCE'] };
    const c: Marking = nu('PUBLIC');
    const expected = { classification: 'NC', releasability: ['EU', 'OSCE'] };
    expect(combineMarkings([a, b, c])).toEqual(expected);
    expect(combineMarkings([c, b, a])).toEqual(expected);
    expect(combineMarkings([b, c, a])).toEqual(expected);
  });

  it('treats a public record as releasable to every audience', () => {
    expect(combineMarkings([nu('PUBLIC'), nu('EU', 'UN')])).toEqual(nu('EU', 'UN'));
    expect(
      combineMarkings([nu('PUBLIC'), { classification: 'NR', releasability: ['EU'] }]),
    ).toEqual({ classification: 'NR', releasability: ['EU'] });
    expect(combineMarkings([nu('PUBLIC'), nu()])).toEqual(nu());
  });

  it('stays public only when every record is public', () => {
    expect(combineMarkings([nu('PUBLIC'), nu('PUBLIC', 'EU')])).toEqual(nu('PUBLIC'));
  });

  it('never turns a classified record public, even from an unchecked marking', () => {
    const unchecked: ReadonlyMarking = { classification: 'NS', releasability: ['PUBLIC'] };
    expect(combineMarkings([unchecked, nu('PUBLIC')])).toEqual({
      classification: 'NS',
      releasability: [],
    });
  });

  it('does not mutate its inputs', () => {
    const inputs: Marking[] = [nu('UN', 'EU'), { classification: 'NS', releasability: ['EU'] }];
    const before = structuredClone(inputs);
    combineMarkings(inputs);
    expect(inputs).toEqual(before);
  });
});

describe('isReleasableTo', () => {
  it('releases to listed audiences only', () => {
    const marking: Marking = { classification: 'NR', releasability: ['EU', 'HOST-NATION'] };
    expect(isReleasableTo(marking, 'EU')).toBe(true);
    expect(isReleasableTo(marking, 'HOST-NATION')).toBe(true);
    expect(isReleasableTo(marking, 'UN')).toBe(false);
    expect(isReleasableTo(marking, 'PUBLIC')).toBe(false);
  });

  it('always releases to NATO', () => {
    expect(isReleasableTo({ classification: 'CTS', releasability: [] }, 'NATO')).toBe(true);
  });

  it('releases a public record to everyone, but never a classified one to the public', () => {
    expect(isReleasableTo(nu('PUBLIC'), 'NGO')).toBe(true);
    expect(isReleasableTo(nu('PUBLIC'), 'PUBLIC')).toBe(true);
    expect(isReleasableTo({ classification: 'NR', releasability: ['PUBLIC'] }, 'PUBLIC')).toBe(
      false,
    );
  });
});

describe('formatMarking', () => {
  it('writes the level and the audiences in list order', () => {
    expect(formatMarking(nu('UN', 'EU'))).toBe('NATO UNCLASSIFIED — RELEASABLE TO EU, UN');
  });

  it('prefixes EXERCISE for exercise data', () => {
    expect(formatMarking(nu('EU', 'UN'), { exercise: true })).toBe(
      'EXERCISE — NATO UNCLASSIFIED — RELEASABLE TO EU, UN',
    );
    expect(formatMarking(nu('EU'), { exercise: false })).toBe(
      'NATO UNCLASSIFIED — RELEASABLE TO EU',
    );
  });

  it('writes just the level when there is no releasability', () => {
    expect(formatMarking({ classification: 'NS', releasability: [] })).toBe('NATO SECRET');
    expect(formatMarking({ classification: 'CTS', releasability: [] }, { exercise: true })).toBe(
      'EXERCISE — COSMIC TOP SECRET',
    );
  });

  it('uses the banner names of audiences', () => {
    expect(formatMarking({ classification: 'NR', releasability: ['NGO', 'HOST-NATION'] })).toBe(
      'NATO RESTRICTED — RELEASABLE TO HOST NATION, NGO',
    );
  });

  it('writes a public marking as approved for public release', () => {
    expect(formatMarking(nu('EU', 'PUBLIC'))).toBe(
      'NATO UNCLASSIFIED — APPROVED FOR PUBLIC RELEASE',
    );
  });

  it('never shows a classified record as public', () => {
    expect(formatMarking({ classification: 'NS', releasability: ['PUBLIC'] })).toBe('NATO SECRET');
  });

  it('lists each audience once', () => {
    expect(formatMarking(nu('EU', 'EU'))).toBe('NATO UNCLASSIFIED — RELEASABLE TO EU');
  });
});

describe('markingBanner', () => {
  it('gives the banner text with the colours of the level', () => {
    expect(markingBanner({ classification: 'NS', releasability: ['EU'] })).toEqual({
      text: 'NATO SECRET — RELEASABLE TO EU',
      backgroundColor: '#C8102E',
      textColor: '#FFFFFF',
    });
    expect(markingBanner(nu(), { exercise: true })).toEqual({
      text: 'EXERCISE — NATO UNCLASSIFIED',
      backgroundColor: '#007A33',
      textColor: '#FFFFFF',
    });
  });
});
