import { auditHash, GENESIS_HASH } from '../domain/audit/audit-chain.js';
import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditRepository, DialectSql } from './ports.js';
import type { AuditEventTable, Database } from './schema/database.js';

function toEvent(r: Selectable<AuditEventTable>): AuditEvent {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    beforeDigest: r.before_digest,
    afterDigest: r.after_digest,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The audit trail: append (chained) and read, never update or delete (triggers refuse both).
 *
 * @example
 * await createAuditRepository(db, dialect).append({ actor: 'cli:ops', action: 'demo.load', recordType: 'area', recordId: id }, now);
 */
export function createAuditRepository(db: Kysely<Database>, dialect: DialectSql): AuditRepository {
  const appendIn = async (
    tx: Kysely<Database>,
    input: AuditEventInput,
    at: string,
  ): Promise<AuditEvent> => {
    await dialect.lockAuditChain(tx);
    const last = await tx
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const unhashed = {
      seq: last ? Number(last.seq) + 1 : 1,
      at,
      actor: input.actor,
      action: input.action,
      recordType: input.recordType,
      recordId: input.recordId,
      detail: input.detail ?? {},
      beforeDigest: input.beforeDigest ?? null,
      afterDigest: input.afterDigest ?? null,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const event: AuditEvent = { ...unhashed, prevHash, hash: auditHash(prevHash, unhashed) };
    await tx
      .insertInto('audit_event')
      .values({
        seq: event.seq,
        at: event.at,
        actor: event.actor,
        action: event.action,
        record_type: event.recordType,
        record_id: event.recordId,
        detail: JSON.stringify(event.detail),
        before_digest: event.beforeDigest,
        after_digest: event.afterDigest,
        prev_hash: event.prevHash,
        hash: event.hash,
      })
      .execute();
    return event;
  };

  return {
    append(input, at) {
      if (db.isTransaction) return appendIn(db, input, at);
      return db.transaction().execute((tx) => appendIn(tx, input, at));
    },

    async listForRecord(recordType, recordId) {
      const rows = await db
        .selectFrom('audit_event')
        .selectAll()
        .where('record_type', '=', recordType)
        .where('record_id', '=', recordId)
        .orderBy('seq')
        .execute();
      return rows.map(toEvent);
    },

    async list(filter, page) {
      let query = db.selectFrom('audit_event');
      if (filter.actor) query = query.where('actor', '=', filter.actor);
      if (filter.action) query = query.where('action', '=', filter.action);
      if (filter.recordType) query = query.where('record_type', '=', filter.recordType);
      if (filter.recordId) query = query.where('record_id', '=', filter.recordId);
      if (filter.from) query = query.where('at', '>=', filter.from);
      if (filter.to) query = query.where('at', '<=', filter.to);
      const [rows, total] = await Promise.all([
        query.selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
        query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toEvent), total: Number(total.n) };
    },

    async *scan(batchSize) {
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('audit_event')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(batchSize)
          .execute();
        if (rows.length === 0) return;
        const events = rows.map(toEvent);
        yield events;
        after = events[events.length - 1]!.seq;
      }
    },
  };
}
