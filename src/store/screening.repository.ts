import type { Kysely, Selectable } from 'kysely';
import type { Viewer } from '../domain/access/viewer.js';
import type {
  EffectClass,
  ScreenedAimpoint,
  Screening,
  ScreeningHeader,
} from '../domain/screening/screening.js';
import type { Classification } from '../domain/taxonomy/index.js';
import { fieldAad, type FieldCipher } from './crypto/field-cipher.js';
import { decodeReleasability, encodeReleasability, visibleTo } from './marking-sql.js';
import type { EffectClassRepository, ScreeningRepository } from './ports.js';
import type { Database, EffectClassTable, ScreeningTable } from './schema/database.js';

const aad = (id: string) => fieldAad('screening', 'result', id);

function toHeader(r: Selectable<ScreeningTable>): ScreeningHeader {
  return {
    id: r.id,
    title: r.title,
    planReference: r.plan_reference,
    release:
      r.release_id === null
        ? null
        : {
            id: r.release_id,
            number: Number(r.release_number),
            status: r.release_status ?? 'released',
          },
    createdAt: r.created_at,
    createdBy: r.created_by,
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    populationThreshold: Number(r.population_threshold),
    aimpointCount: Number(r.aimpoint_count),
    flaggedCount: Number(r.flagged_count),
    hitsMarking: {
      classification: r.hits_classification as Classification,
      releasability: decodeReleasability(r.hits_releasability),
    },
    resultDigest: r.result_digest,
  };
}

/**
 * Saved screenings. The result (aimpoints and every hit) is stored as the canonical JSON the
 * digest was taken of, encrypted with the field cipher; lists read only the header columns and
 * filter by the record's marking inside the query.
 *
 * @example
 * await store.screenings.insert(screening, canonicalResultJson);
 */
export function createScreeningRepository(
  db: Kysely<Database>,
  cipher: FieldCipher,
): ScreeningRepository {
  return {
    async insert(s, resultJson) {
      await db
        .insertInto('screening')
        .values({
          id: s.id,
          title: s.title,
          plan_reference: s.planReference,
          release_id: s.release?.id ?? null,
          release_number: s.release?.number ?? null,
          release_status: s.release?.status ?? null,
          created_at: s.createdAt,
          created_by: s.createdBy,
          classification: s.marking.classification,
          releasability: encodeReleasability(s.marking.releasability),
          population_threshold: s.populationThreshold,
          aimpoint_count: s.aimpointCount,
          flagged_count: s.flaggedCount,
          hits_classification: s.hitsMarking.classification,
          hits_releasability: encodeReleasability(s.hitsMarking.releasability),
          result_digest: s.resultDigest,
          result_enc: cipher.encrypt(resultJson, aad(s.id)),
        })
        .execute();
    },

    async get(id, viewer: Viewer) {
      const r = await db
        .selectFrom('screening')
        .selectAll()
        .where('id', '=', id)
        .where(visibleTo('screening', viewer, { compartment: false }))
        .executeTakeFirst();
      if (!r) return undefined;
      const result = JSON.parse(cipher.decrypt(r.result_enc, aad(r.id))) as {
        aimpoints: ScreenedAimpoint[];
      };
      const screening: Screening = { ...toHeader(r), aimpoints: result.aimpoints };
      return screening;
    },

    async list(viewer, page) {
      const query = db
        .selectFrom('screening')
        .where(visibleTo('screening', viewer, { compartment: false }));
      const [rows, total] = await Promise.all([
        query
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toHeader), total: Number(total.n) };
    },

    async reencrypt(next) {
      const rows = await db.selectFrom('screening').select(['id', 'result_enc']).execute();
      for (const r of rows) {
        await db
          .updateTable('screening')
          .set({ result_enc: next.encrypt(cipher.decrypt(r.result_enc, aad(r.id)), aad(r.id)) })
          .where('id', '=', r.id)
          .execute();
      }
      return rows.length;
    },
  };
}

function toEffectClass(r: Selectable<EffectClassTable>): EffectClass {
  return {
    code: r.code,
    label: r.label,
    radiusMetres: Number(r.radius_m),
    description: r.description,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/**
 * The deployment's effect classes.
 *
 * @example
 * await store.effectClasses.put({ code: 'MEDIUM', label: 'Medium', radiusMetres: 100, description: null, updatedAt, updatedBy });
 */
export function createEffectClassRepository(db: Kysely<Database>): EffectClassRepository {
  return {
    async list() {
      const rows = await db
        .selectFrom('effect_class')
        .selectAll()
        .orderBy('radius_m')
        .orderBy('code')
        .execute();
      return rows.map(toEffectClass);
    },
    async get(code) {
      const r = await db
        .selectFrom('effect_class')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirst();
      return r ? toEffectClass(r) : undefined;
    },
    async put(e) {
      const values = {
        label: e.label,
        radius_m: e.radiusMetres,
        description: e.description,
        updated_at: e.updatedAt,
        updated_by: e.updatedBy,
      };
      await db
        .insertInto('effect_class')
        .values({ code: e.code, ...values })
        .onConflict((oc) => oc.column('code').doUpdateSet(values))
        .execute();
    },
    async delete(code) {
      const r = await db.deleteFrom('effect_class').where('code', '=', code).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
