import type { Kysely, Selectable } from 'kysely';
import type { Release, ReleaseItem, ReleaseStatus } from '../domain/protected-object/register.js';
import type { Classification } from '../domain/taxonomy/index.js';
import { decodeReleasability, encodeReleasability } from './marking-sql.js';
import type { ReleaseRepository } from './ports.js';
import type { Database, ListReleaseTable } from './schema/database.js';

function toRelease(r: Selectable<ListReleaseTable>): Release {
  return {
    id: r.id,
    number: r.number === null ? null : Number(r.number),
    status: r.status as ReleaseStatus,
    title: r.title,
    author: r.author,
    approver: r.approver,
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    objectCount: Number(r.object_count),
    createdAt: r.created_at,
    submittedAt: r.submitted_at,
    releasedAt: r.released_at,
  };
}

/**
 * NSL/RTL releases. Items are stored as JSON snapshots, written once with the draft and never
 * changed: a release is immutable, whatever happens to the register afterwards.
 */
export function createReleaseRepository(db: Kysely<Database>): ReleaseRepository {
  return {
    async insert(release, items) {
      await db
        .insertInto('list_release')
        .values({
          id: release.id,
          number: release.number,
          status: release.status,
          title: release.title,
          author: release.author,
          approver: release.approver,
          classification: release.marking.classification,
          releasability: encodeReleasability(release.marking.releasability),
          object_count: release.objectCount,
          created_at: release.createdAt,
          submitted_at: release.submittedAt,
          released_at: release.releasedAt,
        })
        .execute();
      for (let i = 0; i < items.length; i += 500) {
        await db
          .insertInto('list_release_item')
          .values(
            items.slice(i, i + 500).map((item) => ({
              release_id: release.id,
              object_id: item.objectId,
              item: JSON.stringify(item),
            })),
          )
          .execute();
      }
    },
    async get(id) {
      const r = await db
        .selectFrom('list_release')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toRelease(r) : undefined;
    },
    async getByNumber(number) {
      const r = await db
        .selectFrom('list_release')
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirst();
      return r ? toRelease(r) : undefined;
    },
    async list(page) {
      const [rows, total] = await Promise.all([
        db
          .selectFrom('list_release')
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        db
          .selectFrom('list_release')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRelease), total: Number(total.n) };
    },
    async items(releaseId) {
      const rows = await db
        .selectFrom('list_release_item')
        .select('item')
        .where('release_id', '=', releaseId)
        .orderBy('object_id')
        .execute();
      return rows.map((r) => JSON.parse(r.item) as ReleaseItem);
    },
    async setStatus(id, status, c) {
      await db
        .updateTable('list_release')
        .set({
          status,
          ...(c.number !== undefined ? { number: c.number } : {}),
          ...(c.approver !== undefined ? { approver: c.approver } : {}),
          ...(c.submittedAt !== undefined ? { submitted_at: c.submittedAt } : {}),
          ...(c.releasedAt !== undefined ? { released_at: c.releasedAt } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    async latestReleased() {
      const r = await db
        .selectFrom('list_release')
        .selectAll()
        .where('status', '=', 'released')
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toRelease(r) : undefined;
    },
    async nextNumber() {
      const r = await db
        .selectFrom('list_release')
        .select((eb) => eb.fn.max('number').as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0) + 1;
    },
  };
}
