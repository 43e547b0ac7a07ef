import { describe, expect, it } from 'vitest';
import {
  errorsFor,
  fieldErrors,
  harmQuery,
  incidentFeatures,
  noHarmFilters,
  statsKeyDate,
  trackRoute,
} from '../../web/src/harm-view.js';

describe('the Track views', () => {
  it('reads each Track path, and nothing else', () => {
    expect(trackRoute('/track')).toEqual({ kind: 'incidents' });
    expect(trackRoute('/track/')).toEqual({ kind: 'incidents' });
    expect(trackRoute('/track/report')).toEqual({ kind: 'report' });
    expect(trackRoute('/track/candidates')).toEqual({ kind: 'candidates' });
    expect(trackRoute('/track/dashboard')).toEqual({ kind: 'dashboard' });
    expect(trackRoute('/track/incidents/a%2Fb')).toEqual({ kind: 'incident', id: 'a/b' });
    expect(trackRoute('/track/incidents/x/y')).toEqual({ kind: 'unknown' });
    expect(trackRoute('/track/reports')).toEqual({ kind: 'unknown' });
  });

  it('sends only the filters that are set, trimmed', () => {
    expect(harmQuery({ ...noHarmFilters, area: ' UA63 ', grade: 'FAIR' })).toEqual({
      from: undefined,
      to: undefined,
      area: 'UA63',
      grade: 'FAIR',
      topic: undefined,
    });
  });

  it('puts an API problem next to the field it names, whichever layer found it', () => {
    const byField = fieldErrors([
      { path: 'body.location.lat', message: 'too big' },
      { path: 'killed', message: 'low ≤ best ≤ high does not hold' },
      { path: 'body.killedBreakdown.age', message: 'counts 9 people' },
    ]);
    expect(errorsFor(byField, 'location')).toEqual(['too big']);
    expect(errorsFor(byField, 'location.lat')).toEqual(['too big']);
    expect(errorsFor(byField, 'killed')).toEqual(['low ≤ best ≤ high does not hold']);
    expect(errorsFor(byField, 'killedBreakdown.age')).toEqual(['counts 9 people']);
    // A prefix of a name is not the field.
    expect(errorsFor(byField, 'kill')).toEqual([]);
  });

  it('places statistics periods given as months, Mondays or ISO weeks', () => {
    expect(statsKeyDate('2024-05')?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(statsKeyDate('2024-03-04')?.toISOString()).toBe('2024-03-04T00:00:00.000Z');
    // ISO week 1 of 2021 starts on Monday 4 January 2021; of 2026 on 29 December 2025.
    expect(statsKeyDate('2021-W01')?.toISOString()).toBe('2021-01-04T00:00:00.000Z');
    expect(statsKeyDate('2026-W01')?.toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(statsKeyDate('2024-W10')?.toISOString()).toBe('2024-03-04T00:00:00.000Z');
    expect(statsKeyDate('UNKNOWN')).toBeNull();
  });

  it('maps incidents as points weighted by the people harmed, at least 1', () => {
    const incident = {
      id: 'i1',
      title: 'Market',
      location: { lon: 18.5, lat: 4.3 },
      killed: { low: 0, best: 0, high: 0 },
      injured: { low: 0, best: 0, high: 1 },
    } as Parameters<typeof incidentFeatures>[0][number];
    const [feature] = incidentFeatures([incident]).features;
    expect(feature?.geometry).toEqual({ type: 'Point', coordinates: [18.5, 4.3] });
    expect(feature?.properties).toMatchObject({ id: 'i1', name: 'Market', weight: 1 });
  });
});
