import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeatures, type FeatureAt } from '../../src/service/screening/geojson-features.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civitas-geojson-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(text: string, chunkSize: number): FeatureAt[] {
  const path = join(dir, `c${chunkSize}.geojson`);
  writeFileSync(path, text);
  const features: FeatureAt[] = [];
  readFeatures(path, (f) => features.push(f), chunkSize);
  return features;
}

describe('readFeatures', () => {
  const features = [
    {
      type: 'Feature',
      id: 7,
      geometry: { type: 'Point', coordinates: [1, 2] },
      properties: { name: 'a } ] " \\ b', n: [1, { x: 2 }] },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-180, -90] },
      properties: { id: 'Ü', buffer_m: 5 },
    },
    { type: 'Feature', geometry: null, properties: null },
  ];
  const text =
    '\uFEFF{\n  "type": "FeatureCollection",\n  "name": "x",\n  "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},\n  "bbox": [1, 2, 3, 4],\n  "features": [\n' +
    features.map((f) => `    ${JSON.stringify(f)}`).join(',\n') +
    '\n  ],\n  "count": 3, "ok": true\n}\n';

  it('hands over every feature with its line, whatever the read size', () => {
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const got = read(text, chunk);
      expect(
        got.map((f) => f.feature),
        `chunk ${chunk}`,
      ).toEqual(features);
      expect(
        got.map((f) => [f.line, f.index]),
        `chunk ${chunk}`,
      ).toEqual([
        [7, 0],
        [8, 1],
        [9, 2],
      ]);
    }
  });

  it('refuses what is not a FeatureCollection, naming the line', () => {
    expect(() => read('{"type":"Feature","features":[]}', 5)).toThrow(
      /"type" must be "FeatureCollection"/,
    );
    expect(() => read('{"type":"FeatureCollection"}', 5)).toThrow(/no "features" array/);
    expect(() => read('[1,2]', 5)).toThrow(/line 1: expected a GeoJSON FeatureCollection object/);
    expect(() => read('{"type":"FeatureCollection","features":[\n{"a":1},\n{"b":}\n]}', 4)).toThrow(
      /line 3: feature 1 is not valid JSON/,
    );
    expect(() => read('{"type":"FeatureCollection","features":[{"a":1}', 4)).toThrow(/ends before/);
  });
});
