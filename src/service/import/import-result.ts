import type { z } from 'zod';
import type { BBox } from '../../geo/index.js';
import {
  defaultBufferMetres,
  defaultProtection,
  defaultTopics,
  isGeometryInside,
  isLikelySwapped,
  ListKind,
  ObjectCategory,
  ProtectionBasis,
  protectedObjectInputSchema,
  type ProtectedObjectInput,
} from '../../domain/protected-object/protected-object.js';
import { CrossCuttingTopic, type Marking } from '../../domain/taxonomy/index.js';
import { plainObjectInput } from './plain-object-input.js';

/**
 * A feature, row or element that became a valid protected object.
 *
 * @example
 * { kind: 'ok', index: 3, line: 5, sourceId: 'WRI1005111', object: { name: 'Kakhovka', … } }
 */
export interface ImportOk {
  readonly kind: 'ok';
  /** 0-based position in the file: feature, data row, line record or OSM element. */
  readonly index: number;
  /** 1-based line in the file where the item starts, when the format has lines. */
  readonly line?: number;
  /** The item's id in its source (equal to `object.sourceRef`): the key for re-import. */
  readonly sourceId: string;
  readonly object: ProtectedObjectInput;
}

/**
 * A problem with one feature, row or element — or, with `field: 'file'`, with the file as a
 * whole (broken JSON, a truncated OSM file, a missing column); then `index` is the number of
 * items read before the problem and nothing after it is read.
 *
 * @example
 * { kind: 'error', index: 2, line: 4, field: 'latitude', message: 'latitude 147.1 is outside −90..90' }
 */
export interface ImportError {
  readonly kind: 'error';
  readonly index: number;
  readonly line?: number;
  /** Where the problem is, named as the file names it: a property, column, tag or `file`. */
  readonly field: string;
  readonly message: string;
}

/**
 * What a reader yields for each item: expected failures are data, so the caller can list every
 * bad row and write nothing.
 *
 * @example
 * for await (const result of readGeoJson(stream)) if (ImportResult.isError(result)) report(result);
 */
export type ImportResult = ImportOk | ImportError;

/** The `field` of an error about the file as a whole. */
export const FILE_FIELD = 'file';

/**
 * Builders and guards for {@link ImportResult}.
 *
 * @example
 * ImportResult.error(0, 'file', 'the file is empty');
 * results.filter(ImportResult.isOk).map((ok) => ok.object);
 */
export const ImportResult = Object.freeze({
  error(index: number, field: string, message: string, line?: number): ImportError {
    return line === undefined
      ? { kind: 'error', index, field, message }
      : { kind: 'error', index, line, field, message };
  },
  isOk(result: ImportResult): result is ImportOk {
    return result.kind === 'ok';
  },
  isError(result: ImportResult): result is ImportError {
    return result.kind === 'error';
  },
});

/**
 * Options every reader takes.
 *
 * @example
 * const options: ImportOptions = { source: 'wri-gppd', category: 'power', bboxHint: [22, 44, 41, 53] };
 */
export interface ImportOptions {
  /** The dataset the objects come from (`source` of each object); each reader has a default. */
  readonly source?: string;
  /**
   * The marking of every imported object. Default: NATO UNCLASSIFIED with no release beyond
   * NATO — the narrow reading; pass the marking of the source when it is wider or higher.
   */
  readonly marking?: Marking;
  /** The category of items that name none (e.g. `power` for a power-plant list). */
  readonly category?: ObjectCategory;
  /**
   * The box the data is expected in (e.g. the country's). Objects outside it are errors, and
   * objects whose coordinates fall inside it when swapped are reported as swapped.
   */
  readonly bboxHint?: BBox;
}

/** The marking used when the caller gives none: NATO UNCLASSIFIED, no release beyond NATO. */
export const DEFAULT_IMPORT_MARKING: Marking = Object.freeze({
  classification: 'NU',
  releasability: [],
}) as Marking;

/**
 * One item as a reader found it, before checking: any of the values may be missing or of the
 * wrong type. Readers fill what their format has; {@link buildImportResults} checks the rest.
 */
export interface RawObject {
  readonly sourceId?: unknown;
  readonly name?: unknown;
  readonly nameLatin?: unknown;
  readonly category?: unknown;
  readonly protection?: unknown;
  readonly bufferMetres?: unknown;
  readonly topics?: unknown;
  readonly list?: unknown;
  readonly restriction?: unknown;
  readonly geometry?: unknown;
}

/** Where an item is in its file and how its fields are named there, for error messages. */
export interface RawObjectContext {
  readonly index: number;
  readonly line?: number;
  /** How the file names each field (`properties.category`, `#meta+category`, a column…). */
  readonly fieldName: (field: keyof RawObject, path: readonly PropertyKey[]) => string;
  /** The `source` when the options give none. */
  readonly defaultSource: string;
}

/** Errors reported for one item at most; the rest are summed up in the last message. */
const MAX_ERRORS_PER_ITEM = 10;

/**
 * A field name function for formats whose fields are named by path, e.g.
 * `properties.category` or `geometry.coordinates[0][3]`.
 *
 * @example
 * pathFieldName({ category: 'properties.category' })('category', []); // 'properties.category'
 * pathFieldName({})('geometry', ['coordinates', 0, 3]); // 'geometry.coordinates[0][3]'
 */
export function pathFieldName(
  names: Partial<Record<keyof RawObject, string>>,
): RawObjectContext['fieldName'] {
  return (field, path) => `${names[field] ?? field}${formatPath(path)}`;
}

/**
 * Formats a zod issue path below a field: `.key` for keys and `[n]` for indexes.
 *
 * @example
 * formatPath(['coordinates', 0, 3]); // '.coordinates[0][3]'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function describe(value: unknown): string {
  const shown = JSON.stringify(value);
  return shown === undefined ? String(value) : shown.length > 60 ? `${shown.slice(0, 57)}…` : shown;
}

/**
 * Parses a number written in a file: a JSON number, or a string in plain decimal notation
 * (`47.14`, `-3`, `1e3`); anything else (`47,14`, `47°08'N`, ``) is undefined.
 *
 * @example
 * parseDecimal(' 47.14 '); // 47.14
 * parseDecimal('47,14'); // undefined
 */
export function parseDecimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function splitList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const parts = value
      .split(/[;,|\s]+/)
      .map((part) => part.trim())
      .filter((part) => part !== '');
    return parts.length === 0 ? undefined : parts;
  }
  return [value];
}

const CODES_BY_LOWER_CASE = new WeakMap<readonly string[], ReadonlyMap<string, string>>();

/** Case-insensitive lookup of a code in a list, returning the list's spelling. */
function findCode<C extends string>(codes: readonly C[], value: string): C | undefined {
  let byLowerCase = CODES_BY_LOWER_CASE.get(codes);
  if (byLowerCase === undefined) {
    // The first spelling wins, as a search through the list would find it.
    byLowerCase = new Map([...codes].reverse().map((code) => [code.toLowerCase(), code]));
    CODES_BY_LOWER_CASE.set(codes, byLowerCase);
  }
  return byLowerCase.get(value.trim().toLowerCase()) as C | undefined;
}

/**
 * Checks one raw item and turns it into import results: one `ok` with the finished object, or
 * one `error` per problem found (at most 10). Missing optional fields get the category's
 * defaults; the marking and source come from the options.
 *
 * @example
 * buildImportResults(
 *   { sourceId: 'a1', name: 'Clinic', category: 'medical', geometry: { type: 'Point', coordinates: [9.5, 47.1] } },
 *   { index: 0, line: 2, fieldName: pathFieldName({}), defaultSource: 'csv' },
 *   {},
 * ); // [{ kind: 'ok', … }]
 */
export function buildImportResults(
  raw: RawObject,
  context: RawObjectContext,
  options: ImportOptions,
): ImportResult[] {
  const errors: ImportError[] = [];
  const fail = (field: keyof RawObject, message: string, path: readonly PropertyKey[] = []) => {
    errors.push(
      ImportResult.error(context.index, context.fieldName(field, path), message, context.line),
    );
  };

  const sourceId = text(raw.sourceId);
  if (sourceId === undefined) {
    fail('sourceId', 'has no id: every object needs its id in the source, for re-import');
  }
  const name = text(raw.name);
  if (name === undefined) fail('name', 'has no name');

  let category: ObjectCategory | undefined;
  const categoryText = text(raw.category);
  if (categoryText !== undefined) {
    category = findCode(ObjectCategory.codes, categoryText);
    if (category === undefined) {
      fail(
        'category',
        `unknown category ${describe(raw.category)}: use one of ${ObjectCategory.codes.join(', ')}`,
      );
    }
  } else if (options.category !== undefined) {
    category = options.category;
  } else {
    fail('category', `has no category: use one of ${ObjectCategory.codes.join(', ')}`);
  }

  let protection: ProtectionBasis | undefined;
  const protectionText = text(raw.protection);
  if (protectionText !== undefined) {
    protection = findCode(ProtectionBasis.codes, protectionText);
    if (protection === undefined) {
      fail(
        'protection',
        `unknown protection basis ${describe(raw.protection)}: use one of ${ProtectionBasis.codes.join(', ')}`,
      );
    }
  }

  let bufferMetres: number | undefined;
  if (raw.bufferMetres !== undefined && raw.bufferMetres !== null && raw.bufferMetres !== '') {
    bufferMetres = parseDecimal(raw.bufferMetres);
    if (bufferMetres === undefined) {
      fail('bufferMetres', `buffer ${describe(raw.bufferMetres)} is not a number of metres`);
    }
  }

  let topics: CrossCuttingTopic[] | undefined;
  const topicList = splitList(raw.topics);
  if (topicList !== undefined) {
    topics = [];
    for (const [i, topic] of topicList.entries()) {
      const code = typeof topic === 'string' ? findCode(CrossCuttingTopic.codes, topic) : undefined;
      if (code === undefined) {
        fail(
          'topics',
          `unknown topic ${describe(topic)}: use one of ${CrossCuttingTopic.codes.join(', ')}`,
          Array.isArray(raw.topics) ? [i] : [],
        );
      } else if (!topics.includes(code)) {
        topics.push(code);
      }
    }
  }

  let list: ListKind | undefined;
  const listText = text(raw.list);
  if (listText !== undefined) {
    list = findCode(ListKind.codes, listText);
    if (list === undefined) {
      fail('list', `unknown list ${describe(raw.list)}: use NSL or RTL`);
    }
  }
  const restriction = text(raw.restriction);
  if (restriction !== undefined && list === undefined && listText === undefined) {
    fail('restriction', 'has a restriction but no list: restrictions belong to RTL entries');
  }

  if (raw.geometry === undefined || raw.geometry === null) {
    fail('geometry', 'has no geometry');
  }

  if (errors.length > 0 || sourceId === undefined || category === undefined) {
    return capped(errors);
  }

  const nameLatin = text(raw.nameLatin);
  const candidate = {
    name,
    ...(nameLatin !== undefined && nameLatin !== name ? { nameLatin } : {}),
    category,
    protection: protection ?? defaultProtection(category),
    geometry: raw.geometry,
    bufferMetres: bufferMetres ?? defaultBufferMetres(category),
    source: options.source ?? context.defaultSource,
    sourceRef: sourceId,
    topics: topics ?? defaultTopics(category),
    marking: options.marking ?? DEFAULT_IMPORT_MARKING,
    lists:
      list === undefined ? [] : [{ list, ...(restriction === undefined ? {} : { restriction }) }],
  };
  // Plainly valid points skip zod (the bulk of large imports); the schema decides the rest.
  let object = plainObjectInput(candidate);
  if (object === undefined) {
    const parsed = protectedObjectInputSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(issueToError(issue, context));
      return capped(errors);
    }
    object = parsed.data;
  }
  if (options.bboxHint !== undefined && !isGeometryInside(object.geometry, options.bboxHint)) {
    const box = options.bboxHint.join(', ');
    fail(
      'geometry',
      isLikelySwapped(object.geometry, options.bboxHint)
        ? `coordinates look swapped (latitude written first): swapped, they fall inside the expected area [${box}]`
        : `lies outside the expected area [${box}]`,
    );
    return errors;
  }
  return [{ kind: 'ok', index: context.index, ...lineOf(context), sourceId, object }];
}

function lineOf(context: RawObjectContext): { line?: number } {
  return context.line === undefined ? {} : { line: context.line };
}

const FIELD_OF_KEY: Readonly<Record<string, keyof RawObject>> = {
  name: 'name',
  nameLatin: 'nameLatin',
  category: 'category',
  protection: 'protection',
  geometry: 'geometry',
  bufferMetres: 'bufferMetres',
  sourceRef: 'sourceId',
  topics: 'topics',
  lists: 'list',
};

function issueToError(issue: z.core.$ZodIssue, context: RawObjectContext): ImportError {
  const [key, ...rest] = issue.path;
  const field = typeof key === 'string' ? FIELD_OF_KEY[key] : undefined;
  let name: string;
  let below = rest;
  if (field === 'list') {
    // lists[0].restriction is the restriction field; lists[n] the list field.
    const restrictionIssue = rest[1] === 'restriction';
    name = context.fieldName(restrictionIssue ? 'restriction' : 'list', []);
    below = [];
  } else if (field !== undefined) {
    name = context.fieldName(field, rest);
    below = [];
  } else {
    name = [key, ...rest].map(String).join('.') || 'object';
  }
  const message = below.length > 0 ? `${issue.message} (at ${formatPath(below)})` : issue.message;
  return ImportResult.error(context.index, name, message, context.line);
}

function capped(errors: ImportError[]): ImportError[] {
  if (errors.length <= MAX_ERRORS_PER_ITEM) return errors;
  const kept = errors.slice(0, MAX_ERRORS_PER_ITEM);
  const last = kept[kept.length - 1] as ImportError;
  kept[kept.length - 1] = {
    ...last,
    message: `${last.message} (and ${errors.length - MAX_ERRORS_PER_ITEM} more problems in this item)`,
  };
  return kept;
}

/**
 * A failure of the file's content (not of the stream): broken JSON, a truncated file, bytes
 * that are not UTF-8. Readers turn it into an error result with `field: 'file'`.
 *
 * @example
 * throw new ImportContentError('the file ends inside a way: it is truncated', 120);
 */
export class ImportContentError extends Error {
  override readonly name = 'ImportContentError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * A check that a source id seen twice in one file is an error on the second item: re-import
 * keys on the id, so two items with one id would overwrite each other. It returns the result
 * given, or the error that replaces it; `field` names the id in the file's terms.
 *
 * @example
 * const unique = uniqueSourceIds('id');
 * for (const result of results) out.push(unique(result));
 */
export function uniqueSourceIds(field: string): (result: ImportResult) => ImportResult {
  const seen = new Map<string, number>();
  return (result) => {
    if (result.kind !== 'ok') return result;
    const first = seen.get(result.sourceId);
    if (first !== undefined) {
      return ImportResult.error(
        result.index,
        field,
        `id ${describe(result.sourceId)} is already used by item ${first}: ids must be unique in a file`,
        result.line,
      );
    }
    seen.set(result.sourceId, result.index);
    return result;
  };
}

/**
 * Wraps a reader with {@link uniqueSourceIds}.
 *
 * @example
 * for await (const r of withUniqueSourceIds(rawResults, 'id')) …
 */
export async function* withUniqueSourceIds(
  results: AsyncIterable<ImportResult>,
  field: string,
): AsyncGenerator<ImportResult, void, undefined> {
  const unique = uniqueSourceIds(field);
  for await (const result of results) yield unique(result);
}

/**
 * The file-level error for a content failure, or undefined when the error is something else
 * (an unreadable stream), which the reader rethrows.
 *
 * @example
 * const fileError = contentErrorResult(error, count);
 * if (fileError === undefined) throw error;
 */
export function contentErrorResult(error: unknown, index: number): ImportError | undefined {
  if (!(error instanceof ImportContentError)) return undefined;
  return ImportResult.error(index, FILE_FIELD, error.message, error.line);
}
