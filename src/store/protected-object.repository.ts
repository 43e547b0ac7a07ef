import { sql, type Kysely, type Selectable } from 'kysely';
import { lonLat, lonLatDistanceMetres, type BBox } from '../geo/index.js';
import type { Viewer } from '../domain/access/viewer.js';
import type {
  ListKind,
  ObjectCategory,
  ProtectedGeometry,
  ProtectionBasis,
} from '../domain/protected-object/protected-object.js';
import type { ProtectedObject } from '../domain/protected-object/register.js';
import type { Classification, CrossCuttingTopic } from '../domain/taxonomy/index.js';
import { decodeReleasability, visibleTo } from './marking-sql.js';
import { objectRow, searchText } from './object-row.js';
import type { DialectSql, ObjectHit, ProtectedObjectRepository } from './ports.js';
import type { Database, ProtectedObjectTable } from './schema/database.js';

const CHUNK = 500;
const METRES_PER_DEGREE = 111_195;

/**
 * The box around a great-circle radius: wide enough in longitude at high latitudes (the whole
 * globe near the poles) and split at the antimeridian into two boxes.
 */
export function radiusBoxes(lon: number, lat: number, metres: number): BBox[] {
  const dLat = metres / METRES_PER_DEGREE;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const cos = Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180);
  const dLon =
    cos < 1e-9 || maxLat >= 90 || minLat <= -90
      ? 180
      : Math.min(180, metres / (METRES_PER_DEGREE * cos));
  if (dLon >= 180) return [[-180, minLat, 180, maxLat]];
  const west = lon - dLon;
  const east = lon + dLon;
  if (west < -180)
    return [
      [west + 360, minLat, 180, maxLat],
      [-180, minLat, east, maxLat],
    ];
  if (east > 180)
    return [
      [west, minLat, 180, maxLat],
      [-180, minLat, east - 360, maxLat],
    ];
  return [[west, minLat, east, maxLat]];
}

/**
 * The protected-objects register over either database. Spatial filters use the R*Tree or PostGIS
 * index for candidates and then decide exactly in code (bbox columns; haversine distance to the
 * object's centroid for `near`), so both databases give the same answers.
 *
 * @example
 * const page = await objects.search(viewer, { near: { lon: 9.52, lat: 47.14, metres: 5000 } }, { limit: 50, offset: 0 });
 */
export function createProtectedObjectRepository(
  db: Kysely<Database>,
  dialect: DialectSql,
): ProtectedObjectRepository {
  const toObject = (
    r: Selectable<ProtectedObjectTable> & { geom_json: string },
  ): ProtectedObject => ({
    id: r.id,
    source: r.source,
    sourceRef: r.source_ref,
    name: r.name,
    nameLatin: r.name_latin,
    category: r.category as ObjectCategory,
    protection: r.protection as ProtectionBasis,
    geometry: JSON.parse(r.geom_json) as ProtectedGeometry,
    bufferMetres: Number(r.buffer_m),
    mgrs: r.mgrs,
    centroid: [Number(r.lon), Number(r.lat)],
    topics: JSON.parse(r.topics) as CrossCuttingTopic[],
    list: r.list_kind as ListKind | null,
    restriction: r.restriction,
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    version: Number(r.version),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  });

  const row = (o: ProtectedObject) => ({
    ...objectRow(o),
    geom: dialect.geometryValue(o.geometry),
  });

  const boxWhere = (box: BBox) =>
    sql<boolean>`(${dialect.bboxCandidates('protected_object', box)} AND protected_object.min_lon <= ${box[2]} AND protected_object.max_lon >= ${box[0]} AND protected_object.min_lat <= ${box[3]} AND protected_object.max_lat >= ${box[1]})`;

  return {
    async findBySource(source, refs) {
      const out = new Map<string, { id: string; version: number }>();
      for (let i = 0; i < refs.length; i += CHUNK) {
        const rows = await db
          .selectFrom('protected_object')
          .select(['id', 'source_ref', 'version'])
          .where('source', '=', source)
          .where('source_ref', 'in', refs.slice(i, i + CHUNK))
          .execute();
        for (const r of rows) out.set(r.source_ref, { id: r.id, version: Number(r.version) });
      }
      return out;
    },

    async hasSource(source) {
      const r = await db
        .selectFrom('protected_object')
        .select('id')
        .where('source', '=', source)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    async bulkWrite(work) {
      const rows = dialect.objectRows(db);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work({
          insert: (objects) => rows.insert(objects.map(objectRow)),
          update: (objects) => rows.update(objects.map(objectRow)),
          insertRows: (batch) => rows.insertRows(batch),
          updateRows: (batchRows) => rows.update(batchRows),
        });
      } catch (error) {
        // Index what was written even so, and report the database's own error when a batch in
        // flight failed first (later statements then only say the transaction is aborted).
        await rows.finish();
        throw error;
      }
      await rows.finish();
      return result;
    },

    async insertMany(objects) {
      for (let i = 0; i < objects.length; i += CHUNK) {
        await db
          .insertInto('protected_object')
          .values(objects.slice(i, i + CHUNK).map(row))
          .execute();
      }
    },

    async update(o) {
      const { id: _id, created_at: _c, created_by: _b, ...changes } = row(o);
      await db.updateTable('protected_object').set(changes).where('id', '=', o.id).execute();
    },

    async delete(id) {
      const r = await db.deleteFrom('protected_object').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async get(id, viewer) {
      const r = await db
        .selectFrom('protected_object')
        .selectAll()
        .select(dialect.geometryJson('protected_object').as('geom_json'))
        .where('id', '=', id)
        .where(visibleTo('protected_object', viewer, { compartment: false }))
        .executeTakeFirst();
      return r ? toObject(r) : undefined;
    },

    async search(viewer: Viewer, filter, page) {
      let query = db
        .selectFrom('protected_object')
        .where(visibleTo('protected_object', viewer, { compartment: false }));
      if (filter.category) query = query.where('category', '=', filter.category);
      if (filter.list === 'none') query = query.where('list_kind', 'is', null);
      else if (filter.list) query = query.where('list_kind', '=', filter.list);
      const words = filter.q ? searchText(filter.q).split(' ').filter(Boolean) : [];
      if (words.length > 0) query = query.where(dialect.nameWordsMatch(words));
      if (filter.bbox) query = query.where(boxWhere(filter.bbox));
      const near = filter.near;
      if (!near) {
        const [rows, total] = await Promise.all([
          query
            .selectAll()
            .select(dialect.geometryJson('protected_object').as('geom_json'))
            .orderBy('name')
            .orderBy('id')
            .limit(page.limit)
            .offset(page.offset)
            .execute(),
          query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
        ]);
        return { items: rows.map(toObject), total: Number(total.n) };
      }
      // Near: the index gives the objects whose centroid lies in the radius's box(es); the exact
      // great-circle distance to the centroid decides; nearest first.
      const boxes = radiusBoxes(near.lon, near.lat, near.metres);
      const candidates = await query
        .where((eb) =>
          eb.or(
            boxes.map(
              (b) =>
                sql<boolean>`(${dialect.bboxCandidates('protected_object', b)} AND protected_object.lon BETWEEN ${b[0]} AND ${b[2]} AND protected_object.lat BETWEEN ${b[1]} AND ${b[3]})`,
            ),
          ),
        )
        .select(['id', 'lon', 'lat'])
        .execute();
      const centre = lonLat(near.lon, near.lat);
      const hits = candidates
        .map((c) => ({
          id: c.id,
          d: lonLatDistanceMetres(centre, lonLat(Number(c.lon), Number(c.lat))),
        }))
        .filter((c) => c.d <= near.metres)
        .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const pageIds = hits.slice(page.offset, page.offset + page.limit);
      const rows =
        pageIds.length === 0
          ? []
          : await db
              .selectFrom('protected_object')
              .selectAll()
              .select(dialect.geometryJson('protected_object').as('geom_json'))
              .where(
                'id',
                'in',
                pageIds.map((h) => h.id),
              )
              .execute();
      const byId = new Map(rows.map((r) => [r.id, toObject(r)]));
      const items: ObjectHit[] = pageIds.map((h) => ({ ...byId.get(h.id)!, distanceMetres: h.d }));
      return { items, total: hits.length };
    },

    async onLists() {
      const rows = await db
        .selectFrom('protected_object')
        .selectAll()
        .select(dialect.geometryJson('protected_object').as('geom_json'))
        .where('list_kind', 'is not', null)
        .orderBy('id')
        .execute();
      return rows.map(toObject);
    },

    async *scanForScreening(batchSize) {
      let after = '';
      for (;;) {
        const rows = await db
          .selectFrom('protected_object')
          .select([
            'id',
            'lon',
            'lat',
            'buffer_m',
            'name',
            'category',
            'list_kind',
            'restriction',
            'protection',
            'classification',
            'releasability',
            'min_lon',
            'min_lat',
            'max_lon',
            'max_lat',
          ])
          .where('id', '>', after)
          .orderBy('id')
          .limit(batchSize)
          .execute();
        if (rows.length === 0) return;
        // Lines and areas (a box that is not a point) come with their geometry.
        const extended = rows
          .filter((r) => r.min_lon !== r.max_lon || r.min_lat !== r.max_lat)
          .map((r) => r.id);
        const geometries = new Map<string, ProtectedGeometry>();
        for (let i = 0; i < extended.length; i += CHUNK) {
          const shapes = await db
            .selectFrom('protected_object')
            .select(['id', dialect.geometryJson('protected_object').as('geom_json')])
            .where('id', 'in', extended.slice(i, i + CHUNK))
            .execute();
          for (const g of shapes)
            geometries.set(g.id, JSON.parse(g.geom_json) as ProtectedGeometry);
        }
        yield rows.map((r) => ({
          id: r.id,
          ...(geometries.has(r.id) ? { geometry: geometries.get(r.id)! } : {}),
          lon: Number(r.lon),
          lat: Number(r.lat),
          bufferMetres: Number(r.buffer_m),
          name: r.name,
          category: r.category as ObjectCategory,
          list: r.list_kind as ListKind | null,
          restriction: r.restriction,
          protection: r.protection as ProtectionBasis,
          marking: {
            classification: r.classification as Classification,
            releasability: decodeReleasability(r.releasability),
          },
        }));
        after = rows[rows.length - 1]!.id;
        if (rows.length < batchSize) return;
      }
    },

    async maxBuffer() {
      const r = await db
        .selectFrom('protected_object')
        .select((eb) => eb.fn.max<number | string | null>('buffer_m').as('m'))
        .executeTakeFirst();
      return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
    },

    async count() {
      const r = await db
        .selectFrom('protected_object')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
