import type { Classification, Releasability } from '../taxonomy/index.js';
import type { Compartment, Role } from './role.js';

/**
 * A Civitas user account. `fullName` and `contact` are sensitive: encrypted at rest and shown only
 * to administrators and the user.
 */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly clearance: Classification;
  readonly organisations: readonly Releasability[];
  readonly fullName: string;
  readonly contact: string;
  readonly disabled: boolean;
  readonly demo: boolean;
  readonly compartments: readonly Compartment[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the sign-in check needs besides the user. */
export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string;
  readonly failedLogins: number;
  readonly lockedUntil: string | null;
}

/** Scopes an API token may carry: `read` (read and export only) or `write` (everything the role allows). */
export type TokenScope = 'read' | 'write';

/** A stored API token (its secret only as a hash). */
export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/**
 * Who is acting on a request or command. `kind: 'user'` comes from a session or API token;
 * `kind: 'system'` is the CLI on the server or a start-up job, which acts with full access
 * (whoever runs it has the database and key files already) and is audited under its own name.
 */
export type Actor =
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly user: User;
      readonly via: 'session' | 'token' | 'cli';
      readonly scopes: readonly TokenScope[];
    }
  | { readonly kind: 'system'; readonly id: string };
