import type { Kysely, Selectable } from 'kysely';
import type { Compartment } from '../domain/access/role.js';
import type { Viewer } from '../domain/access/viewer.js';
import type { Factor } from '../domain/factor/factor.js';
import type {
  AscopeCategory,
  Classification,
  CrossCuttingTopic,
  PmesiiDomain,
} from '../domain/taxonomy/index.js';
import { fieldAad, type FieldCipher } from './crypto/field-cipher.js';
import { decodeReleasability, encodeReleasability, visibleTo } from './marking-sql.js';
import type { FactorRepository } from './ports.js';
import type { Database, FactorTable } from './schema/database.js';

/**
 * Human security factors. Every read filters by the viewer's clearance, releasability and
 * compartments inside the query; `details` is encrypted at rest.
 *
 * @example
 * const page = await factors.list(areaId, viewer, { pmesii: 'SOCIAL' }, { limit: 50, offset: 0 });
 */
export function createFactorRepository(
  db: Kysely<Database>,
  cipher: FieldCipher,
): FactorRepository {
  const aad = (id: string) => fieldAad('factor', 'details', id);

  const toFactor = (r: Selectable<FactorTable>): Factor => ({
    id: r.id,
    areaId: r.area_id,
    regionId: r.region_id,
    pmesii: r.pmesii as PmesiiDomain,
    ascope: r.ascope as AscopeCategory,
    topics: JSON.parse(r.topics) as CrossCuttingTopic[],
    title: r.title,
    summary: r.summary,
    details: cipher.decrypt(r.details_enc, aad(r.id)),
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    compartment: r.compartment as Compartment | null,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  });

  const row = (f: Factor) => ({
    id: f.id,
    area_id: f.areaId,
    region_id: f.regionId,
    pmesii: f.pmesii,
    ascope: f.ascope,
    topics: JSON.stringify(f.topics),
    title: f.title,
    summary: f.summary,
    details_enc: cipher.encrypt(f.details, aad(f.id)),
    classification: f.marking.classification,
    releasability: encodeReleasability(f.marking.releasability),
    compartment: f.compartment,
    created_at: f.createdAt,
    created_by: f.createdBy,
    updated_at: f.updatedAt,
    updated_by: f.updatedBy,
  });

  const visible = (viewer: Viewer) => visibleTo('factor', viewer, { compartment: true });

  return {
    async insert(f) {
      await db.insertInto('factor').values(row(f)).execute();
    },

    async get(id, viewer) {
      const r = await db
        .selectFrom('factor')
        .selectAll()
        .where('id', '=', id)
        .where(visible(viewer))
        .executeTakeFirst();
      return r ? toFactor(r) : undefined;
    },

    async list(areaId, viewer, filter, page) {
      let query = db.selectFrom('factor').where('area_id', '=', areaId).where(visible(viewer));
      if (filter.pmesii) query = query.where('pmesii', '=', filter.pmesii);
      if (filter.ascope) query = query.where('ascope', '=', filter.ascope);
      if (filter.regionId) query = query.where('region_id', '=', filter.regionId);
      if (filter.topic) query = query.where('topics', 'like', `%"${filter.topic}"%`);
      const [rows, total] = await Promise.all([
        query
          .selectAll()
          .orderBy('updated_at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toFactor), total: Number(total.n) };
    },

    async matrix(areaId, viewer) {
      const rows = await db
        .selectFrom('factor')
        .select(['pmesii', 'ascope'])
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('area_id', '=', areaId)
        .where(visible(viewer))
        .groupBy(['pmesii', 'ascope'])
        .orderBy('pmesii')
        .orderBy('ascope')
        .execute();
      return rows.map((r) => ({
        pmesii: r.pmesii as PmesiiDomain,
        ascope: r.ascope as AscopeCategory,
        count: Number(r.n),
      }));
    },

    async compartmentedCounts(areaId, viewer) {
      let query = db
        .selectFrom('factor')
        .select('compartment')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('area_id', '=', areaId)
        .where('compartment', 'is not', null)
        // Only what the viewer's clearance and releasability would otherwise allow is counted:
        // the compartment is the only reason these are hidden.
        .where(
          visibleTo(
            'factor',
            { ...viewer, compartments: ['CRSV', 'CHILD-IDENTITY'] },
            { compartment: true },
          ),
        );
      if (viewer.compartments.length > 0)
        query = query.where('compartment', 'not in', [...viewer.compartments]);
      const rows = await query.groupBy('compartment').orderBy('compartment').execute();
      return rows.map((r) => ({ compartment: r.compartment as Compartment, count: Number(r.n) }));
    },

    async update(f) {
      const { id: _id, created_at: _c, created_by: _b, ...changes } = row(f);
      await db.updateTable('factor').set(changes).where('id', '=', f.id).execute();
    },

    async delete(id) {
      const r = await db.deleteFrom('factor').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async reencrypt(next) {
      const rows = await db.selectFrom('factor').select(['id', 'details_enc']).execute();
      for (const r of rows) {
        await db
          .updateTable('factor')
          .set({ details_enc: next.encrypt(cipher.decrypt(r.details_enc, aad(r.id)), aad(r.id)) })
          .where('id', '=', r.id)
          .execute();
      }
      return rows.length;
    },
  };
}
