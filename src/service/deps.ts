import { randomUUID } from 'node:crypto';
import { timeOrderedIds } from './time-ordered-id.js';
import type { Store } from '../store/ports.js';

/** Security settings the use cases apply, from the configuration. */
export interface SecurityPolicy {
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
}

/** The defaults documented in README.md. */
export const DEFAULT_POLICY: SecurityPolicy = {
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
};

/**
 * What every use case needs, passed in so tests can fix the clock and ids.
 *
 * @example
 * const deps = defaultDeps(store);
 * await createArea(deps, actor, input);
 */
export interface ServiceDeps {
  readonly store: Store;
  /** Current time as an ISO 8601 UTC string. */
  readonly now: () => string;
  readonly newId: () => string;
  /**
   * Ids that sort in the order they are made (UUIDv7), for rows written by the million: imports
   * use them for new objects so the primary-key index is appended to. `newId` when absent.
   */
  readonly newTimeOrderedId?: () => string;
  readonly policy: SecurityPolicy;
  /** A population GeoTIFF (CIVITAS_POPULATION_RASTER) that screenings estimate exposure on. */
  readonly populationRaster?: string;
}

/** Deps with the system clock, random UUIDs and UUIDv7 for imports. */
export function defaultDeps(store: Store, policy: SecurityPolicy = DEFAULT_POLICY): ServiceDeps {
  return {
    store,
    now: () => new Date().toISOString(),
    newId: randomUUID,
    newTimeOrderedId: timeOrderedIds(),
    policy,
  };
}

export type { Actor } from '../domain/access/user.js';

/** The actor for start-up jobs and the CLI on the server. */
export function systemActor(name: string): { kind: 'system'; id: string } {
  return { kind: 'system', id: name };
}
