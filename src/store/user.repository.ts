import type { Kysely, Selectable } from 'kysely';
import type { Compartment, Role } from '../domain/access/role.js';
import type { User, UserCredentials } from '../domain/access/user.js';
import type { Classification, Releasability } from '../domain/taxonomy/index.js';
import { fieldAad, type FieldCipher } from './crypto/field-cipher.js';
import type { UserRepository } from './ports.js';
import type { Database, UserAccountTable } from './schema/database.js';

/**
 * User accounts. Full names and contact details are encrypted with the field cipher before they
 * are written, and decrypted on read; the database never holds them in plaintext.
 *
 * @example
 * const users = createUserRepository(db, cipher);
 * const user = await users.getByUsername('adviser');
 */
export function createUserRepository(db: Kysely<Database>, cipher: FieldCipher): UserRepository {
  const aad = (id: string, field: 'full_name' | 'contact') => fieldAad('user_account', field, id);

  const grantsOf = async (ids: string[]): Promise<Map<string, Compartment[]>> => {
    const out = new Map<string, Compartment[]>();
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('compartment_grant')
      .select(['user_id', 'compartment'])
      .where('user_id', 'in', ids)
      .orderBy('compartment')
      .execute();
    for (const r of rows)
      out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.compartment as Compartment]);
    return out;
  };

  const toUser = (r: Selectable<UserAccountTable>, compartments: Compartment[]): User => ({
    id: r.id,
    username: r.username,
    role: r.role as Role,
    clearance: r.clearance as Classification,
    organisations: JSON.parse(r.organisations) as Releasability[],
    fullName: cipher.decrypt(r.full_name_enc, aad(r.id, 'full_name')),
    contact: cipher.decrypt(r.contact_enc, aad(r.id, 'contact')),
    disabled: Boolean(r.disabled),
    demo: Boolean(r.demo),
    compartments,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

  const one = async (row: Selectable<UserAccountTable> | undefined): Promise<User | undefined> => {
    if (!row) return undefined;
    return toUser(row, (await grantsOf([row.id])).get(row.id) ?? []);
  };

  return {
    async insert(u) {
      await db
        .insertInto('user_account')
        .values({
          id: u.id,
          username: u.username,
          role: u.role,
          clearance: u.clearance,
          organisations: JSON.stringify(u.organisations),
          full_name_enc: cipher.encrypt(u.fullName, aad(u.id, 'full_name')),
          contact_enc: cipher.encrypt(u.contact, aad(u.id, 'contact')),
          password_hash: u.passwordHash,
          disabled: 0,
          demo: u.demo ? 1 : 0,
          created_at: u.at,
          updated_at: u.at,
        })
        .execute();
    },

    async get(id) {
      return one(
        await db.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst(),
      );
    },

    async getByUsername(username) {
      return one(
        await db
          .selectFrom('user_account')
          .selectAll()
          .where('username', '=', username)
          .executeTakeFirst(),
      );
    },

    async credentials(username): Promise<UserCredentials | undefined> {
      const row = await db
        .selectFrom('user_account')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      const user = await one(row);
      if (!row || !user) return undefined;
      return {
        user,
        passwordHash: row.password_hash,
        failedLogins: row.failed_logins,
        lockedUntil: row.locked_until,
      };
    },

    async list(page) {
      const [rows, total] = await Promise.all([
        db
          .selectFrom('user_account')
          .selectAll()
          .orderBy('username')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        this.count(),
      ]);
      const grants = await grantsOf(rows.map((r) => r.id));
      return { items: rows.map((r) => toUser(r, grants.get(r.id) ?? [])), total };
    },

    async count() {
      const row = await db
        .selectFrom('user_account')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async update(id, c, at) {
      await db
        .updateTable('user_account')
        .set({
          ...(c.role !== undefined ? { role: c.role } : {}),
          ...(c.clearance !== undefined ? { clearance: c.clearance } : {}),
          ...(c.organisations !== undefined
            ? { organisations: JSON.stringify(c.organisations) }
            : {}),
          ...(c.fullName !== undefined
            ? { full_name_enc: cipher.encrypt(c.fullName, aad(id, 'full_name')) }
            : {}),
          ...(c.contact !== undefined
            ? { contact_enc: cipher.encrypt(c.contact, aad(id, 'contact')) }
            : {}),
          ...(c.passwordHash !== undefined ? { password_hash: c.passwordHash } : {}),
          ...(c.disabled !== undefined ? { disabled: c.disabled ? 1 : 0 } : {}),
          ...(c.failedLogins !== undefined ? { failed_logins: c.failedLogins } : {}),
          ...(c.lockedUntil !== undefined ? { locked_until: c.lockedUntil } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },

    async incrementFailedLogins(id) {
      const row = await db
        .updateTable('user_account')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', id)
        .returning('failed_logins')
        .executeTakeFirst();
      return row?.failed_logins ?? 0;
    },

    async grant(userId, compartment, by, at) {
      const exists = await db
        .selectFrom('compartment_grant')
        .select('user_id')
        .where('user_id', '=', userId)
        .where('compartment', '=', compartment)
        .executeTakeFirst();
      if (!exists) {
        await db
          .insertInto('compartment_grant')
          .values({ user_id: userId, compartment, granted_at: at, granted_by: by })
          .execute();
      }
    },

    async revoke(userId, compartment) {
      const r = await db
        .deleteFrom('compartment_grant')
        .where('user_id', '=', userId)
        .where('compartment', '=', compartment)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async reencrypt(next) {
      const rows = await db
        .selectFrom('user_account')
        .select(['id', 'full_name_enc', 'contact_enc'])
        .execute();
      for (const r of rows) {
        await db
          .updateTable('user_account')
          .set({
            full_name_enc: next.encrypt(
              cipher.decrypt(r.full_name_enc, aad(r.id, 'full_name')),
              aad(r.id, 'full_name'),
            ),
            contact_enc: next.encrypt(
              cipher.decrypt(r.contact_enc, aad(r.id, 'contact')),
              aad(r.id, 'contact'),
            ),
          })
          .where('id', '=', r.id)
          .execute();
      }
      return rows.length * 2;
    },
  };
}
