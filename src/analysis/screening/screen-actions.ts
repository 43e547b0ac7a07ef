/**
 * Screening planned actions against protected objects, in memory: for every action, every object
 * whose haversine distance is at most radius_m + buffer_m, with the distance.
 */
import type { Metres } from '../../geo/index.js';
import { CivitasError, type FieldProblem } from '../../domain/shared/civitas-error.js';
import { ActionIndex, HitBuffer } from './action-index.js';
import {
  actionRecordProblem,
  compareCodeUnits,
  objectRecordProblem,
  type ScreeningAction,
  type ScreeningObject,
} from './input.js';

/** One object inside one action's screening distance. */
export interface ScreeningHit<A> {
  readonly object: ScreeningObject<A>;
  /** Haversine distance (m) between the aimpoint and the object, as `lonLatDistanceMetres`. */
  readonly distance_m: Metres;
}

/** The objects one action reaches, sorted by object id in plain code-unit order. */
export interface ActionScreening<A> {
  readonly action: ScreeningAction;
  readonly hits: readonly ScreeningHit<A>[];
}

/**
 * Screens every action against every object. Exact: an object is a hit when the haversine
 * distance on the 6,371,008.7714 m sphere (the same double `lonLatDistanceMetres` gives) is at
 * most `radius_m + buffer_m`; correct across the antimeridian and at the poles. Results come in
 * the actions' order, hits sorted by id. Inputs are checked first (coordinates, non-negative
 * radius and buffer, unique ids) and a CivitasError `validation_failed` lists every problem;
 * inputs are not modified.
 *
 * @example
 * const [a1] = screenActions(
 *   [{ id: 'O1', lon: 30.5, lat: 50.4, buffer_m: 100 }],
 *   [{ id: 'A1', lon: 30.502, lat: 50.4, radius_m: 100 }],
 * );
 * a1.hits[0].object.id; // 'O1' (142 m away, within 100 + 100 m)
 */
export function screenActions<A>(
  objects: readonly ScreeningObject<A>[],
  actions: readonly ScreeningAction[],
): ActionScreening<A>[] {
  checkRecords(objects, actions);
  let maxBuffer = 0;
  for (const o of objects) if (o.buffer_m > maxBuffer) maxBuffer = o.buffer_m;
  const index = ActionIndex.build(
    {
      lon: actions.map((a) => a.lon),
      lat: actions.map((a) => a.lat),
      radius: actions.map((a) => a.radius_m),
    },
    { maxBufferM: maxBuffer },
  );
  const perAction: ScreeningHit<A>[][] = actions.map(() => []);
  const hits = new HitBuffer();
  for (const object of objects) {
    hits.clear();
    index.probe(object.lon, object.lat, object.buffer_m, hits);
    for (let i = 0; i < hits.count; i += 1) {
      (perAction[hits.actions[i] as number] as ScreeningHit<A>[]).push({
        object,
        distance_m: hits.distances[i] as Metres,
      });
    }
  }
  return actions.map((action, i) => ({
    action,
    hits: (perAction[i] as ScreeningHit<A>[]).sort((x, y) =>
      compareCodeUnits(x.object.id, y.object.id),
    ),
  }));
}

function checkRecords<A>(
  objects: readonly ScreeningObject<A>[],
  actions: readonly ScreeningAction[],
): void {
  const problems: FieldProblem[] = [];
  const check = (
    kind: 'objects' | 'actions',
    records: readonly (ScreeningObject<A> | ScreeningAction)[],
  ): void => {
    const seen = new Map<string, number>();
    records.forEach((record, i) => {
      const problem =
        kind === 'objects'
          ? objectRecordProblem(record as unknown as Record<string, unknown>)
          : actionRecordProblem(record as unknown as Record<string, unknown>);
      if (problem)
        problems.push({ path: `${kind}[${i}].${problem.field}`, message: problem.message });
      const first = seen.get(record.id);
      if (first !== undefined) {
        problems.push({
          path: `${kind}[${i}].id`,
          message: `duplicate id ${JSON.stringify(record.id)} (also ${kind}[${first}])`,
        });
      } else seen.set(record.id, i);
    });
  };
  check('objects', objects);
  check('actions', actions);
  if (problems.length > 0) {
    const first = problems[0] as FieldProblem;
    throw new CivitasError(
      'validation_failed',
      `screening input: ${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      problems,
    );
  }
}
