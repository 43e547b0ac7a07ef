import { describe, it, expect, expectTypeOf } from 'vitest';
import { codeListDataSchema, defineCodeList, type CodeOf, type EntryOf } from './code-list.js';

const Fruit = defineCodeList('fruit', [
  { code: 'APPLE', label: 'Apple', description: 'A pome.', order: 2 },
  { code: 'PEAR', label: 'Pear', description: 'Another pome.', order: 1 },
  { code: 'SLOE-BERRY', label: 'Sloe', description: 'A drupe.', order: 3 },
]);

describe('defineCodeList', () => {
  it('keeps the name, the entries and their order', () => {
    expect(Fruit.name).toBe('fruit');
    expect(Fruit.codes).toEqual(['APPLE', 'PEAR', 'SLOE-BERRY']);
    expect(Fruit.entries.map((entry) => entry.label)).toEqual(['Apple', 'Pear', 'Sloe']);
  });

  it('builds a schema that accepts exactly the codes', () => {
    for (const code of Fruit.codes) expect(Fruit.schema.parse(code)).toBe(code);
    for (const bad of ['apple', 'PLUM', '', ' APPLE', 1, null, undefined, {}]) {
      expect(Fruit.schema.safeParse(bad).success).toBe(false);
    }
    expect(Fruit.schema.options).toEqual(['APPLE', 'PEAR', 'SLOE-BERRY']);
  });

  it('labels codes and returns whole entries with their extra fields', () => {
    expect(Fruit.label('PEAR')).toBe('Pear');
    expect(Fruit.get('SLOE-BERRY')).toEqual({
      code: 'SLOE-BERRY',
      label: 'Sloe',
      description: 'A drupe.',
      order: 3,
    });
    expect(Fruit.get('APPLE').order).toBe(2);
  });

  it('throws a message naming the valid codes when asked for an unknown code', () => {
    expect(() => Fruit.get('PLUM' as never)).toThrow(/"PLUM" is not a code of the "fruit" list/);
    expect(() => Fruit.get('PLUM' as never)).toThrow(/APPLE, PEAR, SLOE-BERRY/);
    expect(() => Fruit.label('PLUM' as never)).toThrow(/not a code/);
  });

  it('recognises codes and nothing else, including prototype keys', () => {
    expect(Fruit.is('APPLE')).toBe(true);
    for (const value of [
      'apple',
      'toString',
      '__proto__',
      'constructor',
      '',
      42,
      null,
      undefined,
      ['APPLE'],
    ]) {
      expect(Fruit.is(value)).toBe(false);
    }
  });

  it('narrows unknown values with is()', () => {
    const value: unknown = 'PEAR';
    if (Fruit.is(value)) expectTypeOf(value).toEqualTypeOf<'APPLE' | 'PEAR' | 'SLOE-BERRY'>();
    else expect.fail('PEAR should be a fruit code');
  });

  it('throws at definition time on a duplicate code', () => {
    expect(() =>
      defineCodeList('dup', [
        { code: 'A', label: 'A', description: 'First.' },
        { code: 'B', label: 'B', description: 'Second.' },
        { code: 'A', label: 'A again', description: 'Third.' },
      ]),
    ).toThrow('Code list "dup" defines the code "A" twice');
  });

  it('throws at definition time on empty labels or descriptions', () => {
    expect(() => defineCodeList('x', [{ code: 'A', label: ' ', description: 'D.' }])).toThrow(
      /no label for "A"/,
    );
    expect(() => defineCodeList('x', [{ code: 'A', label: 'A', description: '' }])).toThrow(
      /no description for "A"/,
    );
  });

  it('throws at definition time on codes that are not URL-safe', () => {
    for (const code of ['', 'A B', '-A', 'A-', 'A--B', 'A/B', 'É']) {
      expect(() => defineCodeList('x', [{ code, label: 'L', description: 'D.' }])).toThrow(
        /letters, digits and inner hyphens/,
      );
    }
  });

  it('throws on an empty list or an empty name', () => {
    expect(() => defineCodeList('x', [] as never)).toThrow(/no entries/);
    expect(() => defineCodeList('', [{ code: 'A', label: 'A', description: 'D.' }])).toThrow(
      /non-empty name/,
    );
  });

  it('freezes the list, its entries and its codes', () => {
    expect(Object.isFrozen(Fruit)).toBe(true);
    expect(Object.isFrozen(Fruit.entries)).toBe(true);
    expect(Object.isFrozen(Fruit.codes)).toBe(true);
    for (const entry of Fruit.entries) expect(Object.isFrozen(entry)).toBe(true);
  });

  it('serialises to plain data that codeListDataSchema accepts', () => {
    const data: unknown = JSON.parse(JSON.stringify(Fruit));
    expect(data).toEqual({ name: 'fruit', entries: Fruit.entries });
    const parsed = codeListDataSchema.parse(data);
    expect(parsed.entries[0]).toHaveProperty('order', 2);
    expect(codeListDataSchema.safeParse({ name: 'fruit', entries: [] }).success).toBe(false);
    expect(
      codeListDataSchema.safeParse({ name: 'fruit', entries: [{ code: 'A', label: '' }] }).success,
    ).toBe(false);
  });

  it('infers the code union and the entry type', () => {
    expectTypeOf<CodeOf<typeof Fruit>>().toEqualTypeOf<'APPLE' | 'PEAR' | 'SLOE-BERRY'>();
    expectTypeOf<EntryOf<typeof Fruit>['order']>().toEqualTypeOf<1 | 2 | 3>();
    expectTypeOf(Fruit.schema.parse('APPLE')).toEqualTypeOf<'APPLE' | 'PEAR' | 'SLOE-BERRY'>();
    expectTypeOf(Fruit.get('PEAR').order).toEqualTypeOf<1>();
  });
});
