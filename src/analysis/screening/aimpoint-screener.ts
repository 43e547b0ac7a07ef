/**
 * Screening a plan's aimpoints against protected objects that arrive in batches (a register
 * read page by page): the aimpoints are indexed once with the action index and each batch is
 * probed against it, so memory holds the aimpoints and their hits, never the whole register.
 */
import type { Aimpoint, ScreenableObject, ScreeningHit } from '../../domain/screening/screening.js';
import { ActionIndex, HitBuffer } from './action-index.js';
import { compareCodeUnits } from './input.js';

/**
 * Collects, for every aimpoint, the objects within `radius_m + buffer` (haversine, exactly as
 * `screenActions` decides), sorted by distance then id.
 *
 * @example
 * const screener = new AimpointScreener(aimpoints, maxBuffer);
 * for await (const batch of objects) screener.add(batch);
 * const hits = screener.hits(); // one array per aimpoint
 */
export class AimpointScreener {
  readonly #index: ActionIndex;
  readonly #perAimpoint: ScreeningHit[][];
  readonly #buffer = new HitBuffer();

  /** `maxBufferMetres` must be at least the largest buffer of any object added. */
  constructor(aimpoints: readonly Aimpoint[], maxBufferMetres: number) {
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

  /** Probes a batch of objects; keeps only the hits. */
  add(objects: readonly ScreenableObject[]): void {
    const hits = this.#buffer;
    for (const o of objects) {
      hits.clear();
      this.#index.probe(o.lon, o.lat, o.bufferMetres, hits);
      for (let i = 0; i < hits.count; i += 1) {
        (this.#perAimpoint[hits.actions[i] as number] as ScreeningHit[]).push({
          object_id: o.id,
          name: o.name,
          category: o.category,
          list: o.list,
          restriction: o.restriction,
          protection: o.protection,
          distance_m: hits.distances[i] as number,
          buffer_m: o.bufferMetres,
          marking: o.marking,
        });
      }
    }
  }

  /** Every aimpoint's hits, nearest first (then by id in code-unit order). */
  hits(): ScreeningHit[][] {
    return this.#perAimpoint.map((list) =>
      [...list].sort(
        (a, b) => a.distance_m - b.distance_m || compareCodeUnits(a.object_id, b.object_id),
      ),
    );
  }
}
