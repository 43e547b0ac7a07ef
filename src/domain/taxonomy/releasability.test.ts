import { describe, it, expect } from 'vitest';
import { Releasability, releasabilitySchema } from './releasability.js';

describe('Releasability', () => {
  it('lists the partner audiences, widest (PUBLIC) last', () => {
    expect(Releasability.codes).toEqual([
      'NATO',
      'EU',
      'UN',
      'OSCE',
      'AU',
      'HOST-NATION',
      'NGO',
      'PUBLIC',
    ]);
  });

  it('spells out the organisations', () => {
    expect(Releasability.label('EU')).toBe('European Union');
    expect(Releasability.label('UN')).toBe('United Nations');
    expect(Releasability.label('OSCE')).toBe(
      'Organization for Security and Co-operation in Europe',
    );
    expect(Releasability.label('AU')).toBe('African Union');
  });

  it('has an upper-case banner name for every audience, without hyphens', () => {
    for (const entry of Releasability.entries) {
      expect(entry.bannerName).toMatch(/^[A-Z][A-Z ]*$/);
    }
    expect(Releasability.get('HOST-NATION').bannerName).toBe('HOST NATION');
  });

  it('rejects audiences it does not know, including national caveats', () => {
    for (const bad of ['USA', 'FVEY', 'ICRC', 'HOST NATION', 'eu', 'ALL']) {
      expect(releasabilitySchema.safeParse(bad).success).toBe(false);
    }
  });
});
