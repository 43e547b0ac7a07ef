import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { EffectClass } from '../../domain/screening/screening.js';
import { authorize } from '../access/access.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';

/**
 * The deployment's effect classes, smallest radius first.
 *
 * @example
 * const classes = await listEffectClasses(deps, actor); // [{ code: 'SMALL', radiusMetres: 25, … }, …]
 */
export async function listEffectClasses(
  deps: ServiceDeps,
  actor: Actor | undefined,
): Promise<EffectClass[]> {
  await authorize(deps, actor, 'effect_class', 'read');
  return deps.store.effectClasses.list();
}

/**
 * The effect classes as code → radius, for reading planner input (no access check: the caller
 * has already been authorised for the screening it reads input for).
 */
export async function effectClassRadii(deps: ServiceDeps): Promise<Map<string, number>> {
  return new Map((await deps.store.effectClasses.list()).map((e) => [e.code, e.radiusMetres]));
}

/**
 * Creates or replaces an effect class; audited with the class before and after.
 *
 * @example
 * await putEffectClass(deps, actor, 'MEDIUM', { label: 'Medium', radiusMetres: 120 });
 */
export async function putEffectClass(
  deps: ServiceDeps,
  actor: Actor | undefined,
  code: string,
  input: { label: string; radiusMetres: number; description?: string | undefined },
): Promise<EffectClass> {
  await authorize(deps, actor, 'effect_class', 'update');
  const at = deps.now();
  const next: EffectClass = {
    code,
    label: input.label,
    radiusMetres: input.radiusMetres,
    description: input.description ?? null,
    updatedAt: at,
    updatedBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    const before = await tx.effectClasses.get(code);
    await tx.effectClasses.put(next);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: before ? 'effect_class.update' : 'effect_class.create',
        recordType: 'effect_class',
        recordId: code,
        detail: { radius_m: next.radiusMetres, ...(before ? { was_m: before.radiusMetres } : {}) },
        beforeDigest: before ? recordDigest(before) : null,
        afterDigest: recordDigest(next),
      },
      at,
    );
  });
  return next;
}

/**
 * Deletes an effect class (screenings already saved keep their radii); audited.
 *
 * @example
 * await deleteEffectClass(deps, actor, 'AREA');
 */
export async function deleteEffectClass(
  deps: ServiceDeps,
  actor: Actor | undefined,
  code: string,
): Promise<void> {
  await authorize(deps, actor, 'effect_class', 'delete');
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    const before = await tx.effectClasses.get(code);
    if (!before || !(await tx.effectClasses.delete(code))) {
      throw new CivitasError('not_found', `No effect class ${code}.`);
    }
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'effect_class.delete',
        recordType: 'effect_class',
        recordId: code,
        beforeDigest: recordDigest(before),
      },
      at,
    );
  });
}
