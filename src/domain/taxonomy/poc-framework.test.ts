import { describe, it, expect } from 'vitest';
import { PocFrameworkElement, pocFrameworkElementSchema } from './poc-framework.js';

describe('PocFrameworkElement', () => {
  it('lists the four elements of the ACO PoC Handbook in order', () => {
    expect(PocFrameworkElement.codes).toEqual(['UHE', 'MH', 'FABN', 'C-SASE']);
    expect(PocFrameworkElement.entries.map((e) => e.label)).toEqual([
      'Understanding the Human Environment',
      'Mitigating Harm',
      'Facilitating Access to Basic Needs',
      'Contributing to a Safe and Secure Environment',
    ]);
  });

  it('accepts the hyphenated C-SASE and rejects near misses', () => {
    expect(pocFrameworkElementSchema.parse('C-SASE')).toBe('C-SASE');
    for (const bad of ['CSASE', 'C_SASE', 'SASE', 'uhe']) {
      expect(pocFrameworkElementSchema.safeParse(bad).success).toBe(false);
    }
  });
});
