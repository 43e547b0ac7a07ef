import { describe, expect, it } from 'vitest';
import { protectedObjectInputSchema } from '../../domain/protected-object/protected-object.js';
import { plainObjectInput } from './plain-object-input.js';

const valid = {
  name: 'Landesspital',
  category: 'medical',
  protection: 'geneva-medical',
  geometry: { type: 'Point', coordinates: [9.5209, 47.141] },
  bufferMetres: 300,
  source: 'csv',
  sourceRef: 'H1',
  topics: ['PoC', 'CAAC'],
  marking: { classification: 'NU', releasability: [] },
  lists: [],
};

/** One change to the valid candidate per case: the edges of every check the schema makes. */
const variants: Record<string, unknown>[] = [
  {},
  { nameLatin: 'Landesspital Vaduz' },
  { nameLatin: undefined },
  { nameLatin: '' },
  { nameLatin: ' x' },
  { name: '' },
  { name: ' Spital' },
  { name: 'Spital\t' },
  { name: 'x'.repeat(300) },
  { name: 'x'.repeat(301) },
  { name: 42 },
  { category: 'Medical' },
  { category: 'casino' },
  { protection: 'hague-special' },
  { protection: 'none' },
  { geometry: { type: 'Point', coordinates: [180, 90] } },
  { geometry: { type: 'Point', coordinates: [-180, -90] } },
  { geometry: { type: 'Point', coordinates: [180.0001, 0] } },
  { geometry: { type: 'Point', coordinates: [0, 90.5] } },
  { geometry: { type: 'Point', coordinates: [47.1, 95.5] } },
  { geometry: { type: 'Point', coordinates: [9.5, 47.1, 455] } },
  { geometry: { type: 'Point', coordinates: [9.5, 47.1, 455, 1] } },
  { geometry: { type: 'Point', coordinates: [9.5] } },
  { geometry: { type: 'Point', coordinates: [Number.NaN, 47.1] } },
  { geometry: { type: 'Point', coordinates: [Number.POSITIVE_INFINITY, 47.1] } },
  { geometry: { type: 'Point', coordinates: [9.5, 47.1, Number.NaN] } },
  { geometry: { type: 'Point', coordinates: ['9.5', 47.1] } },
  { geometry: { type: 'Point', coordinates: [-0, 0] } },
  { geometry: { type: 'Point', coordinates: [9.5, 47.1], bbox: [9.5, 47.1, 9.5, 47.1] } },
  { geometry: { coordinates: [9.5, 47.1], type: 'Point' } },
  { geometry: { type: 'MultiPoint', coordinates: [[9.5, 47.1]] } },
  {
    geometry: {
      type: 'LineString',
      coordinates: [
        [9.5, 47.1],
        [9.6, 47.2],
      ],
    },
  },
  { geometry: null },
  { bufferMetres: 0 },
  { bufferMetres: 50_000 },
  { bufferMetres: 50_000.5 },
  { bufferMetres: -1 },
  { bufferMetres: 12.75 },
  { bufferMetres: Number.NaN },
  { bufferMetres: '300' },
  { source: '' },
  { source: ' csv' },
  { source: 'x'.repeat(100) },
  { source: 'x'.repeat(101) },
  { sourceRef: 'x'.repeat(300) },
  { sourceRef: 'x'.repeat(301) },
  { sourceRef: 'H1 ' },
  { topics: [] },
  { topics: ['CPP'] },
  { topics: ['PoC', 'PoC'] },
  { topics: ['poc'] },
  { topics: 'PoC' },
  { marking: { classification: 'NS', releasability: ['EU', 'UN'] } },
  { marking: { classification: 'NU', releasability: ['PUBLIC'] } },
  { marking: { classification: 'NR', releasability: ['PUBLIC'] } },
  { marking: { classification: 'NU', releasability: ['EU', 'EU'] } },
  { marking: { classification: 'XX', releasability: [] } },
  { marking: { classification: 'NU' } },
  { marking: { classification: 'NU', releasability: [], extra: 1 } },
  { lists: [{ list: 'NSL' }] },
  { lists: [{ list: 'RTL', restriction: 'Only with COM approval' }] },
  { lists: [{ list: 'RTL' }] },
  { lists: 'NSL' },
  { unknownField: 1 },
];

describe('plainObjectInput', () => {
  it.each(variants.map((change, i) => [i, change] as const))(
    'agrees with protectedObjectInputSchema on variant %i',
    (_, change) => {
      const candidate = { ...valid, ...change };
      const fast = plainObjectInput(candidate);
      const parsed = protectedObjectInputSchema.safeParse(candidate);
      // It may leave any candidate to zod, but what it accepts zod accepts, with the same data.
      if (fast !== undefined) {
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
        expect(Object.keys(fast)).toEqual(Object.keys(parsed.data!));
      }
    },
  );

  it('takes the common cases itself, so large imports skip zod', () => {
    for (const change of [
      {},
      { nameLatin: 'Landesspital Vaduz' },
      { geometry: { type: 'Point', coordinates: [9.5, 47.1, 455] } },
      { bufferMetres: 0 },
      { topics: [] },
      { marking: { classification: 'NS', releasability: ['EU', 'UN'] } },
    ]) {
      expect(plainObjectInput({ ...valid, ...change })).toBeDefined();
    }
  });

  it('does not share or mutate the candidate', () => {
    const candidate = structuredClone(valid);
    const fast = plainObjectInput(candidate)!;
    expect(candidate).toStrictEqual(valid);
    expect(fast.geometry).not.toBe(candidate.geometry);
    expect(fast.topics).not.toBe(candidate.topics);
    expect(fast.marking).not.toBe(candidate.marking);
  });
});
