import { describe, it, expect } from 'vitest';
import { AscopeCategory, ascopeCategorySchema } from './ascope.js';

describe('AscopeCategory', () => {
  it('lists the six civil considerations in the order of the acronym', () => {
    expect(AscopeCategory.entries.map((e) => e.label)).toEqual([
      'Areas',
      'Structures',
      'Capabilities',
      'Organisations',
      'People',
      'Events',
    ]);
    expect(AscopeCategory.entries.map((e) => e.letter).join('')).toBe('ASCOPE');
    for (const entry of AscopeCategory.entries) {
      expect(entry.label.startsWith(entry.letter)).toBe(true);
    }
  });

  it('rejects the American spelling, so there is one stored form', () => {
    expect(ascopeCategorySchema.safeParse('ORGANIZATIONS').success).toBe(false);
    expect(ascopeCategorySchema.parse('ORGANISATIONS')).toBe('ORGANISATIONS');
  });
});
