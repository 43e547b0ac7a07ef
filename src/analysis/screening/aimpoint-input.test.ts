import mgrs from 'mgrs';
import { describe, expect, it } from 'vitest';
import { detectAimpointFormat, parseAimpoints } from './aimpoint-input.js';

const effectClasses = new Map([
  ['SMALL', 25],
  ['MEDIUM', 100],
  ['AREA', 1000],
]);
const where = (e: { line?: number; feature?: number; field: string }) => [
  e.line ?? e.feature,
  e.field,
];

describe('parseAimpoints: text', () => {
  it('reads ids, positions in every form, radii and effect classes, one per line', () => {
    const ref = mgrs.forward([30.52, 50.45], 5);
    const r = parseAimpoints(
      [
        '# planned fires, phase 2',
        `T1 ${ref} MEDIUM`,
        'T2, 50.45N, 30.52E, 250',
        'T3\t50°27\'00"N 30°31\'12"E\t40m',
        '',
        'T4; 50.45; 30.52; small',
        '50.45 30.52',
      ].join('\n'),
      { effectClasses, defaultRadiusMetres: 10 },
    );
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('text');
    expect(r.aimpoints.map((a) => [a.id, a.radius_m, a.effect_class])).toEqual([
      ['T1', 100, 'MEDIUM'],
      ['T2', 250, undefined],
      ['T3', 40, undefined],
      ['T4', 25, 'SMALL'],
      ['AP-1', 10, undefined],
    ]);
    expect(r.aimpoints[0]!.input).toBe(ref);
    expect(r.aimpoints[1]!.input).toBe('50.45N 30.52E');
    for (const a of r.aimpoints.slice(1)) {
      expect(a.lat).toBeCloseTo(50.45, 12);
      expect(a.lon).toBeCloseTo(30.52, 12);
    }
  });

  it('reports every bad line with its line number and field, and returns no aimpoints', () => {
    const r = parseAimpoints(
      [
        'T1 50.45N 30.52E 250',
        'T2 130.5, 30.5 100',
        'T3 50.45 30.52 HUGE',
        'T4 somewhere 100',
        'T5 36UUA2394091 100',
        'T6 50.45 30.52 200000',
        'T1 50 30 10',
        'T7 50.45 30.52',
      ].join('\r\n'),
      { effectClasses },
    );
    expect(r.aimpoints).toEqual([]);
    expect(r.errors.map(where).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [2, 'lat'],
      [3, 'effect_class'],
      [4, 'position'],
      [5, 'mgrs'],
      [6, 'radius_m'],
      [7, 'id'],
      [8, 'radius_m'],
    ]);
    expect(r.errors.find((e) => e.line === 2)!.message).toMatch(/swapped/);
    expect(r.errors.find((e) => e.line === 7)!.message).toMatch(/first on line 1/);
  });

  it('uses the default effect class, case-insensitively, and refuses an unknown one', () => {
    const r = parseAimpoints('50.45 30.52\n50.46 30.53 250', {
      effectClasses,
      defaultEffectClass: 'medium',
    });
    expect(r.aimpoints.map((a) => [a.radius_m, a.effect_class])).toEqual([
      [100, 'MEDIUM'],
      [250, undefined],
    ]);
    const bad = parseAimpoints('50.45 30.52', { effectClasses, defaultEffectClass: 'GIANT' });
    expect(bad.errors.map((e) => e.field)).toContain('default_effect_class');
  });

  it('reads an all-numeric line the documented way and warns; a lettered id is never ambiguous', () => {
    const r = parseAimpoints('12 50.45 30.52', { effectClasses, defaultRadiusMetres: 5 });
    expect(r.aimpoints[0]).toMatchObject({ lat: 12, lon: 50.45, radius_m: 30.52 });
    expect(r.warnings[0]).toMatchObject({ line: 1 });
    const lettered = parseAimpoints('T12 50.45 30.52', { effectClasses, defaultRadiusMetres: 5 });
    expect(lettered.aimpoints[0]).toMatchObject({ id: 'T12', lat: 50.45, lon: 30.52 });
    expect(lettered.warnings).toEqual([]);
    const four = parseAimpoints('12 50.45 30.52 100', { effectClasses });
    expect(four.aimpoints[0]).toMatchObject({ id: '12', lat: 50.45, lon: 30.52, radius_m: 100 });
  });

  it('skips generated ids a planner already used', () => {
    const r = parseAimpoints('AP-1 50 30 10\n51 31 10', { effectClasses });
    expect(r.aimpoints.map((a) => a.id)).toEqual(['AP-1', 'AP-2']);
  });

  it('does not modify its input and says so when there is nothing to read', () => {
    const r = parseAimpoints('# only a comment\n\n', { effectClasses });
    expect(r.errors).toEqual([{ field: 'text', message: 'no aimpoints found' }]);
  });
});

describe('parseAimpoints: CSV', () => {
  it('reads lat/lon, mgrs or position columns with radius or effect class, any delimiter', () => {
    const ref = mgrs.forward([29.36, -3.38], 4);
    const csv = [
      'ID;Latitude;Longitude;MGRS;Radius (m);Effect class;Label',
      'A;-3.38;29.36;;150;;Market',
      `B;;;${ref};;area;`,
      'C;3°22\'48"S;29°21\'36"E;;;;',
    ].join('\n');
    expect(detectAimpointFormat(csv)).toBe('csv');
    const r = parseAimpoints(csv, { effectClasses, defaultEffectClass: 'SMALL' });
    expect(r.errors).toEqual([]);
    expect(
      r.aimpoints.map((a) => [a.id, a.radius_m, a.effect_class ?? null, a.label ?? null]),
    ).toEqual([
      ['A', 150, null, 'Market'],
      ['B', 1000, 'AREA', null],
      ['C', 25, 'SMALL', null],
    ]);
    expect(r.aimpoints[2]!.lat).toBeCloseTo(-3.38, 12);
    expect(r.aimpoints[2]!.lon).toBeCloseTo(29.36, 12);
    expect(r.aimpoints[1]!.input).toBe(ref);
  });

  it('reports each bad row with its line and column, and a header without a position', () => {
    const r = parseAimpoints(
      ['id,lat,lon,radius_m', 'A,95,30,10', 'B,50,,10', 'C,50,30,-4', 'D,50,30,', 'E,50,30,7'].join(
        '\n',
      ),
      { effectClasses },
    );
    expect(r.errors.map(where)).toEqual([
      [2, 'lat'],
      [3, 'lon'],
      [4, 'radius_m'],
      [5, 'radius_m'],
    ]);
    const header = parseAimpoints('id,radius_m,label\nA,10,x', { effectClasses, format: 'csv' });
    expect(header.errors.map(where)).toEqual([[1, 'header']]);
  });
});

describe('parseAimpoints: GeoJSON', () => {
  it('reads Point features and reports each bad feature by number and field', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 7,
          geometry: { type: 'Point', coordinates: [30.52, 50.45] },
          properties: { radius_m: 100 },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [30.5, 50.4] },
          properties: { id: 'B', effect_class: 'small', label: 'Bridge' },
        },
      ],
    };
    const r = parseAimpoints(JSON.stringify(fc), { effectClasses });
    expect(r.format).toBe('geojson');
    expect(r.aimpoints.map((a) => [a.id, a.radius_m, a.label ?? null])).toEqual([
      ['7', 100, null],
      ['B', 25, 'Bridge'],
    ]);
    const bad = {
      type: 'FeatureCollection',
      features: [
        fc.features[0],
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
          properties: {},
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [50.45, 130.5] },
          properties: { radius_m: 1 },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [30, 50] },
          properties: { radius_m: '100' },
        },
      ],
    };
    const b = parseAimpoints(JSON.stringify(bad), { effectClasses });
    expect(b.errors.map(where)).toEqual([
      [2, 'geometry'],
      [3, 'geometry.coordinates.lat'],
      [4, 'radius_m'],
    ]);
    expect(parseAimpoints('{"type": "Feature"', { effectClasses }).errors[0]!.field).toBe('json');
  });
});

describe('parseAimpoints: NDJSON (the file-mode actions format)', () => {
  it('reads one object per line and reports each bad line by number and field', () => {
    const text = [
      '{"id":"A1","lon":30.52,"lat":50.45,"radius_m":250}',
      '{"id":"A2","lon":30.5,"lat":50.4,"effect_class":"medium"}',
    ].join('\n');
    expect(detectAimpointFormat(text)).toBe('ndjson');
    const r = parseAimpoints(text, { effectClasses });
    expect(r.format).toBe('ndjson');
    expect(r.aimpoints.map((a) => [a.id, a.radius_m, a.effect_class ?? null])).toEqual([
      ['A1', 250, null],
      ['A2', 100, 'MEDIUM'],
    ]);
    const bad = parseAimpoints(
      [
        text,
        '{"id":"A3","lon":50.4,"lat":130.5,"radius_m":1}',
        '{"id":',
        '{"id":"A5","lon":1,"lat":2,"radius_m":-3}',
      ].join('\n'),
      { effectClasses },
    );
    expect(bad.errors.map(where)).toEqual([
      [3, 'lat'],
      [4, 'json'],
      [5, 'radius_m'],
    ]);
  });
});
