/**
 * What the Plan page draws and lists from a screening (web/src/screening-view.ts): effect rings
 * are true circles on the ground (every vertex at the radius from the aimpoint, by an independent
 * haversine), coloured by the flags; hits are placed where the register has them, each once;
 * routes, file formats and line-level input problems.
 */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { lonLat, lonLatDistanceMetres } from '../../src/geo/index.js';
import type { Me, ProtectedObject, Screening } from '../../web/src/contract.js';
import { releasabilityError } from '../../web/src/factor-rules.js';
import {
  hitFeatures,
  inputProblems,
  isFlagged,
  planRoute,
  plannerFormatOf,
  ringFeatures,
  spacedMgrs,
} from '../../web/src/screening-view.js';

describe('ringFeatures', () => {
  const aimpoints = [
    { id: 'AP-1', lon: 30.52, lat: 50.45, radius_m: 250, flags: ['NSL_INSIDE' as const] },
    { id: 'AP-2', lon: 9.52, lat: 47.14, radius_m: 1000, flags: ['NO_HITS' as const] },
    { id: 'AP-3', lon: -70.1, lat: -33.4, radius_m: 25 },
  ];
  const fc = ringFeatures(aimpoints);

  it('draws each radius as a geodesic circle around its aimpoint', () => {
    for (const a of aimpoints) {
      const ring = fc.features.find((f) => f.properties?.id === a.id);
      expect(ring?.properties?.role).toBe('ring');
      const vertices = (ring!.geometry as Polygon).coordinates[0]!;
      expect(vertices.length).toBeGreaterThan(60);
      expect(vertices[0]).toEqual(vertices[vertices.length - 1]);
      for (const [lon, lat] of vertices) {
        const d = lonLatDistanceMetres(lonLat(a.lon, a.lat), lonLat(lon!, lat!));
        expect(Math.abs(d - a.radius_m) / a.radius_m).toBeLessThan(0.005);
      }
    }
  });

  it('colours rings by whether the aimpoint is flagged, drafts apart', () => {
    const state = (id: string) =>
      fc.features.find((f) => f.properties?.id === id)?.properties?.state;
    expect([state('AP-1'), state('AP-2'), state('AP-3')]).toEqual(['flagged', 'clear', 'draft']);
    expect(fc.features.filter((f) => f.properties?.role === 'centre')).toHaveLength(3);
    const centre = fc.features.find((f) => f.properties?.id === 'AP-1:centre');
    expect(centre?.geometry).toEqual({ type: 'Point', coordinates: [30.52, 50.45] });
  });

  it('counts only NO_HITS as not flagged', () => {
    expect(isFlagged({ flags: ['NO_HITS'] })).toBe(false);
    expect(isFlagged({ flags: ['WITHHELD_INSIDE'] })).toBe(true);
    expect(isFlagged({ flags: [] })).toBe(false);
  });
});

describe('hitFeatures', () => {
  const object = (id: string, lon: number, lat: number) =>
    ({
      id,
      name: `name ${id}`,
      category: 'medical',
      list: 'NSL',
      centroid: [lon, lat],
      geometry: { type: 'Point', coordinates: [lon, lat] },
    }) as unknown as ProtectedObject;
  const hit = (id: string) => ({
    object_id: id,
    name: `hit ${id}`,
    category: 'medical' as const,
    list: 'NSL' as const,
    restriction: null,
    protection: 'geneva-medical' as const,
    distance_m: 10,
    buffer_m: 0,
    marking: { classification: 'NU' as const, releasability: [] },
  });
  it('places each object hit once, where the register has it, and leaves out unknown ones', () => {
    const screening = {
      aimpoints: [{ hits: [hit('a'), hit('b')] }, { hits: [hit('a'), hit('gone')] }],
    } as unknown as Screening;
    const fc = hitFeatures(screening, [object('a', 1, 2), object('b', 3, 4), object('c', 5, 6)]);
    expect(fc.features.map((f) => f.properties?.id)).toEqual(['a', 'b']);
    expect(fc.features[1]?.properties).toMatchObject({
      lon: 3,
      lat: 4,
      category: 'medical',
      name: 'name b',
    });
  });

  it('draws an object where it was screened when it has moved or gone since', () => {
    const at = (id: string, lon: number, lat: number) => ({
      ...hit(id),
      position: [lon, lat] as [number, number],
    });
    const screening = {
      aimpoints: [{ hits: [at('same', 1, 2), at('moved', 3.5, 4.5), at('gone', 7, 8)] }],
    } as unknown as Screening;
    const fc = hitFeatures(screening, [object('same', 1, 2), object('moved', 3, 4)]);
    const byId = new Map(fc.features.map((f) => [f.properties?.id, f]));
    expect([...byId.keys()]).toEqual(['same', 'moved', 'gone']);
    expect(byId.get('same')?.properties?.moved).toBeUndefined();
    expect(byId.get('moved')?.geometry).toEqual({ type: 'Point', coordinates: [3.5, 4.5] });
    expect(byId.get('moved')?.properties).toMatchObject({ moved: 'moved', name: 'hit moved' });
    expect(byId.get('gone')?.geometry).toEqual({ type: 'Point', coordinates: [7, 8] });
    expect(byId.get('gone')?.properties?.moved).toBe('gone');
  });
});

describe('Plan routes, input formats and input problems', () => {
  it('reads the path', () => {
    expect(planRoute('/plan')).toEqual({ kind: 'new' });
    expect(planRoute('/plan/screenings/')).toEqual({ kind: 'list' });
    expect(planRoute('/plan/screenings/a%2Fb')).toEqual({ kind: 'screening', id: 'a/b' });
    expect(planRoute('/plan/effect-classes')).toEqual({ kind: 'effect-classes' });
    expect(planRoute('/plan/other')).toEqual({ kind: 'unknown' });
  });

  it('guesses the input format from the file name', () => {
    expect(
      ['a.CSV', 'b.geojson', 'c.json', 'd.txt', 'e.ndjson', 'f.dat'].map(plannerFormatOf),
    ).toEqual(['csv', 'geojson', 'geojson', 'text', 'ndjson', 'auto']);
  });

  it('sorts problems by line and keeps their field', () => {
    expect(
      inputProblems([
        { path: 'text', line: 7, field: 'position', message: 'b' },
        { path: 'text', message: 'no line' },
        { path: 'text', line: 2, field: 'radius_m', message: 'a' },
      ]),
    ).toEqual([
      { line: 2, field: 'radius_m', message: 'a' },
      { line: 7, field: 'position', message: 'b' },
      { field: 'text', message: 'no line' },
    ]);
  });
});

describe('spacedMgrs', () => {
  it('groups an MGRS reference as planners write it', () => {
    expect(spacedMgrs('32TNT3864924237')).toBe('32T NT 38649 24237');
    expect(spacedMgrs('4QFJ123678')).toBe('4Q FJ 123 678');
    expect(spacedMgrs('4QFJ')).toBe('4Q FJ');
    expect(spacedMgrs('not mgrs')).toBe('not mgrs');
  });
});

describe('the marking of a new screening', () => {
  const user = (organisations: string[]) => ({ organisations }) as unknown as Me;
  it('must be one its author may read back, as the server checks', () => {
    expect(releasabilityError('NU', ['EU'], user(['UN']))).toContain('UN');
    expect(releasabilityError('NU', ['UN', 'EU'], user(['UN']))).toBeNull();
    expect(releasabilityError('NU', ['PUBLIC'], user(['UN']))).toBeNull();
    expect(releasabilityError('NU', [], user(['NATO']))).toBeNull();
    expect(releasabilityError('NU', ['NOT-A-CODE'], user(['NATO']))).not.toBeNull();
  });
});
