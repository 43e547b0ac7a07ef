import { randomBytes } from 'node:crypto';
import {
  ROLES_BARRED_FROM_COMPARTMENTS,
  type Compartment,
  type Role,
} from '../../domain/access/role.js';
import type { Actor, User } from '../../domain/access/user.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { Classification, Releasability } from '../../domain/taxonomy/index.js';
import type { Page, PageRequest } from '../../store/ports.js';
import { authorize } from '../access/access.js';
import { recordDigest } from '../audit/digest.js';
import type { ServiceDeps } from '../deps.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

/** What an administrator supplies for a new account. */
export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly clearance: Classification;
  readonly organisations: readonly Releasability[];
  readonly fullName: string;
  readonly contact: string;
  /** Omit to generate a one-time password that is returned once. */
  readonly password?: string;
}

/** A generated password: 24 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url') + randomBytes(6).toString('base64url');
}

/** The parts of a user that may appear in an audit digest (no name, no contact). */
function auditView(
  u: Pick<
    User,
    'id' | 'username' | 'role' | 'clearance' | 'organisations' | 'disabled' | 'compartments'
  >,
) {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    clearance: u.clearance,
    organisations: u.organisations,
    disabled: u.disabled,
    compartments: u.compartments,
  };
}

async function insertUser(
  deps: ServiceDeps,
  actor: Actor,
  input: NewUser,
  demo: boolean,
): Promise<{ user: User; password: string }> {
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(input.username)) {
    throw new CivitasError(
      'validation_failed',
      'A user name is 2–63 lower-case letters, digits, dots, dashes or underscores.',
      [{ path: 'username', message: 'must match [a-z0-9][a-z0-9._-]{1,62}' }],
    );
  }
  const password = input.password ?? generatePassword();
  checkPasswordPolicy(password, [input.username, ...input.fullName.split(/\s+/)]);
  if (await deps.store.users.getByUsername(input.username)) {
    throw new CivitasError('conflict', `The user name ${input.username} is taken.`);
  }
  const id = deps.newId();
  const at = deps.now();
  const passwordHash = await hashPassword(password);
  await deps.store.transaction(async (tx) => {
    await tx.users.insert({ id, ...input, passwordHash, demo, at });
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'user.create',
        recordType: 'user',
        recordId: id,
        afterDigest: recordDigest(auditView({ id, ...input, disabled: false, compartments: [] })),
      },
      at,
    );
  });
  const user = await deps.store.users.get(id);
  if (!user) throw new CivitasError('internal_error', 'the new user could not be read back');
  return { user, password };
}

/**
 * Creates a user account (administrators only). Returns the password when one was generated, so
 * it can be handed over once; it is stored only as an argon2id hash.
 *
 * @example
 * const { user, password } = await createUser(deps, admin, { username: 'jdoe', role: 'analyst', ... });
 */
export async function createUser(
  deps: ServiceDeps,
  actor: Actor,
  input: NewUser,
): Promise<{ user: User; password: string }> {
  await authorize(deps, actor, 'user', 'create');
  return insertUser(deps, actor, input, false);
}

/** Lists users (administrators only). */
export async function listUsers(
  deps: ServiceDeps,
  actor: Actor,
  page: PageRequest,
): Promise<Page<User>> {
  await authorize(deps, actor, 'user', 'read');
  return deps.store.users.list(page);
}

/** Reads a user by id or user name; `not_found` when absent. */
export async function getUser(deps: ServiceDeps, actor: Actor, idOrName: string): Promise<User> {
  if (!(actor.kind === 'user' && (actor.id === idOrName || actor.user.username === idOrName))) {
    await authorize(deps, actor, 'user', 'read');
  }
  const user =
    (await deps.store.users.get(idOrName)) ?? (await deps.store.users.getByUsername(idOrName));
  if (!user) throw new CivitasError('not_found', 'No such user.');
  return user;
}

/** Changes to an account an administrator may make. */
export interface UserChanges {
  readonly role?: Role;
  readonly clearance?: Classification;
  readonly organisations?: readonly Releasability[];
  readonly disabled?: boolean;
  readonly fullName?: string;
  readonly contact?: string;
}

/**
 * Updates an account. Disabling ends every session of the user at once; a role that may not hold
 * compartments loses its grants.
 */
export async function updateUser(
  deps: ServiceDeps,
  actor: Actor,
  idOrName: string,
  changes: UserChanges,
): Promise<User> {
  await authorize(deps, actor, 'user', 'update');
  const before = await getUser(deps, actor, idOrName);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(before.id, changes, at);
    if (changes.disabled === true) await tx.credentials.deleteSessionsOf(before.id);
    if (changes.role && ROLES_BARRED_FROM_COMPARTMENTS.includes(changes.role)) {
      for (const c of before.compartments) await tx.users.revoke(before.id, c);
    }
    const after = await tx.users.get(before.id);
    await tx.audit.append(
      {
        actor: actor.id,
        action: changes.disabled === true ? 'user.disable' : 'user.update',
        recordType: 'user',
        recordId: before.id,
        beforeDigest: recordDigest(auditView(before)),
        afterDigest: after ? recordDigest(auditView(after)) : null,
        detail: { fields: Object.keys(changes).sort() },
      },
      at,
    );
  });
  return getUser(deps, actor, before.id);
}

/**
 * Grants a need-to-know compartment. Targeting officers and partners can never hold one: the
 * barrier between targeting and survivor- or child-level data is not a setting.
 */
export async function grantCompartment(
  deps: ServiceDeps,
  actor: Actor,
  idOrName: string,
  compartment: Compartment,
): Promise<User> {
  await authorize(deps, actor, 'user', 'update');
  const user = await getUser(deps, actor, idOrName);
  if (ROLES_BARRED_FROM_COMPARTMENTS.includes(user.role)) {
    throw new CivitasError(
      'forbidden',
      `The ${user.role} role may not hold the ${compartment} compartment.`,
    );
  }
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.grant(user.id, compartment, actor.id, at);
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'compartment.grant',
        recordType: 'user',
        recordId: user.id,
        detail: { compartment },
      },
      at,
    );
  });
  return getUser(deps, actor, user.id);
}

/** Removes a compartment grant; applies on the user's next request. */
export async function revokeCompartment(
  deps: ServiceDeps,
  actor: Actor,
  idOrName: string,
  compartment: Compartment,
): Promise<User> {
  await authorize(deps, actor, 'user', 'update');
  const user = await getUser(deps, actor, idOrName);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.revoke(user.id, compartment);
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'compartment.revoke',
        recordType: 'user',
        recordId: user.id,
        detail: { compartment },
      },
      at,
    );
  });
  return getUser(deps, actor, user.id);
}

/**
 * On a database with no users, creates the first administrator with a one-time password and
 * returns it for printing; afterwards returns undefined.
 */
export async function ensureFirstAdmin(
  deps: ServiceDeps,
  actor: Actor,
): Promise<{ username: string; password: string } | undefined> {
  if ((await deps.store.users.count()) > 0) return undefined;
  const { password } = await insertUser(
    deps,
    actor,
    {
      username: 'admin',
      role: 'admin',
      clearance: 'NS',
      organisations: ['NATO'],
      fullName: 'Civitas administrator',
      contact: 'not set',
    },
    false,
  );
  return { username: 'admin', password };
}

/** The demo users, one per role, with what each is for. */
export const DEMO_USERS: ReadonlyArray<{
  username: string;
  role: Role;
  clearance: Classification;
  organisations: Releasability[];
  compartments: Compartment[];
}> = [
  {
    username: 'demo-adviser',
    role: 'hs-adviser',
    clearance: 'NS',
    organisations: ['NATO'],
    compartments: ['CRSV', 'CHILD-IDENTITY'],
  },
  {
    username: 'demo-cimic',
    role: 'cimic-officer',
    clearance: 'NR',
    organisations: ['NATO'],
    compartments: [],
  },
  {
    username: 'demo-targeting',
    role: 'targeting-officer',
    clearance: 'NS',
    organisations: ['NATO'],
    compartments: [],
  },
  {
    username: 'demo-legad',
    role: 'legal-adviser',
    clearance: 'NS',
    organisations: ['NATO'],
    compartments: [],
  },
  {
    username: 'demo-analyst',
    role: 'analyst',
    clearance: 'NC',
    organisations: ['NATO'],
    compartments: [],
  },
  {
    username: 'demo-trainer',
    role: 'trainer',
    clearance: 'NR',
    organisations: ['NATO'],
    compartments: [],
  },
  {
    username: 'demo-partner-un',
    role: 'partner',
    clearance: 'NU',
    organisations: ['UN'],
    compartments: [],
  },
  {
    username: 'demo-viewer',
    role: 'viewer',
    clearance: 'NU',
    organisations: ['NATO'],
    compartments: [],
  },
];

/**
 * Creates the demo users (labelled DEMO USER — EXERCISE) that do not exist yet, all with one
 * freshly generated password that is returned once. Returns undefined when all exist already.
 */
export async function ensureDemoUsers(
  deps: ServiceDeps,
  actor: Actor,
): Promise<{ usernames: string[]; password: string } | undefined> {
  const missing = [];
  for (const d of DEMO_USERS)
    if (!(await deps.store.users.getByUsername(d.username))) missing.push(d);
  if (missing.length === 0) return undefined;
  const password = generatePassword();
  for (const d of missing) {
    const { user } = await insertUser(
      deps,
      actor,
      {
        username: d.username,
        role: d.role,
        clearance: d.clearance,
        organisations: d.organisations,
        fullName: `DEMO USER — EXERCISE (${d.role})`,
        contact: 'exercise only',
        password,
      },
      true,
    );
    for (const c of d.compartments) await grantCompartment(deps, actor, user.id, c);
  }
  return { usernames: missing.map((d) => d.username), password };
}

/**
 * Changes the signed-in user's own password after checking the current one. Every other session
 * of the user ends; the one making the change (`keepSessionHash`) stays.
 */
export async function changeOwnPassword(
  deps: ServiceDeps,
  actor: Actor,
  current: string,
  next: string,
  keepSessionHash?: string,
): Promise<void> {
  if (actor.kind !== 'user')
    throw new CivitasError('forbidden', 'Only a signed-in user changes their own password.');
  const creds = await deps.store.users.credentials(actor.user.username);
  if (!creds || !(await verifyPassword(creds.passwordHash, current))) {
    throw new CivitasError('validation_failed', 'The current password is not right.', [
      { path: 'body.current', message: 'does not match' },
    ]);
  }
  checkPasswordPolicy(next, [actor.user.username, ...actor.user.fullName.split(/\s+/)]);
  const passwordHash = await hashPassword(next);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(actor.id, { passwordHash }, at);
    const ended = await tx.credentials.deleteSessionsOf(actor.id, keepSessionHash);
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'user.password_change',
        recordType: 'user',
        recordId: actor.id,
        detail: { sessionsEnded: ended },
      },
      at,
    );
  });
}

/**
 * Sets a new one-time password for a user (administrators, and the CLI on the server) and ends
 * every session of theirs. Returns the password, to hand over once.
 */
export async function resetPassword(
  deps: ServiceDeps,
  actor: Actor,
  idOrName: string,
): Promise<string> {
  await authorize(deps, actor, 'user', 'update');
  const user = await getUser(deps, actor, idOrName);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { passwordHash, failedLogins: 0, lockedUntil: null }, at);
    await tx.credentials.deleteSessionsOf(user.id);
    await tx.audit.append(
      { actor: actor.id, action: 'user.password_reset', recordType: 'user', recordId: user.id },
      at,
    );
  });
  return password;
}
