import type { Kysely } from 'kysely';
import type { TokenScope } from '../domain/access/user.js';
import type { CredentialRepository } from './ports.js';
import type { Database } from './schema/database.js';

/**
 * Sessions and API tokens, stored only as hashes of their secrets, so a copy of the database
 * cannot be used to sign in.
 *
 * @example
 * await createCredentialRepository(db).createSession({ idHash, userId, createdAt, lastSeenAt, expiresAt });
 */
export function createCredentialRepository(db: Kysely<Database>): CredentialRepository {
  return {
    async createSession(row) {
      await db
        .insertInto('session')
        .values({
          id_hash: row.idHash,
          user_id: row.userId,
          created_at: row.createdAt,
          last_seen_at: row.lastSeenAt,
          expires_at: row.expiresAt,
        })
        .execute();
    },
    async getSession(idHash) {
      const r = await db
        .selectFrom('session')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return r
        ? {
            idHash: r.id_hash,
            userId: r.user_id,
            createdAt: r.created_at,
            lastSeenAt: r.last_seen_at,
            expiresAt: r.expires_at,
          }
        : undefined;
    },
    async touchSession(idHash, at) {
      await db
        .updateTable('session')
        .set({ last_seen_at: at })
        .where('id_hash', '=', idHash)
        .execute();
    },
    async deleteSession(idHash) {
      await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
    },
    async deleteSessionsOf(userId, exceptIdHash) {
      let query = db.deleteFrom('session').where('user_id', '=', userId);
      if (exceptIdHash) query = query.where('id_hash', '!=', exceptIdHash);
      const r = await query.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async createToken(t) {
      await db
        .insertInto('api_token')
        .values({
          id: t.id,
          user_id: t.userId,
          name: t.name,
          secret_hash: t.secretHash,
          scopes: JSON.stringify(t.scopes),
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          revoked_at: t.revokedAt,
          last_used_at: t.lastUsedAt,
        })
        .execute();
    },
    async getToken(id) {
      const r = await db
        .selectFrom('api_token')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r
        ? {
            id: r.id,
            userId: r.user_id,
            name: r.name,
            secretHash: r.secret_hash,
            scopes: JSON.parse(r.scopes) as TokenScope[],
            createdAt: r.created_at,
            expiresAt: r.expires_at,
            revokedAt: r.revoked_at,
            lastUsedAt: r.last_used_at,
          }
        : undefined;
    },
    async listTokens(userId) {
      const rows = await db
        .selectFrom('api_token')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        name: r.name,
        scopes: JSON.parse(r.scopes) as TokenScope[],
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        revokedAt: r.revoked_at,
        lastUsedAt: r.last_used_at,
      }));
    },
    async revokeToken(id, at) {
      const r = await db
        .updateTable('api_token')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touchToken(id, at) {
      await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
