// A release's changes since the one before it, joined to the items of both releases so they can
// be named, placed on the map and listed: added and removed objects, moved ones (old and new
// position), changed ones (which fields), and the unchanged rest.
import type { Feature, FeatureCollection } from 'geojson';
import type { ObjectCategoryCode, ReleaseDiff } from './contract.js';
import { bearingDegrees, geometryCentroid } from './geometry.js';
import type { ReleaseItemProperties, ReleaseItems } from './register-data.js';

/** How an object differs from the release before. */
export type Change = 'added' | 'removed' | 'moved' | 'changed' | 'same';

/** One object of a release diff, as the table and the map show it. */
export interface DiffRow {
  id: string;
  change: Change;
  name: string;
  category: ObjectCategoryCode | null;
  list: string | null;
  /** Where the object is in this release (in the earlier one, for a removed object). */
  position: [number, number] | null;
  /** For a moved object: its old position, and how far it moved in metres. */
  from: [number, number] | null;
  metres: number | null;
  /** Listed fields that changed (a moved object may also have changed). */
  fields: string[];
}

/**
 * The rows of a diff. `current` and `previous` are the items of the release and of the one it is
 * compared with; either may be null (not loaded, or the user may not export them), and then only
 * what the diff itself says is shown (ids, and old and new positions of moved objects).
 *
 * @example diffRows(diff.diff, items, previousItems).filter((r) => r.change === 'added');
 */
export function diffRows(
  diff: ReleaseDiff['diff'],
  current: ReleaseItems | null,
  previous: ReleaseItems | null,
): DiffRow[] {
  const added = new Set(diff.added);
  const moved = new Map(diff.moved.map((m) => [m.objectId, m]));
  const changed = new Map(diff.changed.map((c) => [c.objectId, c.fields]));
  const row = (
    id: string,
    change: Change,
    props: ReleaseItemProperties | null,
    geometry: Feature['geometry'] | null,
  ): DiffRow => {
    const move = moved.get(id);
    return {
      id,
      change,
      name: props?.name ?? id,
      category: props?.category ?? null,
      list: props?.list ?? null,
      position: move ? move.to : geometryCentroid(geometry),
      from: move ? move.from : null,
      metres: move ? move.metres : null,
      fields: changed.get(id) ?? [],
    };
  };
  const rows: DiffRow[] = [];
  const seen = new Set<string>();
  for (const feature of current?.features ?? []) {
    const id = feature.properties.id;
    seen.add(id);
    const change: Change = added.has(id)
      ? 'added'
      : moved.has(id)
        ? 'moved'
        : changed.has(id)
          ? 'changed'
          : 'same';
    rows.push(row(id, change, feature.properties, feature.geometry));
  }
  // Without the items, the diff still names every change.
  if (!current) {
    for (const id of diff.added) rows.push(row(id, 'added', null, null));
    for (const id of moved.keys()) rows.push(row(id, 'moved', null, null));
    for (const id of changed.keys()) if (!moved.has(id)) rows.push(row(id, 'changed', null, null));
    for (const id of rows.map((r) => r.id)) seen.add(id);
  }
  const before = new Map((previous?.features ?? []).map((f) => [f.properties.id, f]));
  for (const id of diff.removed) {
    const feature = before.get(id);
    rows.push(row(id, 'removed', feature?.properties ?? null, feature?.geometry ?? null));
  }
  return rows;
}

/**
 * The map features of a diff (see the `diff` overlay of map-view.tsx): a point per object, and
 * for each moved one a line from its old position, a mark there and an arrowhead at the new one.
 *
 * @example diffFeatures(rows);
 */
export function diffFeatures(rows: readonly DiffRow[]): FeatureCollection {
  const features: Feature[] = [];
  for (const r of rows) {
    if (!r.position) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: r.position },
      properties: { id: r.id, name: r.name, change: r.change, role: 'point' },
    });
    if (r.change === 'moved' && r.from) {
      features.push(
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [r.from, r.position] },
          properties: { id: `${r.id}:move`, name: r.name, change: 'moved', role: 'move' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: r.from },
          properties: { id: `${r.id}:from`, name: r.name, change: 'moved', role: 'from' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: r.position },
          properties: {
            id: `${r.id}:arrow`,
            name: r.name,
            change: 'moved',
            role: 'arrow',
            bearing: bearingDegrees(r.from, r.position),
          },
        },
      );
    }
  }
  return { type: 'FeatureCollection', features };
}
