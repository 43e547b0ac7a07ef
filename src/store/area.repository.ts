import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { BBox } from '../geo/index.js';
import { bboxOfGeometry } from '../geo/index.js';
import type { Area, AreaCounts, PlaceKind, Region } from '../domain/area/area.js';
import type { Classification } from '../domain/taxonomy/index.js';
import type { Viewer } from '../domain/access/viewer.js';
import { decodeReleasability, encodeReleasability, visibleTo } from './marking-sql.js';
import type { AreaRepository, Page, PageRequest, DialectSql } from './ports.js';
import type { Database, SpatialTable } from './schema/database.js';

/** Inserts go in chunks so one statement never exceeds SQLite's or PostgreSQL's bind limits. */
const CHUNK = 500;

function spatialColumns(spatial: DialectSql, geometry: Parameters<typeof bboxOfGeometry>[0]) {
  const [minLon, minLat, maxLon, maxLat] = bboxOfGeometry(geometry);
  return {
    geom: spatial.geometryValue(geometry),
    min_lon: minLon,
    min_lat: minLat,
    max_lon: maxLon,
    max_lat: maxLat,
  };
}

/**
 * The index gives candidates; the stored bbox columns decide, so SQLite (32-bit R*Tree boxes) and
 * PostgreSQL (float4 GiST boxes) return exactly the same rows.
 */
function bboxWhere(spatial: DialectSql, table: SpatialTable, box: BBox) {
  const t = (c: string) => sql.ref(`${table}.${c}`);
  return sql<boolean>`${spatial.bboxCandidates(table, box)} AND ${t('min_lon')} <= ${box[2]} AND ${t('max_lon')} >= ${box[0]} AND ${t('min_lat')} <= ${box[3]} AND ${t('max_lat')} >= ${box[1]}`;
}

function inChunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/**
 * Areas of operations, regions, places and units, over either database.
 *
 * @example
 * const areas = createAreaRepository(db, sqliteDialectSql);
 * const page = await areas.listAreas({ limit: 50, offset: 0 });
 */
export function createAreaRepository(db: Kysely<Database>, spatial: DialectSql): AreaRepository {
  const areaSelect = () =>
    db
      .selectFrom('area')
      .select([
        'area.id',
        'area.name',
        'area.description',
        'area.exercise',
        'area.classification',
        'area.releasability',
        'area.source',
        'area.min_lon',
        'area.min_lat',
        'area.max_lon',
        'area.max_lat',
        'area.created_at',
        'area.created_by',
      ])
      .select(spatial.geometryJson('area').as('geom_json'))
      .select((eb) => [
        eb
          .selectFrom('region')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('region.area_id', '=', 'area.id')
          .as('region_count'),
        eb
          .selectFrom('place')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('place.area_id', '=', 'area.id')
          .as('place_count'),
        eb
          .selectFrom('unit')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('unit.area_id', '=', 'area.id')
          .as('unit_count'),
      ]);

  type AreaRow = Awaited<ReturnType<ReturnType<typeof areaSelect>['executeTakeFirstOrThrow']>>;

  const toArea = (r: AreaRow): Area & AreaCounts => ({
    id: r.id,
    name: r.name,
    description: r.description,
    exercise: Boolean(r.exercise),
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    source: r.source,
    outline: JSON.parse(r.geom_json) as Polygon | MultiPolygon,
    bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    createdAt: r.created_at,
    createdBy: r.created_by,
    regionCount: Number(r.region_count),
    placeCount: Number(r.place_count),
    unitCount: Number(r.unit_count),
  });

  /** Regions with their outlines, in code order, narrowed by `where`. */
  const regions = async (
    where: (
      q: SelectQueryBuilder<Database, 'region', object>,
    ) => SelectQueryBuilder<Database, 'region', object>,
  ): Promise<Region[]> => {
    const rows = await where(db.selectFrom('region'))
      .select(['id', 'area_id', 'name', 'code', 'source'])
      .select(spatial.geometryJson('region').as('geom_json'))
      .orderBy('code')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      areaId: r.area_id,
      name: r.name,
      code: r.code,
      source: r.source,
      geometry: JSON.parse(r.geom_json) as Polygon | MultiPolygon,
    }));
  };

  return {
    async insertArea(area) {
      await db
        .insertInto('area')
        .values({
          id: area.id,
          name: area.name,
          description: area.description,
          exercise: area.exercise ? 1 : 0,
          classification: area.marking.classification,
          releasability: encodeReleasability(area.marking.releasability),
          source: area.source,
          ...spatialColumns(spatial, area.outline),
          created_at: area.createdAt,
          created_by: area.createdBy,
        })
        .execute();
    },

    async deleteArea(id) {
      const result = await db.deleteFrom('area').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async insertRegions(regions) {
      for (const chunk of inChunks(regions)) {
        await db
          .insertInto('region')
          .values(
            chunk.map((r) => ({
              id: r.id,
              area_id: r.areaId,
              name: r.name,
              code: r.code,
              source: r.source,
              ...spatialColumns(spatial, r.geometry),
            })),
          )
          .execute();
      }
    },

    async insertPlaces(places) {
      for (const chunk of inChunks(places)) {
        await db
          .insertInto('place')
          .values(
            chunk.map((p) => ({
              id: p.id,
              area_id: p.areaId,
              name: p.name,
              kind: p.kind,
              population: p.population,
              admin_code: p.adminCode,
              source: p.source,
              ...spatialColumns(spatial, p.geometry),
            })),
          )
          .execute();
      }
    },

    async insertUnits(units) {
      for (const chunk of inChunks(units)) {
        await db
          .insertInto('unit')
          .values(
            chunk.map((u) => ({
              id: u.id,
              area_id: u.areaId,
              name: u.name,
              sidc: u.sidc,
              role: u.role,
              ...spatialColumns(spatial, u.geometry),
            })),
          )
          .execute();
      }
    },

    async countAreas(viewer?: Viewer) {
      let query = db.selectFrom('area').select((eb) => eb.fn.countAll<string | number>().as('n'));
      if (viewer) query = query.where(visibleTo('area', viewer, { compartment: false }));
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listAreas(page: PageRequest, viewer: Viewer): Promise<Page<Area & AreaCounts>> {
      const rows = await areaSelect()
        .where(visibleTo('area', viewer, { compartment: false }))
        .orderBy('area.created_at', 'desc')
        .orderBy('area.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return { items: rows.map(toArea), total: await this.countAreas(viewer) };
    },

    async getArea(id, viewer) {
      const row = await areaSelect()
        .where('area.id', '=', id)
        .where(visibleTo('area', viewer, { compartment: false }))
        .executeTakeFirst();
      return row ? toArea(row) : undefined;
    },

    async listRegions(areaId) {
      return regions((q) => q.where('area_id', '=', areaId));
    },

    async regionsByCode(codes) {
      if (codes.length === 0) return [];
      return regions((q) => q.where('code', 'in', [...codes]));
    },

    async listPlaces(areaId, filter) {
      let query = db.selectFrom('place').where('place.area_id', '=', areaId);
      if (filter.bbox) query = query.where(bboxWhere(spatial, 'place', filter.bbox));
      const [rows, total] = await Promise.all([
        query
          .select([
            'place.id',
            'place.area_id',
            'place.name',
            'place.kind',
            'place.population',
            'place.admin_code',
            'place.source',
          ])
          .select(spatial.geometryJson('place').as('geom_json'))
          .orderBy('place.population', 'desc')
          .orderBy('place.id')
          .limit(filter.limit)
          .execute(),
        query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        total: Number(total.n),
        items: rows.map((r) => ({
          id: r.id,
          areaId: r.area_id,
          name: r.name,
          kind: r.kind as PlaceKind,
          population: Number(r.population),
          adminCode: r.admin_code,
          source: r.source,
          geometry: JSON.parse(r.geom_json) as Point,
        })),
      };
    },

    async listUnits(areaId) {
      const rows = await db
        .selectFrom('unit')
        .select(['id', 'area_id', 'name', 'sidc', 'role'])
        .select(spatial.geometryJson('unit').as('geom_json'))
        .where('area_id', '=', areaId)
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        areaId: r.area_id,
        name: r.name,
        sidc: r.sidc,
        role: r.role,
        geometry: JSON.parse(r.geom_json) as Point,
      }));
    },
  };
}
