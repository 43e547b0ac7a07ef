import { lonLat, lonLatDistanceMetres } from '../geo/index.js';
import { DIFFED_FIELDS, type ReleaseItem } from '../domain/protected-object/register.js';

/** How far an object's centroid must shift to count as moved, in metres. */
export const MOVE_THRESHOLD_M = 1;

/** What changed between two releases of the lists. */
export interface ReleaseDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly moved: {
    objectId: string;
    from: [number, number];
    to: [number, number];
    metres: number;
  }[];
  readonly changed: { objectId: string; fields: string[] }[];
}

/**
 * Compares two releases item by item: added and removed objects, objects whose centroid moved
 * more than {@link MOVE_THRESHOLD_M}, and objects whose listed fields changed. Ids are sorted so
 * the diff is the same whichever database produced the releases. Does not mutate its inputs.
 *
 * @example
 * const diff = diffReleases(previousItems, draftItems);
 * diff.added; // ['obj-17']
 */
export function diffReleases(
  before: readonly ReleaseItem[],
  after: readonly ReleaseItem[],
): ReleaseDiff {
  const old = new Map(before.map((i) => [i.objectId, i]));
  const now = new Map(after.map((i) => [i.objectId, i]));
  const diff: ReleaseDiff = { added: [], removed: [], moved: [], changed: [] };
  for (const id of [...now.keys()].sort()) if (!old.has(id)) diff.added.push(id);
  for (const id of [...old.keys()].sort()) if (!now.has(id)) diff.removed.push(id);
  for (const id of [...now.keys()].sort()) {
    const a = old.get(id);
    const b = now.get(id)!;
    if (!a) continue;
    const metres = lonLatDistanceMetres(
      lonLat(a.centroid[0], a.centroid[1]),
      lonLat(b.centroid[0], b.centroid[1]),
    );
    if (metres > MOVE_THRESHOLD_M) {
      diff.moved.push({
        objectId: id,
        from: [a.centroid[0], a.centroid[1]],
        to: [b.centroid[0], b.centroid[1]],
        metres,
      });
    }
    const fields = DIFFED_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    if (fields.length > 0) diff.changed.push({ objectId: id, fields: [...fields] });
  }
  return diff;
}
