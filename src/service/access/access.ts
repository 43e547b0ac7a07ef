import type { Action, RecordType } from '../../domain/access/permission.js';
import { READ_ACTIONS } from '../../domain/access/permission.js';
import type { Actor } from '../../domain/access/user.js';
import { UNRESTRICTED_VIEWER, type Viewer } from '../../domain/access/viewer.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { ServiceDeps } from '../deps.js';

/** The viewer an actor reads as: a user's clearance, organisations and compartments. */
export function viewerOf(actor: Actor): Viewer {
  if (actor.kind === 'system') return UNRESTRICTED_VIEWER;
  return {
    clearance: actor.user.clearance,
    organisations: actor.user.organisations,
    compartments: actor.user.compartments,
  };
}

/**
 * Checks that the actor may perform `action` on `recordType`, denying by default: the role must
 * have the permission in the `role_permission` table, and a token limited to `read` may only read.
 * Throws `unauthenticated` without an actor and `forbidden` otherwise.
 *
 * @example
 * await authorize(deps, actor, 'factor', 'create');
 */
export async function authorize(
  deps: ServiceDeps,
  actor: Actor | undefined,
  recordType: RecordType,
  action: Action,
): Promise<void> {
  if (!actor) throw new CivitasError('unauthenticated', 'Sign in first.');
  if (actor.kind === 'system') return;
  if (actor.via === 'token' && !actor.scopes.includes('write') && !READ_ACTIONS.includes(action)) {
    throw new CivitasError(
      'forbidden',
      `This API token may only read; ${action} ${recordType} needs the write scope.`,
    );
  }
  if (!(await deps.store.permissions.isAllowed(actor.user.role, recordType, action))) {
    throw new CivitasError('forbidden', `Your role may not ${action} ${recordType} records.`);
  }
}
