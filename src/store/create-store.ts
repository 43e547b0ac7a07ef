import type { Kysely } from 'kysely';
import { createAreaRepository } from './area.repository.js';
import { createAuditRepository } from './audit.repository.js';
import { createCredentialRepository } from './credential.repository.js';
import type { FieldCipher } from './crypto/field-cipher.js';
import { createFactorRepository } from './factor.repository.js';
import { createHarmRepository } from './harm.repository.js';
import { createPermissionRepository } from './permission.repository.js';
import { createProtectedObjectRepository } from './protected-object.repository.js';
import { createReleaseRepository } from './release.repository.js';
import { createEffectClassRepository, createScreeningRepository } from './screening.repository.js';
import type { DialectSql, Store, StoreKind } from './ports.js';
import type { Database } from './schema/database.js';
import { createUserRepository } from './user.repository.js';

/** What an adapter contributes beyond its Kysely instance. */
export interface StoreLifecycle {
  ping(): Promise<void>;
  close(): Promise<void>;
  backup(file: string): Promise<void>;
}

/**
 * Assembles a Store from a Kysely instance, its dialect's SQL and the field cipher. Used by both
 * adapters, and again inside each transaction so repositories write through the transaction.
 */
export function createStore(
  kind: StoreKind,
  db: Kysely<Database>,
  dialect: DialectSql,
  cipher: FieldCipher,
  lifecycle: StoreLifecycle,
): Store {
  return {
    kind,
    db,
    cipher,
    areas: createAreaRepository(db, dialect),
    audit: createAuditRepository(db, dialect),
    users: createUserRepository(db, cipher),
    credentials: createCredentialRepository(db),
    permissions: createPermissionRepository(db),
    factors: createFactorRepository(db, cipher),
    objects: createProtectedObjectRepository(db, dialect),
    releases: createReleaseRepository(db),
    screenings: createScreeningRepository(db, cipher),
    effectClasses: createEffectClassRepository(db),
    harm: createHarmRepository(db, cipher),
    transaction(work) {
      if (db.isTransaction) return work(this);
      return db
        .transaction()
        .execute((trx) => work(createStore(kind, trx, dialect, cipher, lifecycle)));
    },
    ping: lifecycle.ping,
    close: lifecycle.close,
    backup: lifecycle.backup,
  };
}
