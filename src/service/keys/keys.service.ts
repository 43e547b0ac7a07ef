import type { FieldCipher } from '../../store/crypto/field-cipher.js';
import type { Actor, ServiceDeps } from '../deps.js';

/**
 * Re-encrypts every sensitive field under `next` in one transaction (all or nothing) and audits
 * the rotation. The store's own cipher must still open the old values.
 *
 * @example
 * const n = await rotateDataKey(deps, cliActor(), createFieldCipher(newKeyring));
 */
export async function rotateDataKey(
  deps: ServiceDeps,
  actor: Actor,
  next: FieldCipher,
): Promise<number> {
  return deps.store.transaction(async (tx) => {
    const users = await tx.users.reencrypt(next);
    const factors = await tx.factors.reencrypt(next);
    const screenings = await tx.screenings.reencrypt(next);
    const harm = await tx.harm.reencrypt(next);
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'keys.rotate',
        recordType: 'database',
        recordId: 'keys',
        detail: { keyId: next.activeKeyId, fields: users + factors + screenings + harm },
      },
      deps.now(),
    );
    return users + factors + screenings + harm;
  });
}
