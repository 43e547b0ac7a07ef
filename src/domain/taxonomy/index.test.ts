import { describe, it, expect, expectTypeOf } from 'vitest';
import {
  TAXONOMIES,
  codeListDataSchema,
  isTaxonomyName,
  type AnyCodeList,
  type Classification,
  type CodeOf,
  type TaxonomyName,
} from './index.js';

const lists = Object.entries(TAXONOMIES) as [string, AnyCodeList][];

describe('TAXONOMIES', () => {
  it('holds every code list under its own name', () => {
    expect(Object.keys(TAXONOMIES)).toEqual([
      'crossCuttingTopic',
      'pocFrameworkElement',
      'pmesiiDomain',
      'ascopeCategory',
      'sex',
      'ageGroup',
      'disabilityStatus',
      'displacementStatus',
      'populationConduct',
      'baselineRequirement',
      'locationPrecision',
      'datePrecision',
      'graveViolation',
      'classification',
      'releasability',
    ]);
    for (const [key, list] of lists) expect(list.name).toBe(key);
  });

  it('is frozen, so no caller can add or swap a list', () => {
    expect(Object.isFrozen(TAXONOMIES)).toBe(true);
  });

  describe.each(lists)('%s', (_name, list) => {
    it('has unique codes', () => {
      expect(new Set(list.codes).size).toBe(list.codes.length);
      expect(list.codes).toEqual(list.entries.map((entry) => entry.code));
    });

    it('has unique, non-empty labels and non-empty descriptions', () => {
      const labels = list.entries.map((entry) => entry.label);
      expect(new Set(labels).size).toBe(labels.length);
      for (const entry of list.entries) {
        expect(entry.label.trim()).not.toBe('');
        expect(entry.description.trim().length).toBeGreaterThan(10);
      }
    });

    it('ends every description with a full stop', () => {
      for (const entry of list.entries) expect(entry.description).toMatch(/[.)]$/);
    });

    it('accepts every code and rejects unknown ones', () => {
      for (const code of list.codes) expect(list.schema.safeParse(code).success).toBe(true);
      for (const bad of ['NOT-A-CODE', '', 'toString', 0, null]) {
        expect(list.schema.safeParse(bad).success).toBe(false);
      }
    });

    it('numbers its entries 1, 2, 3, … when it numbers them at all', () => {
      const numbers = list.entries.map((entry) => (entry as { number?: unknown }).number);
      if (numbers.every((n) => n === undefined)) return;
      expect(numbers).toEqual(list.entries.map((_, i) => i + 1));
    });

    it('serialises to plain data for GET /api/taxonomies', () => {
      const data = codeListDataSchema.parse(JSON.parse(JSON.stringify(list)));
      expect(data.name).toBe(list.name);
      expect(data.entries.map((entry) => entry.code)).toEqual(list.codes);
    });
  });

  it('serialises as a whole to name → { name, entries }', () => {
    const data = JSON.parse(JSON.stringify(TAXONOMIES)) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(Object.keys(TAXONOMIES));
    expect(data['classification']).toEqual({
      name: 'classification',
      entries: TAXONOMIES.classification.entries,
    });
  });

  it('keeps the precise types of each list', () => {
    expectTypeOf<CodeOf<typeof TAXONOMIES.classification>>().toEqualTypeOf<Classification>();
    expectTypeOf(TAXONOMIES.graveViolation.get('GV1-KILLING-MAIMING').number).toEqualTypeOf<1>();
  });
});

describe('isTaxonomyName', () => {
  it('recognises list names and nothing else', () => {
    expect(isTaxonomyName('classification')).toBe(true);
    expect(isTaxonomyName('crossCuttingTopic')).toBe(true);
    for (const bad of ['toString', 'hasOwnProperty', 'cross-cutting-topic', '', 3, null]) {
      expect(isTaxonomyName(bad)).toBe(false);
    }
    expectTypeOf<TaxonomyName>().toExtend<string>();
  });
});
