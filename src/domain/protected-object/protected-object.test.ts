import { centroid } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { mgrsOf, type BBox } from '../../geo/index.js';
import {
  defaultBufferMetres,
  defaultProtection,
  defaultTopics,
  isGeometryInside,
  isLikelySwapped,
  listMembershipSchema,
  ListKind,
  mgrsOfCentroid,
  ObjectCategory,
  protectedGeometrySchema,
  protectedObjectInputSchema,
  ProtectionBasis,
  type ProtectedGeometry,
} from './protected-object.js';

const LIECHTENSTEIN: BBox = [9.47, 47.04, 9.64, 47.28];

const square: ProtectedGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [9.5, 47.1],
      [9.51, 47.1],
      [9.51, 47.11],
      [9.5, 47.11],
      [9.5, 47.1],
    ],
  ],
};

function validInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Landesspital',
    category: 'medical',
    protection: 'geneva-medical',
    geometry: { type: 'Point', coordinates: [9.5209, 47.141] },
    bufferMetres: 300,
    source: 'osm',
    sourceRef: 'osm:node/1',
    topics: ['PoC'],
    marking: { classification: 'NU', releasability: [] },
    lists: [],
    ...overrides,
  };
}

function issuesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]);
}

describe('the protected-object code lists', () => {
  it('has the ten categories, six protection bases and two lists of the register', () => {
    expect(ObjectCategory.codes).toEqual([
      'cultural',
      'medical',
      'education',
      'religious',
      'water',
      'power',
      'communications',
      'transport',
      'humanitarian',
      'other',
    ]);
    expect(ProtectionBasis.codes).toEqual([
      'hague-general',
      'hague-special',
      'hague-enhanced',
      'geneva-medical',
      'humanitarian-notification',
      'policy',
    ]);
    expect(ListKind.codes).toEqual(['NSL', 'RTL']);
  });
});

describe('protectedGeometrySchema', () => {
  it.each([
    ['Point', { type: 'Point', coordinates: [9.52, 47.14, 455] }],
    [
      'LineString',
      {
        type: 'LineString',
        coordinates: [
          [9.5, 47.1],
          [9.51, 47.11],
        ],
      },
    ],
    ['Polygon', square],
    ['MultiPoint', { type: 'MultiPoint', coordinates: [[9.5, 47.1]] }],
    [
      'MultiLineString',
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [9.5, 47.1],
            [9.51, 47.11],
          ],
        ],
      },
    ],
    ['MultiPolygon', { type: 'MultiPolygon', coordinates: [square.coordinates] }],
  ])('accepts a %s', (_type, geometry) => {
    expect(protectedGeometrySchema.safeParse(geometry).success).toBe(true);
  });

  it('rejects a ring that is not closed, naming its last position', () => {
    const open = { type: 'Polygon', coordinates: [square.coordinates[0]?.slice(0, 4)] };
    expect(issuesOf(protectedGeometrySchema.safeParse(open))).toEqual([
      [
        'coordinates.0.3',
        'the polygon ring is not closed: its last position must repeat its first',
      ],
    ]);
  });

  it('rejects a ring of fewer than 4 positions and a LineString of one', () => {
    const triangle = {
      type: 'Polygon',
      coordinates: [
        [
          [9.5, 47.1],
          [9.51, 47.1],
          [9.5, 47.1],
        ],
      ],
    };
    expect(issuesOf(protectedGeometrySchema.safeParse(triangle))[0]?.[1]).toMatch(
      /at least 4 positions/,
    );
    const dot = { type: 'LineString', coordinates: [[9.5, 47.1]] };
    expect(issuesOf(protectedGeometrySchema.safeParse(dot))[0]?.[1]).toMatch(
      /at least 2 positions/,
    );
  });

  it('rejects positions out of range, and says when latitude and longitude look swapped', () => {
    expect(
      issuesOf(protectedGeometrySchema.safeParse({ type: 'Point', coordinates: [181, 47] })),
    ).toEqual([['coordinates.0', 'longitude 181 is outside −180..180']]);
    expect(
      issuesOf(
        protectedGeometrySchema.safeParse({ type: 'Point', coordinates: [47.1, 95.5] }),
      )[0]?.[1],
    ).toMatch(/latitude 95.5 is outside −90..90: longitude and latitude look swapped/);
  });

  it('rejects GeometryCollection, foreign members and non-numbers', () => {
    expect(
      protectedGeometrySchema.safeParse({ type: 'GeometryCollection', geometries: [] }).success,
    ).toBe(false);
    expect(
      protectedGeometrySchema.safeParse({ type: 'Point', coordinates: [9, 47], crs: {} }).success,
    ).toBe(false);
    expect(
      protectedGeometrySchema.safeParse({ type: 'Point', coordinates: ['9', 47] }).success,
    ).toBe(false);
    expect(
      protectedGeometrySchema.safeParse({ type: 'Point', coordinates: [9, NaN] }).success,
    ).toBe(false);
  });
});

describe('isLikelySwapped', () => {
  it('is true when the geometry lies inside the expected box only when swapped', () => {
    expect(isLikelySwapped({ type: 'Point', coordinates: [47.14, 9.52] }, LIECHTENSTEIN)).toBe(
      true,
    );
  });

  it('is false for a geometry in the box, and for one outside it either way', () => {
    expect(isLikelySwapped({ type: 'Point', coordinates: [9.52, 47.14] }, LIECHTENSTEIN)).toBe(
      false,
    );
    expect(isLikelySwapped({ type: 'Point', coordinates: [30.5, 50.4] }, LIECHTENSTEIN)).toBe(
      false,
    );
  });

  it('checks every position of a polygon', () => {
    expect(isGeometryInside(square, LIECHTENSTEIN)).toBe(true);
    const swapped: ProtectedGeometry = {
      type: 'Polygon',
      coordinates: [square.coordinates[0]?.map(([lon = 0, lat = 0]) => [lat, lon]) ?? []],
    };
    expect(isLikelySwapped(swapped, LIECHTENSTEIN)).toBe(true);
  });
});

describe('mgrsOfCentroid', () => {
  it('gives the 1 m grid reference of a point', () => {
    expect(mgrsOfCentroid({ type: 'Point', coordinates: [9.5209, 47.141] })).toBe(
      '32TNT3949720964',
    );
  });

  it("gives for a point (with or without altitude) what turf's centroid of it gives", () => {
    for (const [lon, lat] of [
      [9.5209, 47.141],
      [-122.4194, 37.7749],
      [151.2093, -33.8688],
      [0, 0],
      [-179.99, 83.9],
    ] as const) {
      const viaTurf = centroid({ type: 'Point', coordinates: [lon, lat] }).geometry.coordinates;
      const expected = mgrsOf(viaTurf[0]!, viaTurf[1]!);
      expect(mgrsOfCentroid({ type: 'Point', coordinates: [lon, lat] })).toBe(expected);
      expect(mgrsOfCentroid({ type: 'Point', coordinates: [lon, lat, 312] })).toBe(expected);
    }
  });

  it('uses the centroid of a polygon', () => {
    expect(mgrsOfCentroid(square)).toMatch(/^32TNT\d{10}$/);
  });

  it('is null in the polar regions MGRS does not cover', () => {
    expect(mgrsOfCentroid({ type: 'Point', coordinates: [10, 85] })).toBeNull();
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(square);
    mgrsOfCentroid(square);
    expect(square).toEqual(copy);
  });
});

describe('category defaults', () => {
  it('gives every category a buffer within the accepted range', () => {
    for (const category of ObjectCategory.codes) {
      const buffer = defaultBufferMetres(category);
      expect(buffer).toBeGreaterThan(0);
      expect(buffer).toBeLessThanOrEqual(50_000);
    }
    expect(defaultBufferMetres('medical')).toBe(300);
  });

  it('protects cultural property under the Hague general regime and hospitals under Geneva', () => {
    expect(defaultProtection('cultural')).toBe('hague-general');
    expect(defaultProtection('medical')).toBe('geneva-medical');
    expect(defaultProtection('humanitarian')).toBe('humanitarian-notification');
    expect(defaultProtection('religious')).toBe('policy');
  });

  it('never defaults to special or enhanced protection, which need a register entry', () => {
    const defaults = ObjectCategory.codes.map(defaultProtection);
    expect(defaults).not.toContain('hague-special');
    expect(defaults).not.toContain('hague-enhanced');
  });

  it('tags cultural property CPP and schools and hospitals CAAC', () => {
    expect(defaultTopics('cultural')).toEqual(['CPP']);
    expect(defaultTopics('education')).toEqual(['PoC', 'CAAC']);
    expect(defaultTopics('power')).toEqual(['PoC']);
  });

  it('fails at once on a value that is not a category', () => {
    expect(() => defaultBufferMetres('hospital' as never)).toThrow(/not an object category/);
    expect(() => defaultProtection('hospital' as never)).toThrow(/use one of cultural/);
  });
});

describe('protectedObjectInputSchema', () => {
  it('accepts a complete object', () => {
    expect(protectedObjectInputSchema.safeParse(validInput()).success).toBe(true);
  });

  it('is strict: unknown fields are errors', () => {
    expect(issuesOf(protectedObjectInputSchema.safeParse(validInput({ colour: 'red' })))).toEqual([
      ['', 'Unrecognized key: "colour"'],
    ]);
  });

  it('bounds the name to 1–300 characters and the buffer to 0–50,000 m', () => {
    expect(protectedObjectInputSchema.safeParse(validInput({ name: ' ' })).success).toBe(false);
    expect(
      protectedObjectInputSchema.safeParse(validInput({ name: 'x'.repeat(301) })).success,
    ).toBe(false);
    expect(
      protectedObjectInputSchema.safeParse(validInput({ name: 'x'.repeat(300) })).success,
    ).toBe(true);
    expect(protectedObjectInputSchema.safeParse(validInput({ bufferMetres: -1 })).success).toBe(
      false,
    );
    expect(protectedObjectInputSchema.safeParse(validInput({ bufferMetres: 50_001 })).success).toBe(
      false,
    );
    expect(protectedObjectInputSchema.safeParse(validInput({ bufferMetres: 0 })).success).toBe(
      true,
    );
  });

  it('checks the marking with the marking rules', () => {
    const marking = { classification: 'NS', releasability: ['PUBLIC'] };
    expect(protectedObjectInputSchema.safeParse(validInput({ marking })).success).toBe(false);
  });

  it('puts an object on one list at most, and RTL entries need their restriction', () => {
    expect(
      protectedObjectInputSchema.safeParse(validInput({ lists: [{ list: 'NSL' }] })).success,
    ).toBe(true);
    expect(
      protectedObjectInputSchema.safeParse(
        validInput({ lists: [{ list: 'NSL' }, { list: 'RTL', restriction: 'x' }] }),
      ).success,
    ).toBe(false);
    expect(listMembershipSchema.safeParse({ list: 'RTL' }).success).toBe(false);
    expect(
      listMembershipSchema.safeParse({ list: 'NSL', restriction: 'only at night' }).success,
    ).toBe(false);
  });

  it('rejects a topic listed twice', () => {
    expect(
      protectedObjectInputSchema.safeParse(validInput({ topics: ['PoC', 'PoC'] })).success,
    ).toBe(false);
  });
});
