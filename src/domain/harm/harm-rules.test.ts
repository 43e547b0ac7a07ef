import { describe, expect, it } from 'vitest';
import { newHarmReportSchema, newResponseSchema, type NewHarmReport } from './harm.js';
import { checkReport, mayReadCasualtyName, reconcile } from './harm-rules.js';

const NOW = '2024-05-10T12:00:00Z';

function report(overrides: Record<string, unknown> = {}): NewHarmReport {
  return newHarmReportSchema.parse({
    sourceType: 'PARTNER-NGO-IO',
    reliability: 'B',
    sourceName: 'Clinic network',
    receivedAt: '2024-05-02T10:00:00Z',
    location: { lon: 30.5, lat: 50.4, precision: 'EXACT' },
    date: { start: '2024-05-01', end: '2024-05-01', precision: 'DAY' },
    narrative: { confidential: 'names withheld', releasable: 'shelling of a market' },
    killed: { low: 2, best: 3, high: 5 },
    injured: { low: 0, best: 4, high: 6 },
    cause: 'ARTILLERY',
    suspectedParty: 'UNKNOWN',
    marking: { classification: 'NU', releasability: [] },
    ...overrides,
  });
}

describe('checkReport', () => {
  it('accepts a consistent report without warnings', () => {
    expect(checkReport(report(), NOW)).toEqual({ problems: [], warnings: [] });
  });

  it('rejects estimates where low ≤ best ≤ high does not hold, naming the field', () => {
    const { problems } = checkReport(report({ killed: { low: 4, best: 3, high: 5 } }), NOW);
    expect(problems.map((p) => p.path)).toEqual(['killed']);
    expect(problems[0]!.message).toContain('low 4, best 3');
  });

  it('rejects a date range ending before it starts, and harm dates in the future', () => {
    const backwards = checkReport(
      report({ date: { start: '2024-05-01', end: '2024-04-28', precision: 'WEEK' } }),
      NOW,
    );
    expect(backwards.problems.map((p) => p.path)).toEqual(['date.end']);
    const future = checkReport(
      report({
        receivedAt: '2024-05-10T11:00:00Z',
        date: { start: '2024-05-12', end: '2024-05-12', precision: 'DAY' },
      }),
      NOW,
    );
    expect(future.problems.map((p) => p.path)).toContain('date.start');
    expect(future.problems[0]!.message).toContain('future');
  });

  it('rejects a receipt in the future and harm dated after its receipt', () => {
    expect(
      checkReport(report({ receivedAt: '2024-06-01T00:00:00Z' }), NOW).problems.map((p) => p.path),
    ).toEqual(['receivedAt']);
    expect(
      checkReport(report({ receivedAt: '2024-04-30T00:00:00Z' }), NOW).problems.map((p) => p.path),
    ).toEqual(['date.start']);
  });

  it('rejects an impossible calendar date', () => {
    const { problems } = checkReport(
      report({ date: { start: '2024-02-30', end: '2024-03-01', precision: 'DAYS' } }),
      NOW,
    );
    expect(problems.map((p) => p.path)).toEqual(['date.start']);
  });

  it('warns when a breakdown exceeds the best estimate, and rejects above the high one', () => {
    const above = checkReport(report({ killedBreakdown: { sex: { FEMALE: 2, MALE: 2 } } }), NOW);
    expect(above.problems).toEqual([]);
    expect(above.warnings.map((w) => [w.code, w.path])).toEqual([
      ['breakdown_exceeds_best', 'killedBreakdown.sex'],
    ]);
    const over = checkReport(report({ injuredBreakdown: { age: { CHILD: 5, ADULT: 2 } } }), NOW);
    expect(over.problems.map((p) => p.path)).toEqual(['injuredBreakdown.age']);
  });

  it('warns when the date range is wider than its precision allows', () => {
    const { problems, warnings } = checkReport(
      report({ date: { start: '2024-04-01', end: '2024-04-20', precision: 'WEEK' } }),
      NOW,
    );
    expect(problems).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(['date_span_exceeds_precision']);
  });
});

describe('reconcile', () => {
  it('takes the lowest low, the highest high and the median best', () => {
    const estimates = [
      { low: 1, best: 2, high: 4 },
      { low: 3, best: 5, high: 5 },
      { low: 2, best: 9, high: 12 },
    ];
    const lows = estimates.map((e) => e.low);
    const highs = estimates.map((e) => e.high);
    expect(reconcile(estimates)).toEqual({
      low: Math.min(...lows),
      best: 5,
      high: Math.max(...highs),
    });
    expect(reconcile([])).toEqual({ low: 0, best: 0, high: 0 });
    expect(reconcile([estimates[0]!, estimates[1]!]).best).toBe(2);
  });
});

describe('responses and casualty names', () => {
  it('requires amount and currency on payments only', () => {
    expect(
      newResponseSchema.safeParse({ type: 'EX-GRATIA', amount: 500, currency: 'USD' }).success,
    ).toBe(true);
    expect(newResponseSchema.safeParse({ type: 'EX-GRATIA', amount: 500 }).success).toBe(false);
    expect(
      newResponseSchema.safeParse({ type: 'APOLOGY', amount: 5, currency: 'EUR' }).success,
    ).toBe(false);
  });

  it('shows a child casualty name only inside CHILD-IDENTITY', () => {
    const viewer = { clearance: 'NS' as const, organisations: ['NATO' as const], compartments: [] };
    expect(mayReadCasualtyName(true, viewer, { ageGroup: 'ADULT' })).toBe(true);
    expect(mayReadCasualtyName(true, viewer, { ageGroup: 'CHILD' })).toBe(false);
    expect(
      mayReadCasualtyName(
        true,
        { ...viewer, compartments: ['CHILD-IDENTITY'] },
        { ageGroup: 'CHILD' },
      ),
    ).toBe(true);
    expect(mayReadCasualtyName(false, viewer, { ageGroup: 'ADULT' })).toBe(false);
  });
});
