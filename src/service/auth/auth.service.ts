import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor, ApiToken, TokenScope, User } from '../../domain/access/user.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { ServiceDeps } from '../deps.js';
import { verifyDummy, verifyPassword } from './password.js';

/** SHA-256 hex of a secret: what the database keeps instead of a session or token secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

/** A new session: the token goes to the browser once, as a cookie; only its hash is stored. */
export interface NewSession {
  readonly token: string;
  readonly user: User;
  readonly expiresAt: string;
}

const FAILED =
  'Sign-in failed: check the user name and password. Repeated failures lock the account for a while.';

/**
 * Signs a user in. Unknown user, wrong password, disabled or locked account all give the same
 * `sign_in_failed`, after the same argon2 work, so nobody can learn which accounts exist. After
 * `lockoutThreshold` failures the account locks for `lockoutMinutes`, even for the right password.
 *
 * @example
 * const { token } = await signIn(deps, 'adviser', 'a long pass phrase here');
 */
export async function signIn(
  deps: ServiceDeps,
  username: string,
  password: string,
): Promise<NewSession> {
  const now = deps.now();
  const creds = await deps.store.users.credentials(username);
  if (!creds) {
    await verifyDummy(password);
    await deps.store.audit.append(
      {
        actor: 'anonymous',
        action: 'auth.sign_in_failed',
        recordType: 'user',
        recordId: 'unknown',
      },
      now,
    );
    throw new CivitasError('sign_in_failed', FAILED);
  }
  const { user } = creds;
  const passwordOk = await verifyPassword(creds.passwordHash, password);
  // Read the lock again after the slow verification: guesses sent in parallel must see a lock
  // that an earlier guess of the same burst has just set.
  const lockedUntil = (await deps.store.users.credentials(username))?.lockedUntil ?? null;
  const locked = lockedUntil !== null && lockedUntil > now;
  const ok = passwordOk && !locked && !user.disabled;
  if (!ok) {
    await deps.store.transaction(async (tx) => {
      if (!locked) {
        // Counted in one statement, so parallel failures cannot overwrite each other's count.
        const failures = await tx.users.incrementFailedLogins(user.id);
        const lock = failures >= deps.policy.lockoutThreshold;
        if (lock) {
          await tx.users.update(
            user.id,
            { failedLogins: 0, lockedUntil: addMinutes(now, deps.policy.lockoutMinutes) },
            now,
          );
          await tx.audit.append(
            { actor: 'system', action: 'auth.locked', recordType: 'user', recordId: user.id },
            now,
          );
        }
      }
      await tx.audit.append(
        {
          actor: 'anonymous',
          action: 'auth.sign_in_failed',
          recordType: 'user',
          recordId: user.id,
          detail: { locked, disabled: user.disabled },
        },
        now,
      );
    });
    throw new CivitasError('sign_in_failed', FAILED);
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = addMinutes(now, deps.policy.sessionMaxHours * 60);
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { failedLogins: 0, lockedUntil: null }, now);
    await tx.credentials.createSession({
      idHash: secretHash(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    await tx.audit.append(
      { actor: user.id, action: 'auth.sign_in', recordType: 'user', recordId: user.id },
      now,
    );
  });
  return { token, user, expiresAt };
}

/** Sessions are touched at most once a minute, so reading does not turn into writing. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The actor behind a session token, or undefined when the session does not exist, has been idle
 * too long, has passed its absolute lifetime, or its user is disabled. Every check reads the
 * database, so revoking a role or grant applies on the very next request.
 */
export async function authenticateSession(
  deps: ServiceDeps,
  token: string,
): Promise<Actor | undefined> {
  const now = deps.now();
  const idHash = secretHash(token);
  const session = await deps.store.credentials.getSession(idHash);
  if (!session) return undefined;
  const idleLimit = addMinutes(session.lastSeenAt, deps.policy.sessionIdleMinutes);
  if (session.expiresAt <= now || idleLimit <= now) {
    await deps.store.credentials.deleteSession(idHash);
    return undefined;
  }
  const user = await deps.store.users.get(session.userId);
  if (!user || user.disabled) return undefined;
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
    await deps.store.credentials.touchSession(idHash, now);
  }
  return { kind: 'user', id: user.id, user, via: 'session', scopes: ['write'] };
}

/** Ends one session. */
export async function signOut(deps: ServiceDeps, token: string, actor: Actor): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.credentials.deleteSession(secretHash(token));
    await tx.audit.append(
      { actor: actor.id, action: 'auth.sign_out', recordType: 'user', recordId: actor.id },
      deps.now(),
    );
  });
}

/** Ends every session of a user (sign out everywhere). Returns how many ended. */
export async function signOutEverywhere(
  deps: ServiceDeps,
  userId: string,
  actor: Actor,
): Promise<number> {
  return deps.store.transaction(async (tx) => {
    const n = await tx.credentials.deleteSessionsOf(userId);
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'auth.sign_out_everywhere',
        recordType: 'user',
        recordId: userId,
        detail: { sessions: n },
      },
      deps.now(),
    );
    return n;
  });
}

/** An API token as handed out: `civ_<id>_<secret>`, shown once. */
export interface IssuedToken {
  readonly token: string;
  readonly record: ApiToken;
}

/**
 * Issues an API token for scripts. It expires (at most a year), carries scopes, and is stored as
 * a hash; revoking it applies on the next request. Tokens come from a signed-in session or the
 * CLI, never from another token: a stolen token cannot widen its scopes or outlive its expiry.
 */
export async function issueToken(
  deps: ServiceDeps,
  actor: Actor,
  user: User,
  options: { name: string; scopes: readonly TokenScope[]; days: number },
): Promise<IssuedToken> {
  if (actor.kind === 'user' && actor.via === 'token') {
    throw new CivitasError(
      'forbidden',
      'An API token cannot issue API tokens: sign in to issue one.',
    );
  }
  if (options.days < 1 || options.days > 365) {
    throw new CivitasError('validation_failed', 'A token lives from 1 to 365 days.', [
      { path: 'days', message: 'must be 1–365' },
    ]);
  }
  const now = deps.now();
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiToken = {
    id,
    userId: user.id,
    name: options.name,
    scopes: [...new Set(options.scopes)],
    createdAt: now,
    expiresAt: addMinutes(now, options.days * 24 * 60),
    revokedAt: null,
    lastUsedAt: null,
  };
  await deps.store.transaction(async (tx) => {
    await tx.credentials.createToken({ ...record, secretHash: secretHash(secret) });
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'token.issue',
        recordType: 'user',
        recordId: user.id,
        detail: { tokenId: id, scopes: record.scopes },
      },
      now,
    );
  });
  return { token: `civ_${id}_${secret}`, record };
}

/** The actor behind an API token, or undefined when it is unknown, wrong, revoked or expired. */
export async function authenticateToken(
  deps: ServiceDeps,
  presented: string,
): Promise<Actor | undefined> {
  const match = /^civ_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  if (!match) return undefined;
  const [, id, secret] = match as unknown as [string, string, string];
  const token = await deps.store.credentials.getToken(id);
  if (!token) return undefined;
  const expected = Buffer.from(token.secretHash, 'hex');
  const got = Buffer.from(secretHash(secret), 'hex');
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return undefined;
  const now = deps.now();
  if (token.revokedAt !== null || token.expiresAt <= now) return undefined;
  const user = await deps.store.users.get(token.userId);
  if (!user || user.disabled) return undefined;
  if (!token.lastUsedAt || Date.parse(now) - Date.parse(token.lastUsedAt) > TOUCH_EVERY_MS) {
    await deps.store.credentials.touchToken(id, now);
  }
  return { kind: 'user', id: user.id, user, via: 'token', scopes: token.scopes };
}

/** Revokes a token; a user may revoke their own, an administrator anyone's. */
export async function revokeToken(deps: ServiceDeps, actor: Actor, tokenId: string): Promise<void> {
  const token = await deps.store.credentials.getToken(tokenId);
  const mayRevoke =
    token !== undefined &&
    (actor.kind === 'system' ||
      token.userId === actor.id ||
      (await deps.store.permissions.isAllowed(actor.user.role, 'user', 'update')));
  if (!token || !mayRevoke) throw new CivitasError('not_found', 'No such token.');
  await deps.store.transaction(async (tx) => {
    await tx.credentials.revokeToken(tokenId, deps.now());
    await tx.audit.append(
      {
        actor: actor.id,
        action: 'token.revoke',
        recordType: 'user',
        recordId: token.userId,
        detail: { tokenId },
      },
      deps.now(),
    );
  });
}
