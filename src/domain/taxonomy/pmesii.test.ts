import { describe, it, expect } from 'vitest';
import { PmesiiDomain, pmesiiDomainSchema } from './pmesii.js';

describe('PmesiiDomain', () => {
  it('lists the six domains in the order of the acronym', () => {
    expect(PmesiiDomain.entries.map((e) => e.label)).toEqual([
      'Political',
      'Military',
      'Economic',
      'Social',
      'Information',
      'Infrastructure',
    ]);
    expect(PmesiiDomain.entries.map((e) => e.letter).join('')).toBe('PMESII');
  });

  it('keeps Information and Infrastructure apart although they share a letter', () => {
    expect(pmesiiDomainSchema.parse('INFORMATION')).toBe('INFORMATION');
    expect(pmesiiDomainSchema.parse('INFRASTRUCTURE')).toBe('INFRASTRUCTURE');
    expect(pmesiiDomainSchema.safeParse('I').success).toBe(false);
  });
});
