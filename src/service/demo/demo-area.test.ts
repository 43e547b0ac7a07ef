import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, area as turfArea } from '@turf/turf';
import { bboxContains } from '../../geo/index.js';
import { buildDemo, DEMO_AREA_ID, demoId } from './demo-area.js';

const now = '2026-11-22T00:00:00.000Z';

describe('buildDemo (no data folder)', () => {
  const demo = buildDemo({ now, actor: 'test' });

  it('is a clearly labelled exercise area with sources named', () => {
    expect(demo.area.exercise).toBe(true);
    expect(demo.area.name).toMatch(/^EXERCISE /);
    expect(demo.area.description).toMatch(/Natural Earth/);
    expect(demo.area.description).toMatch(/GeoNames/);
    expect(demo.area.id).toBe(DEMO_AREA_ID);
  });

  it('places every GeoNames place inside the outline bbox and most inside the outline', () => {
    expect(demo.places.length).toBeGreaterThan(20);
    const inside = demo.places.filter((p) =>
      booleanPointInPolygon(p.geometry.coordinates, {
        type: 'Feature',
        properties: {},
        geometry: demo.area.outline,
      }),
    );
    for (const p of demo.places) {
      expect(
        bboxContains(demo.area.bbox, p.geometry.coordinates[0]!, p.geometry.coordinates[1]!),
      ).toBe(true);
    }
    expect(inside.length / demo.places.length).toBeGreaterThan(0.9);
    expect(demo.places[0]!.name).toBe('Bangui');
    expect(demo.places[0]!.kind).toBe('city');
  });

  it('cuts the outline into eight sectors that cover it without overlap', () => {
    expect(demo.regions).toHaveLength(8);
    const outlineArea = turfArea(demo.area.outline);
    const sectorsArea = demo.regions.reduce((sum, r) => sum + turfArea(r.geometry), 0);
    expect(Math.abs(sectorsArea - outlineArea) / outlineArea).toBeLessThan(0.001);
  });

  it('has stable ids so a reload replaces rather than duplicates', () => {
    const again = buildDemo({ now, actor: 'other' });
    expect(again.regions.map((r) => r.id)).toEqual(demo.regions.map((r) => r.id));
    expect(new Set(demo.places.map((p) => p.id)).size).toBe(demo.places.length);
    expect(demoId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shows own units with APP-6 SIDCs at real towns', () => {
    expect(demo.units.map((u) => u.sidc)).toContain('SFGPUH----BH---');
    for (const u of demo.units) expect(u.sidc).toMatch(/^S[A-Z-]{14}$/);
  });
});
