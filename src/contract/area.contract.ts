import { z } from 'zod';
import { markingSchema } from '../domain/taxonomy/index.js';
import { pageSchema } from './common.contract.js';
import {
  arealGeometrySchema,
  featureCollectionSchema,
  geometryOutSchema,
} from './geojson.contract.js';

/** An area of operations in lists. */
export const areaSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  exercise: z.boolean(),
  marking: markingSchema,
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  regionCount: z.number().int(),
  placeCount: z.number().int(),
  unitCount: z.number().int(),
  createdAt: z.string(),
});
export type AreaSummary = z.infer<typeof areaSummarySchema>;

/** One area of operations with its outline. */
export const areaDetailSchema = areaSummarySchema.extend({
  outline: geometryOutSchema,
  source: z.string(),
});
export type AreaDetail = z.infer<typeof areaDetailSchema>;

export const areaListSchema = pageSchema(areaSummarySchema);
export type AreaList = z.infer<typeof areaListSchema>;

/** `POST /api/areas`: a new area of operations. Unknown keys are refused. */
export const createAreaBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(4000).default(''),
    exercise: z.boolean().default(false),
    marking: markingSchema,
    source: z.string().trim().min(1).max(500).default('entered by hand'),
    outline: arealGeometrySchema,
  })
  .strict();
export type CreateAreaBody = z.input<typeof createAreaBodySchema>;

export const regionCollectionSchema = featureCollectionSchema(
  z.object({ id: z.string(), name: z.string(), code: z.string(), source: z.string() }),
);
export type RegionCollection = z.infer<typeof regionCollectionSchema>;

/** `GET /api/areas/:id/places` query: an optional bbox and a limit (default 1000, at most 10000). */
export const placeQuerySchema = z
  .object({
    bbox: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();

export const placeCollectionSchema = featureCollectionSchema(
  z.object({
    id: z.string(),
    name: z.string(),
    population: z.number().int(),
    kind: z.enum(['city', 'town', 'village']),
    adminCode: z.string().nullable(),
  }),
).extend({ total: z.number().int() });
export type PlaceCollection = z.infer<typeof placeCollectionSchema>;

export const unitCollectionSchema = featureCollectionSchema(
  z.object({ id: z.string(), name: z.string(), sidc: z.string(), role: z.string() }),
);
export type UnitCollection = z.infer<typeof unitCollectionSchema>;
