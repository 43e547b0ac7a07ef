/**
 * A small reader of HXL (Humanitarian Exchange Language, https://hxlstandard.org/standard/1-1final/)
 * hashtag rows and tag patterns, after the reference library libhxl-python: hashtags and
 * attributes are case-insensitive, a row is a hashtag row when more than half of its non-empty
 * cells are hashtags, and patterns select columns by tag and attributes (`+` required, `-`
 * excluded, `!` no others). No npm library reads HXL; this covers what the CSV import needs.
 */

/**
 * One column's hashtag: the tag (lower case, with `#`), its attributes (lower case, without
 * `+`, each once, in file order) and the text as written.
 *
 * @example
 * parseHxlHashtag('#Geo +Lat'); // { tag: '#geo', attributes: ['lat'], text: '#Geo +Lat' }
 */
export interface HxlHashtag {
  readonly tag: string;
  readonly attributes: readonly string[];
  readonly text: string;
}

const TOKEN = '[A-Za-z][_0-9A-Za-z]*';
const HASHTAG = new RegExp(`^\\s*(#${TOKEN})((?:\\s*\\+${TOKEN})*)\\s*$`);
const PATTERN = new RegExp(`^\\s*#?(${TOKEN}|\\*)((?:\\s*[+-]${TOKEN})*)\\s*(!)?\\s*$`);

/** A hashtag row may follow junk rows; like libhxl, look no further than this many rows. */
export const HXL_MAX_HEADER_ROWS = 25;

/**
 * Parses one cell as an HXL hashtag with attributes, or undefined when it is not one.
 *
 * @example
 * parseHxlHashtag('#loc+name+i_en')?.attributes; // ['name', 'i_en']
 * parseHxlHashtag('loc+name'); // undefined (no '#')
 */
export function parseHxlHashtag(text: string): HxlHashtag | undefined {
  const match = HASHTAG.exec(text);
  if (match === null) return undefined;
  const attributes: string[] = [];
  for (const part of (match[2] ?? '').split('+')) {
    const attribute = part.trim().toLowerCase();
    if (attribute !== '' && !attributes.includes(attribute)) attributes.push(attribute);
  }
  return { tag: (match[1] as string).toLowerCase(), attributes, text: text.trim() };
}

/**
 * Reads a row as a hashtag row: the hashtag of each column (undefined for untagged columns),
 * or undefined when the row is not a hashtag row. As in libhxl, a row is a hashtag row when it
 * has a non-empty cell and fewer than half of its non-empty cells fail to parse — so one
 * mistyped hashtag does not hide the row, and a data row is never taken for one.
 *
 * @example
 * parseHxlTagRow(['', '#org', 'adm1', '#sector']); // [undefined, {#org}, undefined, {#sector}]
 * parseHxlTagRow(['Org', 'Sector']); // undefined
 */
export function parseHxlTagRow(cells: readonly string[]): (HxlHashtag | undefined)[] | undefined {
  let nonEmpty = 0;
  let failed = 0;
  const columns = cells.map((cell) => {
    if (cell.trim() === '') return undefined;
    nonEmpty += 1;
    const hashtag = parseHxlHashtag(cell);
    if (hashtag === undefined) failed += 1;
    return hashtag;
  });
  return nonEmpty > 0 && failed / nonEmpty < 0.5 ? columns : undefined;
}

/**
 * The index of the hashtag row among the first rows of a file, or −1.
 *
 * @example
 * findHxlTagRow([['Junk'], ['Org', 'Province'], ['#org', '#adm1'], ['X', 'Coast']]); // 2
 */
export function findHxlTagRow(rows: readonly (readonly string[])[]): number {
  const limit = Math.min(rows.length, HXL_MAX_HEADER_ROWS);
  for (let i = 0; i < limit; i += 1) {
    if (parseHxlTagRow(rows[i] as readonly string[]) !== undefined) return i;
  }
  return -1;
}

/**
 * A tag pattern that selects columns: a tag (or `*`), attributes that must be present, ones
 * that must be absent, and whether other attributes are allowed.
 *
 * @example
 * parseHxlPattern('#loc+name-i_en'); // { tag: '#loc', include: ['name'], exclude: ['i_en'], absolute: false }
 */
export interface HxlPattern {
  readonly tag: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly absolute: boolean;
}

/**
 * Parses a tag pattern (`#geo+lat`, `loc+name-i_en`, `#org+impl!`, `*+code`); throws on a
 * malformed one, since patterns are written by programmers.
 *
 * @example
 * parseHxlPattern('#targeted+f!').absolute; // true
 */
export function parseHxlPattern(text: string): HxlPattern {
  const match = PATTERN.exec(text);
  if (match === null) {
    throw new Error(
      `"${text}" is not an HXL tag pattern: write #tag, then +attribute or -attribute, then optional !`,
    );
  }
  const include: string[] = [];
  const exclude: string[] = [];
  for (const part of (match[2] ?? '').match(/[+-]\s*[A-Za-z][_0-9A-Za-z]*/g) ?? []) {
    const attribute = part.slice(1).trim().toLowerCase();
    (part.startsWith('+') ? include : exclude).push(attribute);
  }
  const tag = (match[1] as string).toLowerCase();
  return { tag: tag === '*' ? '*' : `#${tag}`, include, exclude, absolute: match[3] === '!' };
}

/**
 * Whether a column's hashtag matches a pattern.
 *
 * @example
 * hxlPatternMatches(parseHxlPattern('#targeted+f'), parseHxlHashtag('#targeted+f+adults')!); // true
 * hxlPatternMatches(parseHxlPattern('#targeted-f'), parseHxlHashtag('#targeted+f')!); // false
 * hxlPatternMatches(parseHxlPattern('#targeted+f!'), parseHxlHashtag('#targeted+f+adults')!); // false
 */
export function hxlPatternMatches(pattern: HxlPattern, hashtag: HxlHashtag): boolean {
  if (pattern.tag !== '*' && pattern.tag !== hashtag.tag) return false;
  if (!pattern.include.every((attribute) => hashtag.attributes.includes(attribute))) return false;
  if (pattern.exclude.some((attribute) => hashtag.attributes.includes(attribute))) return false;
  return !pattern.absolute || hashtag.attributes.every((a) => pattern.include.includes(a));
}

/**
 * The index of the first column matching any of the patterns (tried in order), or −1.
 *
 * @example
 * findHxlColumn(parseHxlTagRow(['#loc+name+i_en', '#loc+name'])!, ['#loc+name-i_en']); // 1
 */
export function findHxlColumn(
  columns: readonly (HxlHashtag | undefined)[],
  patterns: readonly string[],
): number {
  for (const text of patterns) {
    const pattern = parseHxlPattern(text);
    const index = columns.findIndex(
      (column) => column !== undefined && hxlPatternMatches(pattern, column),
    );
    if (index !== -1) return index;
  }
  return -1;
}
