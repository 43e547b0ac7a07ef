import type { Kysely } from 'kysely';
import type { Action, RecordType } from '../domain/access/permission.js';
import type { Role } from '../domain/access/role.js';
import type { PermissionRepository } from './ports.js';
import type { Database } from './schema/database.js';

/**
 * Permissions as data. Read on every check (one indexed lookup) so a change applies on the next
 * request in every instance.
 */
export function createPermissionRepository(db: Kysely<Database>): PermissionRepository {
  return {
    async isAllowed(role, recordType, action) {
      const row = await db
        .selectFrom('role_permission')
        .select('role')
        .where('role', '=', role)
        .where('record_type', '=', recordType)
        .where('action', '=', action)
        .executeTakeFirst();
      return row !== undefined;
    },
    async list() {
      const rows = await db
        .selectFrom('role_permission')
        .selectAll()
        .orderBy('role')
        .orderBy('record_type')
        .orderBy('action')
        .execute();
      return rows.map((r) => ({
        role: r.role as Role,
        recordType: r.record_type as RecordType,
        action: r.action as Action,
      }));
    },
  };
}
