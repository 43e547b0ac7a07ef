/**
 * Screening a plan's aimpoints against protected objects that arrive in batches (a register
 * read page by page): the aimpoints are indexed once with the action index and each batch is
 * probed against it, so memory holds the aimpoints and their hits, never the whole register.
 * Points are decided as `screenActions` decides them; lines and areas by the distance to their
 * nearest point.
 */
import { geometryDistanceMetres, geometryReachMetres } from '../../geo/index.js';
import type { Aimpoint, ScreenableObject, ScreeningHit } from '../../domain/screening/screening.js';
import { ActionIndex, HitBuffer } from './action-index.js';
import { compareCodeUnits } from './input.js';

/** A line or area object set aside for the second pass, with how far its vertices reach. */
interface Extended {
  readonly object: ScreenableObject;
  readonly reach: number;
}

function hitOf(o: ScreenableObject, distance: number): ScreeningHit {
  return {
    object_id: o.id,
    name: o.name,
    category: o.category,
    list: o.list,
    restriction: o.restriction,
    protection: o.protection,
    distance_m: distance,
    buffer_m: o.bufferMetres,
    marking: o.marking,
    position: [o.lon, o.lat],
  };
}

/**
 * Collects, for every aimpoint, the objects within `radius_m + buffer`, sorted by distance then
 * id. A point object is a hit when the haversine distance to it is within the limit (exactly as
 * `screenActions` decides); a line or area object when the distance to its nearest point is (0
 * inside an area) — candidates come from the index around its centroid widened by how far its
 * vertices reach, and the exact distance decides.
 *
 * @example
 * const screener = new AimpointScreener(aimpoints, maxBuffer);
 * for await (const batch of objects) screener.add(batch);
 * const hits = screener.hits(); // one array per aimpoint
 */
export class AimpointScreener {
  readonly #aimpoints: readonly Aimpoint[];
  readonly #index: ActionIndex;
  readonly #perAimpoint: ScreeningHit[][];
  readonly #buffer = new HitBuffer();
  readonly #extended: Extended[] = [];
  #finished = false;

  /** `maxBufferMetres` must be at least the largest buffer of any point object added. */
  constructor(aimpoints: readonly Aimpoint[], maxBufferMetres: number) {
    this.#aimpoints = aimpoints;
    this.#index = ActionIndex.build(
      {
        lon: aimpoints.map((a) => a.lon),
        lat: aimpoints.map((a) => a.lat),
        radius: aimpoints.map((a) => a.radius_m),
      },
      { maxBufferM: maxBufferMetres },
    );
    this.#perAimpoint = aimpoints.map(() => []);
  }

  /** Probes a batch of objects; keeps only the hits (lines and areas wait for `hits`). */
  add(objects: readonly ScreenableObject[]): void {
    if (this.#finished) throw new Error('hits() was called: add every object before it.');
    const hits = this.#buffer;
    for (const o of objects) {
      if (o.geometry && o.geometry.type !== 'Point') {
        // Every point of the geometry lies within `reach` of the centroid; the margin covers
        // the bulge of great-circle edges and rounding.
        const reach = geometryReachMetres(o.lon, o.lat, o.geometry);
        this.#extended.push({ object: o, reach: reach * (1 + 1e-6) + 1 });
        continue;
      }
      hits.clear();
      this.#index.probe(o.lon, o.lat, o.bufferMetres, hits);
      for (let i = 0; i < hits.count; i += 1) {
        (this.#perAimpoint[hits.actions[i] as number] as ScreeningHit[]).push(
          hitOf(o, hits.distances[i] as number),
        );
      }
    }
  }

  /** Screens the lines and areas set aside, with an index widened by their reach. */
  #screenExtended(): void {
    if (this.#extended.length === 0) return;
    const aimpoints = this.#aimpoints;
    let widest = 0;
    for (const e of this.#extended) widest = Math.max(widest, e.object.bufferMetres + e.reach);
    const index = ActionIndex.build(
      {
        lon: aimpoints.map((a) => a.lon),
        lat: aimpoints.map((a) => a.lat),
        radius: aimpoints.map((a) => a.radius_m),
      },
      { maxBufferM: widest },
    );
    const hits = new HitBuffer();
    for (const { object: o, reach } of this.#extended) {
      hits.clear();
      index.probe(o.lon, o.lat, o.bufferMetres + reach, hits);
      for (let i = 0; i < hits.count; i += 1) {
        const k = hits.actions[i] as number;
        const a = aimpoints[k] as Aimpoint;
        const d = geometryDistanceMetres(a.lon, a.lat, o.geometry!);
        if (d <= a.radius_m + o.bufferMetres) {
          (this.#perAimpoint[k] as ScreeningHit[]).push(hitOf(o, d));
        }
      }
    }
  }

  /** Every aimpoint's hits, nearest first (then by id in code-unit order). */
  hits(): ScreeningHit[][] {
    if (!this.#finished) {
      this.#finished = true;
      this.#screenExtended();
    }
    return this.#perAimpoint.map((list) =>
      [...list].sort(
        (a, b) => a.distance_m - b.distance_m || compareCodeUnits(a.object_id, b.object_id),
      ),
    );
  }
}
