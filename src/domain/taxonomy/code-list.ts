import { z } from 'zod';

/**
 * One entry of a code list: a stable code, a short human label and what the code means.
 *
 * Lists may add their own fields (`number`, `order`, `connected`, …); those travel with the
 * entry to the API and the web app unchanged.
 *
 * @example
 * const entry: CodeEntry = { code: 'PoC', label: 'Protection of Civilians', description: '…' };
 */
export interface CodeEntry<C extends string = string> {
  /** Stable identifier stored in records and exchanged over the API. Never renamed. */
  readonly code: C;
  /** Short human name, as the field writes it. */
  readonly label: string;
  /** One or two sentences saying what the code means and when to use it. */
  readonly description: string;
}

/** The non-empty tuple of entries a code list is defined from. */
export type CodeEntries = readonly [CodeEntry, ...CodeEntry[]];

/**
 * The zod enum shape for a union of codes (`{ PoC: 'PoC', … }`), spelled out so that the
 * schema's inferred type is exactly the code union.
 */
type EnumOf<C extends string> = { [K in C]: K };

/**
 * A defined code list: its entries in their canonical order, its codes, a zod schema and
 * lookups. Built by {@link defineCodeList}; never constructed by hand.
 *
 * @example
 * const labels = CrossCuttingTopic.codes.map((code) => CrossCuttingTopic.label(code));
 */
export interface CodeList<N extends string, T extends CodeEntries> {
  /** The list's name, also its key in `TAXONOMIES` and in `GET /api/taxonomies`. */
  readonly name: N;
  /** Entries in canonical order: the order of the source (doctrine, codebook) or rank. */
  readonly entries: T;
  /** The codes, in the same order as `entries`. */
  readonly codes: readonly [T[number]['code'], ...T[number]['code'][]];
  /** Accepts exactly the list's codes; use it in request schemas and forms. */
  readonly schema: z.ZodEnum<EnumOf<T[number]['code']>>;
  /** The human label of a code; throws on a code that is not in the list. */
  label(code: T[number]['code']): string;
  /** Whether an unknown value is one of the list's codes (a type guard). */
  is(value: unknown): value is T[number]['code'];
  /** The full entry of a code, with its extra fields; throws on a code not in the list. */
  get<C extends T[number]['code']>(code: C): Extract<T[number], { readonly code: C }>;
  /** The plain data sent by `GET /api/taxonomies`: name and entries, no functions. */
  toJSON(): CodeListData;
}

/**
 * Any defined code list, whatever its name and entries. Use it for collections of lists.
 *
 * @example
 * const names = Object.values(TAXONOMIES).map((list: AnyCodeList) => list.name);
 */
export type AnyCodeList = CodeList<string, CodeEntries>;

/**
 * The code union of a code list.
 *
 * @example
 * type Topic = CodeOf<typeof CrossCuttingTopic>; // 'PoC' | 'CAAC' | …
 */
export type CodeOf<L extends AnyCodeList> = L['entries'][number]['code'];

/**
 * The entry type of a code list, with the list's extra fields.
 *
 * @example
 * type Level = EntryOf<typeof Classification>; // has `order`, `bannerBackground`, …
 */
export type EntryOf<L extends AnyCodeList> = L['entries'][number];

/**
 * The serialised form of a code list, as `GET /api/taxonomies` returns it.
 *
 * @example
 * const data: CodeListData = JSON.parse(JSON.stringify(Classification));
 */
export interface CodeListData {
  readonly name: string;
  readonly entries: readonly CodeEntry[];
}

/**
 * Validates the serialised form of a code list (a response of `GET /api/taxonomies`). Extra
 * entry fields are kept, because lists carry their own (`number`, `bannerBackground`, …).
 *
 * @example
 * codeListDataSchema.parse(JSON.parse(JSON.stringify(Sex)));
 */
export const codeListDataSchema = z.object({
  name: z.string().min(1),
  entries: z
    .array(
      z.looseObject({
        code: z.string().min(1),
        label: z.string().min(1),
        description: z.string().min(1),
      }),
    )
    .min(1),
});

// Codes end up in URLs, CSV columns, HXL attributes and database enums: keep them to letters,
// digits and inner hyphens so none of those needs escaping.
const CODE_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/**
 * Defines a code list from a non-empty tuple of entries. Checks the entries once, at module
 * load, so a malformed list fails the first test run rather than a user's request: duplicate
 * codes, codes that are not URL-safe, and empty labels or descriptions all throw.
 *
 * Entries are frozen; their order is kept as the list's canonical order.
 *
 * @example
 * export const Sex = defineCodeList('sex', [
 *   { code: 'FEMALE', label: 'Female', description: 'Recorded as female.' },
 *   { code: 'MALE', label: 'Male', description: 'Recorded as male.' },
 * ]);
 * Sex.schema.parse('FEMALE'); // 'FEMALE'
 * Sex.label('MALE'); // 'Male'
 * Sex.is('OTHER'); // false
 */
export function defineCodeList<const N extends string, const T extends CodeEntries>(
  name: N,
  entries: T,
): CodeList<N, T> {
  if (name.trim() === '') {
    throw new Error('A code list needs a non-empty name: pass it as the first argument.');
  }
  if (entries.length === 0) {
    throw new Error(`Code list "${name}" has no entries: give it at least one.`);
  }
  type Entry = T[number];
  type Code = Entry['code'];

  // A Map, not an object, so that 'toString' or '__proto__' are never mistaken for codes.
  const byCode = new Map<string, Entry>();
  for (const entry of entries) {
    if (typeof entry.code !== 'string' || !CODE_PATTERN.test(entry.code)) {
      throw new Error(
        `Code list "${name}" has the code ${JSON.stringify(entry.code)}: codes use letters, digits and inner hyphens only.`,
      );
    }
    if (byCode.has(entry.code)) {
      throw new Error(
        `Code list "${name}" defines the code "${entry.code}" twice: codes must be unique, rename one of them.`,
      );
    }
    if (typeof entry.label !== 'string' || entry.label.trim() === '') {
      throw new Error(`Code list "${name}" has no label for "${entry.code}": add one.`);
    }
    if (typeof entry.description !== 'string' || entry.description.trim() === '') {
      throw new Error(`Code list "${name}" has no description for "${entry.code}": add one.`);
    }
    byCode.set(entry.code, Object.freeze(entry));
  }

  const codes = Object.freeze(entries.map((entry) => entry.code)) as unknown as readonly [
    Code,
    ...Code[],
  ];
  const schema = z
    .enum(codes as unknown as [string, ...string[]])
    .describe(`A code from the Civitas "${name}" list.`) as unknown as z.ZodEnum<EnumOf<Code>>;

  function get<C extends Code>(code: C): Extract<Entry, { readonly code: C }> {
    const entry = byCode.get(code);
    if (entry === undefined) {
      throw new Error(
        `"${String(code)}" is not a code of the "${name}" list: use one of ${[...byCode.keys()].join(', ')}.`,
      );
    }
    return entry as Extract<Entry, { readonly code: C }>;
  }

  const list: CodeList<N, T> = {
    name,
    entries: Object.freeze(entries) as T,
    codes,
    schema,
    label: (code) => get(code).label,
    is: (value): value is Code => typeof value === 'string' && byCode.has(value),
    get,
    toJSON: () => ({ name, entries }),
  };
  return Object.freeze(list);
}
