import { stringify } from 'csv-stringify/sync';

/**
 * Neutralises a cell a spreadsheet would run as a formula: a leading `=`, `+`, `-`, `@`, tab,
 * carriage return or NUL — also after leading white space — gets a `'` in front (OWASP CSV
 * injection advice). csv-stringify's own `escape_formulas` misses NUL and leading white space,
 * so this pass runs first.
 *
 * @example
 * neutraliseFormula('=HYPERLINK("http://x")'); // "'=HYPERLINK(\"http://x\")"
 */
export function neutraliseFormula(cell: string): string {
  return /^[\s\0]*[=+\-@\t\r\0]/.test(cell) ? `'${cell}` : cell;
}

/**
 * A CSV file whose first line is the marking of its contents (so the marking travels with the
 * file), then the header, then the rows; RFC 4180 quoting; every cell neutralised.
 *
 * @example
 * csvWithMarking('NATO UNCLASSIFIED', ['id', 'title'], [['f1', '=1+1']]);
 */
export function csvWithMarking(
  marking: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  // A number is never a formula: only text is neutralised, so negative numbers stay numbers.
  const clean = (v: unknown) =>
    typeof v === 'number'
      ? String(v)
      : neutraliseFormula(v === null || v === undefined ? '' : String(v));
  return stringify([[marking], header.map(clean), ...rows.map((r) => r.map(clean))], {
    quoted_match: /[",\n\r]/,
    record_delimiter: 'windows',
  });
}
