import { z } from 'zod';
import {
  ascopeCategorySchema,
  crossCuttingTopicSchema,
  markingSchema,
  pmesiiDomainSchema,
} from '../domain/taxonomy/index.js';
import { compartmentSchema } from '../domain/access/role.js';
import { pageSchema } from './common.contract.js';

export const factorSchema = z.object({
  id: z.string(),
  areaId: z.string(),
  regionId: z.string().nullable(),
  pmesii: pmesiiDomainSchema,
  ascope: ascopeCategorySchema,
  topics: z.array(crossCuttingTopicSchema),
  title: z.string(),
  summary: z.string(),
  details: z.string(),
  marking: markingSchema,
  compartment: compartmentSchema.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type FactorView = z.infer<typeof factorSchema>;

export const factorListSchema = pageSchema(factorSchema);

/** `POST /api/areas/:id/factors`. */
export const createFactorBodySchema = z
  .object({
    regionId: z.string().max(100).nullable().default(null),
    pmesii: pmesiiDomainSchema,
    ascope: ascopeCategorySchema,
    topics: z.array(crossCuttingTopicSchema).max(10).default([]),
    title: z.string().trim().min(1).max(200),
    summary: z.string().max(4000).default(''),
    details: z.string().max(20_000).default(''),
    marking: markingSchema,
    compartment: compartmentSchema.nullable().default(null),
  })
  .strict();

/** `PATCH /api/factors/:id`: any subset of the fields. */
export const updateFactorBodySchema = z
  .object({
    regionId: z.string().max(100).nullable().optional(),
    pmesii: pmesiiDomainSchema.optional(),
    ascope: ascopeCategorySchema.optional(),
    topics: z.array(crossCuttingTopicSchema).max(10).optional(),
    title: z.string().trim().min(1).max(200).optional(),
    summary: z.string().max(4000).optional(),
    details: z.string().max(20_000).optional(),
    marking: markingSchema.optional(),
    compartment: compartmentSchema.nullable().optional(),
  })
  .strict();

export const factorQuerySchema = z
  .object({
    pmesii: pmesiiDomainSchema.optional(),
    ascope: ascopeCategorySchema.optional(),
    topic: crossCuttingTopicSchema.optional(),
    regionId: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const factorMatrixSchema = z.object({
  cells: z.array(
    z.object({ pmesii: pmesiiDomainSchema, ascope: ascopeCategorySchema, count: z.number().int() }),
  ),
  restricted: z.array(
    z.object({
      compartment: compartmentSchema,
      count: z.union([z.number().int(), z.literal('<5')]),
    }),
  ),
});
