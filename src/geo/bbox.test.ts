import { describe, expect, it } from 'vitest';
import { bboxContains, bboxIntersects, bboxOfGeometry, bboxParse } from './bbox.js';
import { lonLat, lonLatDistanceMetres } from './lon-lat.js';

describe('bboxOfGeometry', () => {
  it('spans every coordinate of a multipolygon, holes included', () => {
    expect(
      bboxOfGeometry({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [1, 2],
              [3, 2],
              [3, 5],
              [1, 2],
            ],
          ],
          [
            [
              [-4, -1],
              [0, -1],
              [0, 0],
              [-4, -1],
            ],
          ],
        ],
      }),
    ).toEqual([-4, -1, 3, 5]);
  });

  it('walks geometry collections and does not mutate its input', () => {
    const g = {
      type: 'GeometryCollection' as const,
      geometries: [
        { type: 'Point' as const, coordinates: [10, 10] },
        {
          type: 'LineString' as const,
          coordinates: [
            [-10, 5],
            [0, 20],
          ],
        },
      ],
    };
    const copy = structuredClone(g);
    expect(bboxOfGeometry(g)).toEqual([-10, 5, 10, 20]);
    expect(g).toEqual(copy);
  });

  it('refuses a geometry without coordinates', () => {
    expect(() => bboxOfGeometry({ type: 'MultiPoint', coordinates: [] })).toThrow(/no coordinates/);
  });
});

describe('bboxParse', () => {
  it('reads minLon,minLat,maxLon,maxLat', () => {
    expect(bboxParse(' 14.4, 2.2,27.5 ,11')).toEqual([14.4, 2.2, 27.5, 11]);
  });
  it.each([
    ['1,2,3', /four numbers/],
    ['a,b,c,d', /four numbers/],
    ['-181,0,0,1', /within/],
    ['0,-91,1,1', /within/],
    ['5,0,1,1', /minimum/],
  ])('rejects %s', (text, message) => {
    expect(() => bboxParse(text)).toThrow(message);
  });
});

describe('bbox predicates', () => {
  it('treats touching edges as intersecting and containing', () => {
    expect(bboxIntersects([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
    expect(bboxIntersects([0, 0, 1, 1], [1.0001, 0, 2, 1])).toBe(false);
    expect(bboxContains([0, 0, 1, 1], 1, 0)).toBe(true);
    expect(bboxContains([0, 0, 1, 1], 1.5, 0)).toBe(false);
  });
});

describe('lonLat and distance', () => {
  it('rejects out-of-range coordinates naming the value', () => {
    expect(() => lonLat(190, 0)).toThrow(/longitude 190/);
    expect(() => lonLat(0, -95)).toThrow(/latitude -95/);
  });
  it('measures one degree of the equator as 2πR/360', () => {
    const d = lonLatDistanceMetres(lonLat(0, 0), lonLat(1, 0));
    expect(d).toBeCloseTo((2 * Math.PI * 6_371_008.7714) / 360, 6);
  });
  it('measures across the antimeridian the short way', () => {
    const d = lonLatDistanceMetres(lonLat(179.5, 0), lonLat(-179.5, 0));
    expect(d).toBeCloseTo((2 * Math.PI * 6_371_008.7714) / 360, 6);
  });
});
