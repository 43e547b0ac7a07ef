import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOfGeometry, type BBox } from '../../geo/index.js';
import type { Area, AreaCounts, Place, Region, Unit } from '../../domain/area/area.js';
import { canSee } from '../../domain/access/viewer.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { Marking } from '../../domain/taxonomy/index.js';
import type { Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';

/** What a caller supplies to create an area of operations. */
export interface NewArea {
  readonly name: string;
  readonly description: string;
  readonly exercise: boolean;
  readonly marking: Marking;
  readonly source: string;
  readonly outline: Polygon | MultiPolygon;
}

/**
 * Refuses a marking the actor could not read back: nobody writes above their own clearance or
 * outside their own releasability.
 */
export function assertWritableMarking(actor: Actor, marking: Marking): void {
  if (!canSee(viewerOf(actor), marking, null)) {
    throw new CivitasError(
      'validation_failed',
      'The marking is above your clearance or outside your releasability.',
      [{ path: 'body.marking', message: 'must be a marking you may read' }],
    );
  }
}

/**
 * Creates an area of operations and its audit event in one transaction.
 *
 * @example
 * const area = await createArea(deps, actor, { name: 'AO NORTH', ... });
 */
export async function createArea(
  deps: ServiceDeps,
  actor: Actor | undefined,
  input: NewArea,
): Promise<Area & AreaCounts> {
  await authorize(deps, actor, 'area', 'create');
  assertWritableMarking(actor!, input.marking);
  const area: Area = {
    id: deps.newId(),
    ...input,
    bbox: bboxOfGeometry(input.outline),
    createdAt: deps.now(),
    createdBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.areas.insertArea(area);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'area.create',
        recordType: 'area',
        recordId: area.id,
        afterDigest: recordDigest({ ...area, outline: undefined }),
        detail: { name: area.name },
      },
      area.createdAt,
    );
  });
  return { ...area, regionCount: 0, placeCount: 0, unitCount: 0 };
}

/** Lists the areas of operations the actor may see, newest first. */
export async function listAreas(
  deps: ServiceDeps,
  actor: Actor | undefined,
  page: PageRequest,
): Promise<Page<Area & AreaCounts>> {
  await authorize(deps, actor, 'area', 'read');
  return deps.store.areas.listAreas(page, viewerOf(actor!));
}

/** Reads one area, or throws `not_found` — also when the actor may not see it. */
export async function getArea(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<Area & AreaCounts> {
  await authorize(deps, actor, 'area', 'read');
  const area = await deps.store.areas.getArea(id, viewerOf(actor!));
  if (!area) throw new CivitasError('not_found', 'No area of operations with that id.');
  return area;
}

/** The regions of an area; they carry the area's marking. */
export async function listRegions(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
): Promise<Region[]> {
  await getArea(deps, actor, areaId);
  return deps.store.areas.listRegions(areaId);
}

/** The populated places of an area, largest first, optionally inside a bbox. */
export async function listPlaces(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
  filter: { bbox?: BBox; limit: number },
): Promise<Page<Place>> {
  await getArea(deps, actor, areaId);
  return deps.store.areas.listPlaces(areaId, filter);
}

/** The own-force units shown in an area. */
export async function listUnits(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
): Promise<Unit[]> {
  await getArea(deps, actor, areaId);
  return deps.store.areas.listUnits(areaId);
}
