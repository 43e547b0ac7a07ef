import { centroid as turfCentroid } from '@turf/turf';
import { canSee } from '../../domain/access/viewer.js';
import {
  mgrsOfCentroid,
  type ListKind,
  type ProtectedObjectInput,
} from '../../domain/protected-object/protected-object.js';
import type { ProtectedObject } from '../../domain/protected-object/register.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { ObjectFilter, ObjectHit, Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { assertWritableMarking } from '../area/area.service.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';

/** The centroid of an object's geometry, as [lon, lat]. */
export function centroidOf(geometry: ProtectedObjectInput['geometry']): [number, number] {
  // A point is its own centroid (turf's mean of one vertex): skip building a feature for it.
  if (geometry.type === 'Point') return [geometry.coordinates[0]!, geometry.coordinates[1]!];
  const [lon, lat] = turfCentroid(geometry).geometry.coordinates as [number, number];
  return [lon, lat];
}

/** Turns an importer's or user's input into a register object (new id or the existing one). */
export function toProtectedObject(
  input: ProtectedObjectInput,
  meta: {
    id: string;
    version: number;
    at: string;
    by: string;
    createdAt?: string;
    createdBy?: string;
  },
): ProtectedObject {
  const entry = input.lists[0];
  return {
    id: meta.id,
    source: input.source,
    sourceRef: input.sourceRef,
    name: input.name,
    nameLatin: input.nameLatin ?? null,
    category: input.category,
    protection: input.protection,
    geometry: input.geometry,
    bufferMetres: input.bufferMetres,
    mgrs: mgrsOfCentroid(input.geometry),
    centroid: centroidOf(input.geometry),
    topics: input.topics,
    list: entry?.list ?? null,
    restriction: entry?.restriction ?? null,
    marking: input.marking,
    version: meta.version,
    createdAt: meta.createdAt ?? meta.at,
    createdBy: meta.createdBy ?? meta.by,
    updatedAt: meta.at,
    updatedBy: meta.by,
  };
}

/** The audit view of an object: everything (nothing in it is personal data). */
function digestOf(o: ProtectedObject): string {
  return recordDigest(o);
}

/** Searches the register: text, category, list, bbox or a great-circle radius (`near`). */
export async function searchObjects(
  deps: ServiceDeps,
  actor: Actor | undefined,
  filter: ObjectFilter,
  page: PageRequest,
): Promise<Page<ObjectHit>> {
  await authorize(deps, actor, 'protected_object', 'read');
  return deps.store.objects.search(viewerOf(actor!), filter, page);
}

/** Reads one object; `not_found` when it does not exist or the actor may not see it. */
export async function getObject(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<ProtectedObject> {
  await authorize(deps, actor, 'protected_object', 'read');
  const object = await deps.store.objects.get(id, viewerOf(actor!));
  if (!object) throw new CivitasError('not_found', 'No protected object with that id.');
  return object;
}

/** Adds one object by hand (source `manual`), audited. */
export async function createObject(
  deps: ServiceDeps,
  actor: Actor | undefined,
  input: ProtectedObjectInput,
): Promise<ProtectedObject> {
  await authorize(deps, actor, 'protected_object', 'create');
  assertWritableMarking(actor!, input.marking);
  const existing = await deps.store.objects.findBySource(input.source, [input.sourceRef]);
  if (existing.size > 0)
    throw new CivitasError(
      'conflict',
      `An object from ${input.source} with reference ${input.sourceRef} exists.`,
    );
  const object = toProtectedObject(input, {
    id: deps.newId(),
    version: 1,
    at: deps.now(),
    by: actor!.id,
  });
  await deps.store.transaction(async (tx) => {
    await tx.objects.insertMany([object]);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'object.create',
        recordType: 'protected_object',
        recordId: object.id,
        afterDigest: digestOf(object),
      },
      object.createdAt,
    );
  });
  return object;
}

/** Changes to an object a user may make. */
export type ObjectChanges = Partial<
  Pick<
    ProtectedObject,
    | 'name'
    | 'nameLatin'
    | 'category'
    | 'protection'
    | 'geometry'
    | 'bufferMetres'
    | 'topics'
    | 'marking'
  >
> & { list?: ListKind | null; restriction?: string | null };

/** Updates an object (a new version), audited with before and after digests. */
export async function updateObject(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  changes: ObjectChanges,
): Promise<ProtectedObject> {
  await authorize(deps, actor, 'protected_object', 'update');
  const before = await deps.store.objects.get(id, viewerOf(actor!));
  if (!before) throw new CivitasError('not_found', 'No protected object with that id.');
  const geometry = changes.geometry ?? before.geometry;
  const after: ProtectedObject = {
    ...before,
    ...changes,
    geometry,
    centroid: changes.geometry ? centroidOf(geometry) : before.centroid,
    mgrs: changes.geometry ? mgrsOfCentroid(geometry) : before.mgrs,
    version: before.version + 1,
    updatedAt: deps.now(),
    updatedBy: actor!.id,
  };
  if (after.list === 'RTL' && !after.restriction) {
    throw new CivitasError('validation_failed', 'An RTL entry must say what the restriction is.', [
      { path: 'body.restriction', message: 'required for RTL' },
    ]);
  }
  if (after.list !== 'RTL' && after.restriction) {
    throw new CivitasError('validation_failed', 'Only RTL entries carry a restriction.', [
      { path: 'body.restriction', message: 'only for RTL' },
    ]);
  }
  assertWritableMarking(actor!, after.marking);
  if (!canSee(viewerOf(actor!), after.marking, null))
    throw new CivitasError('validation_failed', 'You could not read the object back.');
  await deps.store.transaction(async (tx) => {
    await tx.objects.update(after);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'object.update',
        recordType: 'protected_object',
        recordId: id,
        beforeDigest: digestOf(before),
        afterDigest: digestOf(after),
        detail: { fields: Object.keys(changes).sort(), version: after.version },
      },
      after.updatedAt,
    );
  });
  return after;
}

/** Deletes an object from the register (releases keep their frozen copy). */
export async function deleteObject(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<void> {
  await authorize(deps, actor, 'protected_object', 'delete');
  const before = await deps.store.objects.get(id, viewerOf(actor!));
  if (!before) throw new CivitasError('not_found', 'No protected object with that id.');
  await deps.store.transaction(async (tx) => {
    await tx.objects.delete(id);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'object.delete',
        recordType: 'protected_object',
        recordId: id,
        beforeDigest: digestOf(before),
      },
      deps.now(),
    );
  });
}
