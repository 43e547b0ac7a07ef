import { describe, it, expect } from 'vitest';
import { GraveViolation, graveViolationSchema } from './grave-violation.js';

describe('GraveViolation', () => {
  it('holds exactly the six grave violations of the UN MRM, in order', () => {
    expect(GraveViolation.entries.map((e) => e.label)).toEqual([
      'Killing and maiming of children',
      'Recruitment and use of children by armed forces and armed groups',
      'Sexual violence against children',
      'Attacks against schools or hospitals',
      'Abduction of children',
      'Denial of humanitarian access for children',
    ]);
  });

  it('numbers them 1 to 6 and puts the number in the code', () => {
    expect(GraveViolation.entries.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const entry of GraveViolation.entries) {
      expect(entry.code.startsWith(`GV${entry.number}-`)).toBe(true);
    }
  });

  it('rejects violations that are not among the six', () => {
    for (const bad of ['GV7-MILITARY-USE', 'MILITARY-USE-OF-SCHOOLS', '4', 'GV4']) {
      expect(graveViolationSchema.safeParse(bad).success).toBe(false);
    }
  });
});
