import { z } from 'zod';
import { crossCuttingTopicSchema, markingSchema } from '../domain/taxonomy/index.js';
import {
  ListKind,
  ObjectCategory,
  ProtectionBasis,
  protectedGeometrySchema,
  protectedObjectInputSchema,
} from '../domain/protected-object/protected-object.js';
import { pageSchema } from './common.contract.js';
import { geometryOutSchema } from './geojson.contract.js';

export const protectedObjectSchema = z.object({
  id: z.string(),
  source: z.string(),
  sourceRef: z.string(),
  name: z.string(),
  nameLatin: z.string().nullable(),
  category: ObjectCategory.schema,
  protection: ProtectionBasis.schema,
  geometry: geometryOutSchema,
  bufferMetres: z.number(),
  mgrs: z.string().nullable(),
  centroid: z.tuple([z.number(), z.number()]),
  topics: z.array(crossCuttingTopicSchema),
  list: ListKind.schema.nullable(),
  restriction: z.string().nullable(),
  marking: markingSchema,
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  distanceMetres: z.number().optional(),
});
export type ProtectedObjectView = z.infer<typeof protectedObjectSchema>;

export const objectListSchema = pageSchema(protectedObjectSchema);

/** `GET /api/objects`: text, category, list, bbox, or `near=lon,lat` with `radius` in metres. */
export const objectQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    category: ObjectCategory.schema.optional(),
    list: z.enum(['NSL', 'RTL', 'none']).optional(),
    bbox: z.string().max(200).optional(),
    near: z.string().max(100).optional(),
    radius: z.coerce.number().min(0).max(1_000_000).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** `POST /api/objects`: one object entered by hand. */
export const createObjectBodySchema = protectedObjectInputSchema;

/** `PATCH /api/objects/:id`. */
export const updateObjectBodySchema = z
  .object({
    name: z.string().trim().min(1).max(300).optional(),
    nameLatin: z.string().trim().min(1).max(300).nullable().optional(),
    category: ObjectCategory.schema.optional(),
    protection: ProtectionBasis.schema.optional(),
    geometry: protectedGeometrySchema.optional(),
    bufferMetres: z.number().min(0).max(50_000).optional(),
    topics: z.array(crossCuttingTopicSchema).max(10).optional(),
    marking: markingSchema.optional(),
    list: ListKind.schema.nullable().optional(),
    restriction: z.string().trim().min(1).max(2000).nullable().optional(),
  })
  .strict();

/** `POST /api/objects/import` query. The body is the file, with its media type. */
export const importQuerySchema = z
  .object({
    format: z.enum(['geojson', 'ndjson', 'csv', 'kml', 'osm', 'osm-pbf']),
    list: ListKind.schema.optional(),
    restriction: z.string().max(2000).optional(),
    source: z.string().max(100).optional(),
    dryRun: z.enum(['true', 'false']).default('false'),
  })
  .strict();

export const importReportSchema = z.object({
  read: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  written: z.boolean(),
  errorCount: z.number().int(),
  errors: z.array(
    z.object({
      index: z.number().int(),
      line: z.number().int().optional(),
      field: z.string(),
      message: z.string(),
    }),
  ),
});

export const exportQuerySchema = z
  .object({
    format: z.enum(['geojson', 'csv', 'kml']).default('geojson'),
    release: z.string().max(100).optional(),
  })
  .strict();

export const releaseSchema = z.object({
  id: z.string(),
  number: z.number().int().nullable(),
  status: z.enum(['draft', 'review', 'released']),
  title: z.string(),
  author: z.string(),
  approver: z.string().nullable(),
  marking: markingSchema,
  objectCount: z.number().int(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
});
export type ReleaseView = z.infer<typeof releaseSchema>;

export const releaseListSchema = pageSchema(releaseSchema);

export const createReleaseBodySchema = z
  .object({ title: z.string().trim().min(1).max(200) })
  .strict();

export const releaseDiffSchema = z.object({
  release: releaseSchema,
  against: releaseSchema.nullable(),
  diff: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    moved: z.array(
      z.object({
        objectId: z.string(),
        from: z.tuple([z.number(), z.number()]),
        to: z.tuple([z.number(), z.number()]),
        metres: z.number(),
      }),
    ),
    changed: z.array(z.object({ objectId: z.string(), fields: z.array(z.string()) })),
  }),
});
