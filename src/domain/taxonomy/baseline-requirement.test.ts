import { describe, it, expect } from 'vitest';
import { BaselineRequirement, baselineRequirementSchema } from './baseline-requirement.js';

describe('BaselineRequirement', () => {
  it('holds exactly the seven baseline requirements of the domain primer, in order', () => {
    expect(BaselineRequirement.entries.map((e) => e.label)).toEqual([
      'Assured continuity of government and critical government services',
      'Resilient energy supplies',
      'Ability to deal effectively with uncontrolled movement of people',
      'Resilient food and water resources',
      'Ability to deal with mass casualties and disruptive health crises',
      'Resilient civil communications systems',
      'Resilient transport systems',
    ]);
  });

  it('numbers them 1 to 7 and puts the number in the code', () => {
    expect(BaselineRequirement.entries.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const entry of BaselineRequirement.entries) {
      expect(entry.code.startsWith(`BR${entry.number}-`)).toBe(true);
    }
    expect(BaselineRequirement.codes[0]).toBe('BR1-GOVERNMENT');
  });

  it('rejects a bare number or a wrong pairing of number and keyword', () => {
    for (const bad of ['1', 'BR1', 'BR2-GOVERNMENT', 'br1-government']) {
      expect(baselineRequirementSchema.safeParse(bad).success).toBe(false);
    }
  });
});
