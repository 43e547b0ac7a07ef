import { describe, it, expect } from 'vitest';
import { DatePrecision, datePrecisionFromDatePrec, datePrecisionSchema } from './date-precision.js';

describe('DatePrecision', () => {
  it('follows the UCDP GED date_prec scale 1 to 5, most precise first', () => {
    expect(DatePrecision.entries.map((e) => [e.number, e.code])).toEqual([
      [1, 'DAY'],
      [2, 'DAYS'],
      [3, 'WEEK'],
      [4, 'MONTH'],
      [5, 'YEAR'],
    ]);
  });

  it('widens the time window at every step', () => {
    const spans = DatePrecision.entries.map((e) => e.maxSpanDays);
    expect(spans).toEqual([1, 6, 7, 31, 366]);
    spans.slice(1).forEach((span, i) => expect(span).toBeGreaterThan(spans[i] ?? Infinity));
  });

  it('maps date_prec values, and nothing else', () => {
    expect(datePrecisionFromDatePrec(1)).toBe('DAY');
    expect(datePrecisionFromDatePrec(5)).toBe('YEAR');
    for (const bad of [0, 6, 1.5, Number.NaN]) {
      expect(datePrecisionFromDatePrec(bad)).toBeUndefined();
    }
  });

  it('rejects unknown precisions', () => {
    expect(datePrecisionSchema.safeParse('HOUR').success).toBe(false);
    expect(datePrecisionSchema.safeParse('DECADE').success).toBe(false);
  });
});
