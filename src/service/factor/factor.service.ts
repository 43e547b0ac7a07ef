import type { Compartment } from '../../domain/access/role.js';
import { canSee, suppressSmallCount } from '../../domain/access/viewer.js';
import type { Factor } from '../../domain/factor/factor.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { AscopeCategory, PmesiiDomain } from '../../domain/taxonomy/index.js';
import type { FactorFilter, Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { getArea, assertWritableMarking } from '../area/area.service.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';

/** What a caller supplies for a new human security factor. */
export type NewFactor = Omit<
  Factor,
  'id' | 'areaId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
>;

/** The audit view of a factor: everything but the confidential details. */
function auditView(f: Factor) {
  const { details: _details, ...rest } = f;
  return rest;
}

function assertCompartment(actor: Actor, compartment: Compartment | null): void {
  if (compartment !== null && !viewerOf(actor).compartments.includes(compartment)) {
    throw new CivitasError('validation_failed', `You are not in the ${compartment} compartment.`, [
      { path: 'body.compartment', message: 'must be a compartment you hold' },
    ]);
  }
}

async function checkRegion(
  deps: ServiceDeps,
  areaId: string,
  regionId: string | null,
): Promise<void> {
  if (regionId === null) return;
  const regions = await deps.store.areas.listRegions(areaId);
  if (!regions.some((r) => r.id === regionId)) {
    throw new CivitasError('validation_failed', 'The region is not in this area.', [
      { path: 'body.regionId', message: 'must be a region of the area' },
    ]);
  }
}

/**
 * Records a human security factor in an area's PMESII × ASCOPE analysis, audited in the same
 * transaction. The marking may not exceed the author's own, and only members of a compartment
 * can file into it.
 */
export async function createFactor(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
  input: NewFactor,
): Promise<Factor> {
  await authorize(deps, actor, 'factor', 'create');
  await getArea(deps, actor, areaId);
  assertWritableMarking(actor!, input.marking);
  assertCompartment(actor!, input.compartment);
  await checkRegion(deps, areaId, input.regionId);
  const at = deps.now();
  const factor: Factor = {
    id: deps.newId(),
    areaId,
    ...input,
    createdAt: at,
    createdBy: actor!.id,
    updatedAt: at,
    updatedBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.factors.insert(factor);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'factor.create',
        recordType: 'factor',
        recordId: factor.id,
        afterDigest: recordDigest(auditView(factor)),
      },
      at,
    );
  });
  return factor;
}

/**
 * Reads one factor; `not_found` when it does not exist or the actor may not see it (the two are
 * indistinguishable). Reading a compartmented factor is itself audited.
 */
export async function getFactor(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<Factor> {
  await authorize(deps, actor, 'factor', 'read');
  const factor = await deps.store.factors.get(id, viewerOf(actor!));
  if (!factor) throw new CivitasError('not_found', 'No factor with that id.');
  if (factor.compartment !== null) {
    await deps.store.audit.append(
      {
        actor: actor!.id,
        action: 'factor.read',
        recordType: 'factor',
        recordId: id,
        detail: { compartment: factor.compartment },
      },
      deps.now(),
    );
  }
  return factor;
}

/** Lists the factors of an area the actor may see. */
export async function listFactors(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
  filter: FactorFilter,
  page: PageRequest,
  action: 'read' | 'export' = 'read',
): Promise<Page<Factor>> {
  await authorize(deps, actor, 'factor', action);
  await getArea(deps, actor, areaId);
  const result = await deps.store.factors.list(areaId, viewerOf(actor!), filter, page);
  const compartmented = result.items.filter((f) => f.compartment !== null);
  if (compartmented.length > 0 || action === 'export') {
    await deps.store.audit.append(
      {
        actor: actor!.id,
        action: action === 'export' ? 'factor.export' : 'factor.list_compartmented',
        recordType: 'area',
        recordId: areaId,
        detail: { factors: result.items.length, compartmented: compartmented.map((f) => f.id) },
      },
      deps.now(),
    );
  }
  return result;
}

/** The PMESII × ASCOPE matrix: visible factors per cell, and hidden compartmented ones as aggregates. */
export interface FactorMatrix {
  readonly cells: { pmesii: PmesiiDomain; ascope: AscopeCategory; count: number }[];
  /** Factors in compartments the actor is not in: counts only, fewer than 5 shown as "<5". */
  readonly restricted: { compartment: Compartment; count: number | '<5' }[];
}

/** The analysis matrix of an area. */
export async function factorMatrix(
  deps: ServiceDeps,
  actor: Actor | undefined,
  areaId: string,
): Promise<FactorMatrix> {
  await authorize(deps, actor, 'factor', 'read');
  await getArea(deps, actor, areaId);
  const viewer = viewerOf(actor!);
  const [cells, hidden] = await Promise.all([
    deps.store.factors.matrix(areaId, viewer),
    deps.store.factors.compartmentedCounts(areaId, viewer),
  ]);
  return {
    cells,
    restricted: hidden.map((h) => ({
      compartment: h.compartment,
      count: suppressSmallCount(h.count),
    })),
  };
}

/** Changes to a factor. */
export type FactorChanges = Partial<NewFactor>;

/** Updates a factor the actor may see; the new marking and compartment are checked as on create. */
export async function updateFactor(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  changes: FactorChanges,
): Promise<Factor> {
  await authorize(deps, actor, 'factor', 'update');
  const before = await deps.store.factors.get(id, viewerOf(actor!));
  if (!before) throw new CivitasError('not_found', 'No factor with that id.');
  const after: Factor = { ...before, ...changes, updatedAt: deps.now(), updatedBy: actor!.id };
  assertWritableMarking(actor!, after.marking);
  assertCompartment(actor!, after.compartment);
  await checkRegion(deps, after.areaId, after.regionId);
  if (!canSee(viewerOf(actor!), after.marking, after.compartment)) {
    throw new CivitasError(
      'validation_failed',
      'You could not read the factor back after this change.',
    );
  }
  await deps.store.transaction(async (tx) => {
    await tx.factors.update(after);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'factor.update',
        recordType: 'factor',
        recordId: id,
        beforeDigest: recordDigest(auditView(before)),
        afterDigest: recordDigest(auditView(after)),
        detail: { fields: Object.keys(changes).sort() },
      },
      after.updatedAt,
    );
  });
  return after;
}

/** Deletes a factor the actor may see. */
export async function deleteFactor(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<void> {
  await authorize(deps, actor, 'factor', 'delete');
  const before = await deps.store.factors.get(id, viewerOf(actor!));
  if (!before) throw new CivitasError('not_found', 'No factor with that id.');
  await deps.store.transaction(async (tx) => {
    await tx.factors.delete(id);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'factor.delete',
        recordType: 'factor',
        recordId: id,
        beforeDigest: recordDigest(auditView(before)),
      },
      deps.now(),
    );
  });
}
