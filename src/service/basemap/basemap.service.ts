import { createRequire } from 'node:module';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);

/** The offline basemap layers Civitas serves: Natural Earth 1:50m via world-atlas. */
export type BasemapLayer = 'land' | 'countries';

const cache = new Map<BasemapLayer, string>();

/**
 * GeoJSON text of a basemap layer. Derived once from the world-atlas package and kept: it is
 * static reference data shipped with the program, not state, so every instance computes the same.
 *
 * @example
 * reply.type('application/geo+json').send(basemapGeoJson('land'));
 */
export function basemapGeoJson(layer: BasemapLayer): string {
  const cached = cache.get(layer);
  if (cached) return cached;
  const file = layer === 'land' ? 'world-atlas/land-50m.json' : 'world-atlas/countries-50m.json';
  const topology = require(file) as Topology<Record<string, GeometryCollection<{ name?: string }>>>;
  const object = topology.objects[layer];
  if (!object) throw new Error(`world-atlas ${file} has no ${layer} object`);
  const fc = feature(topology, object) as FeatureCollection<Polygon | MultiPolygon>;
  const text = JSON.stringify(fc);
  cache.set(layer, text);
  return text;
}
