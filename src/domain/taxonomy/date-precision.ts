import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * How precisely the date of an event, casualty or report is known, on the scale of UCDP
 * GED's `date_prec` (1 = exact day, 5 = within a year). `number` is the `date_prec` value.
 *
 * A record stores a start and end date; this code says how wide the real uncertainty is.
 * `maxSpanDays` is the widest window the level allows, which correlation of reports into
 * incidents uses as its time tolerance.
 *
 * @example
 * DatePrecision.get('WEEK').number; // 3
 * datePrecisionFromDatePrec(4); // 'MONTH'
 */
export const DatePrecision = defineCodeList('datePrecision', [
  {
    code: 'DAY',
    number: 1,
    maxSpanDays: 1,
    label: 'Exact day',
    description: 'The exact day is known.',
  },
  {
    code: 'DAYS',
    number: 2,
    maxSpanDays: 6,
    label: 'Within 2–6 days',
    description: 'The date is known to lie within a span of two to six days.',
  },
  {
    code: 'WEEK',
    number: 3,
    maxSpanDays: 7,
    label: 'Within a week',
    description: 'Only the week is known.',
  },
  {
    code: 'MONTH',
    number: 4,
    maxSpanDays: 31,
    label: 'Within a month',
    description: 'The date is known to lie within 8 to 30 days, or only the month is known.',
  },
  {
    code: 'YEAR',
    number: 5,
    maxSpanDays: 366,
    label: 'Within a year',
    description:
      'The date is known to lie within a span longer than a month but not beyond a calendar year, or only the year is known.',
  },
]);

/**
 * A date precision code (`'DAY' | 'DAYS' | 'WEEK' | 'MONTH' | 'YEAR'`).
 *
 * @example
 * const precision: DatePrecision = 'DAY';
 */
export type DatePrecision = CodeOf<typeof DatePrecision>;

/**
 * Accepts a date precision code.
 *
 * @example
 * datePrecisionSchema.parse('MONTH');
 */
export const datePrecisionSchema = DatePrecision.schema;

/**
 * The date precision for a UCDP GED `date_prec` value (1–5), or `undefined` for any other
 * value, so importers can report the row instead of guessing.
 *
 * @example
 * datePrecisionFromDatePrec(1); // 'DAY'
 * datePrecisionFromDatePrec(0); // undefined
 */
export function datePrecisionFromDatePrec(datePrec: number): DatePrecision | undefined {
  return DatePrecision.entries.find((entry) => entry.number === datePrec)?.code;
}
