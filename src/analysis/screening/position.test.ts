import mgrs from 'mgrs';
import { describe, expect, it } from 'vitest';
import { lonLat, lonLatDistanceMetres } from '../../geo/index.js';
import { parsePosition } from './position.js';

const ok = (text: string) => {
  const r = parsePosition(text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r;
};

describe('parsePosition: MGRS', () => {
  it('reads what the library writes, at every precision, back to the centre of the same square', () => {
    // A low-discrepancy sequence (golden-ratio steps) spreads the points evenly over the MGRS area.
    // (Not lon −180 itself: the centre of a square on the antimeridian lies beyond it.)
    for (let i = 1; i <= 400; i += 1) {
      const lon = -180 + ((i * 0.6180339887498949) % 1) * 360;
      const lat = -79.9 + ((i * 0.7548776662466927 + 0.5) % 1) * 163.8;
      for (const digits of [5, 4, 3, 2, 1]) {
        const ref = mgrs.forward([lon, lat], digits);
        const spaced = `${ref.slice(0, -2 * digits - 2)} ${ref.slice(-2 * digits - 2, -2 * digits)} ${ref.slice(-2 * digits, -digits)} ${ref.slice(-digits)}`;
        for (const text of [ref, spaced, ref.toLowerCase()]) {
          const r = ok(text);
          expect(r.kind).toBe('mgrs');
          // The centre of the square lies in the same square (a band or zone boundary may cut
          // a 10 km or 1 km square, putting its centre in the next one)…
          if (digits >= 3) expect(mgrs.forward([r.lon, r.lat], digits)).toBe(ref);
          expect(r.warning).toBeUndefined();
          // …and within half its diagonal (plus a metre for the grid's own rounding) of the point.
          const side = 10 ** (5 - digits);
          const d = lonLatDistanceMetres(lonLat(lon, lat), lonLat(r.lon, r.lat));
          expect(d).toBeLessThan(side * Math.SQRT1_2 * 1.01 + 1);
        }
      }
    }
  });

  it('refuses an odd number of digits, too many digits and a bad zone, naming the mgrs field', () => {
    for (const [text, re] of [
      ['36UUA239409160', /even number of digits/],
      ['36UUA', /even number of digits/],
      ['36UUA123456789012', /even number of digits/],
      ['61UUA2394091604', /zone 61/],
      ['0UUA2394091604', /zone 0/],
      ['36U UA 2394091 604', /same number of digits/],
      ['36U UA 23940 91604 100', /same number of digits/],
    ] as const) {
      const r = parsePosition(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.field).toBe('mgrs');
        expect(r.message).toMatch(re);
      }
    }
  });

  it('warns when the band letter does not match the square', () => {
    const good = mgrs.forward([30.52, 50.45], 5); // 36UUA…
    const r = ok(good.replace('U', 'T'));
    expect(r.warning).toMatch(/check the band/);
    expect(ok(good).warning).toBeUndefined();
  });
});

describe('parsePosition: decimal and lettered degrees', () => {
  it('reads lat first, with commas, spaces, semicolons and signs', () => {
    for (const text of ['50.45, 30.52', '50.45 30.52', '50.45;30.52', ' 50.45 ,  30.52 ']) {
      expect(ok(text)).toMatchObject({ lat: 50.45, lon: 30.52, kind: 'decimal' });
    }
    expect(ok('-3.38, 29.36')).toMatchObject({ lat: -3.38, lon: 29.36 });
    expect(ok('-33.9, -70.65')).toMatchObject({ lat: -33.9, lon: -70.65 });
    expect(ok('90, 180')).toMatchObject({ lat: 90, lon: 180 });
    expect(ok('-90 -180')).toMatchObject({ lat: -90, lon: -180 });
  });

  it('reports a latitude out of range, with a swap hint when the numbers look swapped', () => {
    const swapped = parsePosition('130.5, 50.4');
    expect(swapped).toMatchObject({ ok: false, field: 'lat' });
    expect(!swapped.ok && swapped.message).toMatch(/outside −90..90.*swapped/);
    const far = parsePosition('95, 120');
    expect(far).toMatchObject({ ok: false, field: 'lat' });
    expect(!far.ok && far.message).not.toMatch(/swapped/);
    expect(parsePosition('50, 180.5')).toMatchObject({ ok: false, field: 'lon' });
    expect(parsePosition('50, -200')).toMatchObject({ ok: false, field: 'lon' });
  });

  it('reads hemisphere letters before or after, in either order and any case', () => {
    for (const text of [
      '50.45N 30.52E',
      '50.45n, 30.52e',
      'N50.45 E30.52',
      'N 50.45 E 30.52',
      '30.52E 50.45N',
      'E30.52 N50.45',
      '50.45 N 30.52 E',
    ]) {
      expect(ok(text), text).toMatchObject({ lat: 50.45, lon: 30.52, kind: 'hemisphere' });
    }
    expect(ok('3.38S 29.36E')).toMatchObject({ lat: -3.38, lon: 29.36 });
    expect(ok('33.9S 70.65W')).toMatchObject({ lat: -33.9, lon: -70.65 });
  });

  it('refuses two latitude letters, and a lettered value out of range', () => {
    expect(parsePosition('50N 30S')).toMatchObject({ ok: false, field: 'position' });
    expect(parsePosition('91N 30E')).toMatchObject({ ok: false, field: 'lat' });
    expect(parsePosition('45N 181E')).toMatchObject({ ok: false, field: 'lon' });
  });
});

describe('parsePosition: degrees, minutes, seconds', () => {
  const kyiv = { lat: 50.45, lon: 30.52 };
  it('reads the common written forms to the same position', () => {
    for (const text of [
      `50°27'00"N 30°31'12"E`,
      `50°27′00″N 30°31′12″E`,
      `50º27'00''N 30º31'12''E`,
      `50° 27' 00" N, 30° 31' 12" E`,
      '50 27 00 N 30 31 12 E',
      '50:27:00N 30:31:12E',
      'N50°27\'00" E30°31\'12"',
      '502700N 0303112E',
      '502700N0303112E',
      '5027N 03031.2E',
      `50°27'N 30°31.2'E`,
    ]) {
      const r = ok(text);
      expect(r.kind, text).toBe('dms');
      expect(r.lat, text).toBeCloseTo(kyiv.lat, 12);
      expect(r.lon, text).toBeCloseTo(kyiv.lon, 12);
    }
  });

  it('handles signs, hemispheres, decimal seconds and the extremes', () => {
    expect(ok(`-50°27'00" 30°31'12"`)).toMatchObject({ lat: -50.45 });
    expect(ok(`50°27'00"S 30°31'12"W`)).toMatchObject({ lat: -50.45, lon: -30.52 });
    const frac = ok('502700.36N 0303112.72E');
    expect(frac.lat).toBeCloseTo(50 + 27 / 60 + 0.36 / 3600, 12);
    expect(frac.lon).toBeCloseTo(30 + 31 / 60 + 12.72 / 3600, 12);
    expect(ok(`89°59'59.999"N 179°59'59.999"W`).lon).toBeCloseTo(-(180 - 0.001 / 3600), 12);
    expect(ok('900000S 1800000W')).toMatchObject({ lat: -90, lon: -180 });
    expect(ok(`0°0'0"N 0°0'0"E`)).toMatchObject({ lat: 0, lon: 0 });
  });

  it('refuses minutes or seconds of 60 or more, decimals before the last part, and too many digits', () => {
    expect(parsePosition(`50°60'00"N 30°31'12"E`)).toMatchObject({ ok: false, field: 'lat' });
    expect(parsePosition(`50°27'60"N 30°31'12"E`)).toMatchObject({ ok: false, field: 'lat' });
    expect(parsePosition(`50°27'00"N 30°31'75"E`)).toMatchObject({ ok: false, field: 'lon' });
    expect(parsePosition(`50.5°27'00"N 30°31'12"E`)).toMatchObject({ ok: false, field: 'lat' });
    expect(parsePosition('5027001N 0303112E')).toMatchObject({ ok: false, field: 'lat' });
    expect(parsePosition('910000N 0303112E')).toMatchObject({ ok: false, field: 'lat' });
  });

  it('says what it accepts when nothing fits', () => {
    const r = parsePosition('somewhere near the bridge');
    expect(r).toMatchObject({ ok: false, field: 'position', rank: 1 });
    expect(!r.ok && r.message).toMatch(/MGRS/);
    expect(parsePosition('')).toMatchObject({ ok: false });
    expect(parsePosition('50.45')).toMatchObject({ ok: false });
  });
});
