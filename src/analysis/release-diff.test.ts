import { describe, expect, it } from 'vitest';
import type { ReleaseItem } from '../domain/protected-object/register.js';
import { diffReleases } from './release-diff.js';

const item = (id: string, over: Partial<ReleaseItem> = {}): ReleaseItem => ({
  objectId: id,
  source: 'test',
  sourceRef: id,
  name: `Object ${id}`,
  nameLatin: null,
  category: 'medical',
  protection: 'geneva-medical',
  list: 'NSL',
  restriction: null,
  bufferMetres: 300,
  centroid: [9.5, 47.1],
  mgrs: null,
  geometry: { type: 'Point', coordinates: [9.5, 47.1] },
  marking: { classification: 'NU', releasability: [] },
  ...over,
});

describe('diffReleases', () => {
  it('finds added, removed, moved and changed objects on a scripted change set', () => {
    const before = [item('a'), item('b'), item('c'), item('d')];
    const after = [
      item('a'),
      item('c', { centroid: [9.5, 47.101] }),
      item('d', { list: 'RTL', restriction: 'COM approval', bufferMetres: 500 }),
      item('e'),
    ];
    const copy = structuredClone(before);
    const diff = diffReleases(before, after);
    expect(diff.added).toEqual(['e']);
    expect(diff.removed).toEqual(['b']);
    expect(diff.moved.map((m) => m.objectId)).toEqual(['c']);
    expect(diff.moved[0]!.metres).toBeCloseTo(111.19, 1);
    expect(diff.changed).toEqual([
      { objectId: 'd', fields: ['list', 'restriction', 'bufferMetres'] },
    ]);
    expect(before).toEqual(copy);
  });

  it('reports nothing for identical releases and ignores sub-metre jitter', () => {
    const diff = diffReleases([item('a')], [item('a', { centroid: [9.500001, 47.1] })]);
    expect(diff).toEqual({ added: [], removed: [], moved: [], changed: [] });
  });
});
