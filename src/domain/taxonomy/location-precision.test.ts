import { describe, it, expect } from 'vitest';
import {
  LocationPrecision,
  locationPrecisionFromWherePrec,
  locationPrecisionSchema,
} from './location-precision.js';

describe('LocationPrecision', () => {
  it('follows the UCDP GED where_prec scale 1 to 7, most precise first', () => {
    expect(LocationPrecision.entries.map((e) => [e.number, e.code])).toEqual([
      [1, 'EXACT'],
      [2, 'NEAR'],
      [3, 'ADM2'],
      [4, 'ADM1'],
      [5, 'FEATURE'],
      [6, 'COUNTRY'],
      [7, 'INTERNATIONAL'],
    ]);
  });

  it('states the meaning of the levels that are easiest to confuse', () => {
    expect(LocationPrecision.get('NEAR').description).toMatch(/25 km/);
    expect(LocationPrecision.get('ADM2').label).toMatch(/second-order/i);
    expect(LocationPrecision.get('ADM1').label).toMatch(/first-order/i);
    expect(LocationPrecision.get('FEATURE').description).toMatch(/road, river or border/);
    expect(LocationPrecision.get('INTERNATIONAL').label).toBe('International waters or airspace');
  });

  it('maps where_prec values, and nothing else', () => {
    expect(locationPrecisionFromWherePrec(1)).toBe('EXACT');
    expect(locationPrecisionFromWherePrec(6)).toBe('COUNTRY');
    expect(locationPrecisionFromWherePrec(7)).toBe('INTERNATIONAL');
    for (const bad of [0, 8, 2.5, -1, Number.NaN]) {
      expect(locationPrecisionFromWherePrec(bad)).toBeUndefined();
    }
  });

  it('does not accept the bare number as a code', () => {
    expect(locationPrecisionSchema.safeParse('1').success).toBe(false);
    expect(locationPrecisionSchema.safeParse(1).success).toBe(false);
  });
});
