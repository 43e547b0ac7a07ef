import { describe, it, expect } from 'vitest';
import { PopulationConduct, populationConductSchema } from './population-conduct.js';

describe('PopulationConduct', () => {
  it('holds the four Article 5 choices, then self-protection', () => {
    expect(PopulationConduct.codes).toEqual([
      'SUPPORT-ARMED-FORCES',
      'JOIN-CIVIL-PROTECTION',
      'EVACUATE',
      'REMAIN-NEUTRAL',
      'SELF-PROTECTION',
    ]);
  });

  it('flags self-protection, and only it, as separate from the four choices', () => {
    const flagged = PopulationConduct.entries.filter((e) => e.selfProtection).map((e) => e.code);
    expect(flagged).toEqual(['SELF-PROTECTION']);
  });

  it('states the risks of every choice', () => {
    for (const entry of PopulationConduct.entries) {
      expect(entry.risks.trim().length).toBeGreaterThan(20);
      expect(entry.risks).not.toBe(entry.description);
    }
  });

  it('warns where a choice can amount to direct participation in hostilities', () => {
    expect(PopulationConduct.get('SUPPORT-ARMED-FORCES').risks).toMatch(
      /direct participation in hostilities/,
    );
    expect(PopulationConduct.get('SELF-PROTECTION').risks).toMatch(
      /direct participation in hostilities/,
    );
  });

  it('rejects unknown conduct', () => {
    expect(populationConductSchema.safeParse('FLEE').success).toBe(false);
    expect(populationConductSchema.parse('EVACUATE')).toBe('EVACUATE');
  });
});
