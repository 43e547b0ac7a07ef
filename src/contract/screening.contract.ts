import { z } from 'zod';
import { markingSchema } from '../domain/taxonomy/index.js';
import {
  ListKind,
  ObjectCategory,
  ProtectionBasis,
} from '../domain/protected-object/protected-object.js';
import {
  AIMPOINTS_MAX,
  EFFECT_CLASS_CODE,
  EFFECT_RADIUS_MAX_METRES,
  FLAG_CODES,
} from '../domain/screening/screening.js';
import { pageSchema } from './common.contract.js';

/** An effect class: a named effect radius of this deployment. */
export const effectClassSchema = z.object({
  code: z.string(),
  label: z.string(),
  radius_m: z.number(),
  description: z.string().optional(),
  updated_at: z.string(),
  updated_by: z.string(),
});
export type EffectClassView = z.infer<typeof effectClassSchema>;

/** `GET /api/effect-classes`. */
export const effectClassListSchema = z.object({ items: z.array(effectClassSchema) });

/** `PUT /api/effect-classes/:code` and `DELETE` path. */
export const effectClassParamsSchema = z
  .object({
    code: z
      .string()
      .regex(EFFECT_CLASS_CODE, { error: 'use 1–32 capital letters, digits, _ or -' }),
  })
  .strict();

/** `PUT /api/effect-classes/:code` body: creates or replaces the class. */
export const putEffectClassBodySchema = z
  .object({
    label: z.string().trim().min(1).max(200),
    radius_m: z.number().gt(0).max(EFFECT_RADIUS_MAX_METRES),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();

/** A planned aimpoint: where, its effect radius, and the position as the planner wrote it. */
export const aimpointSchema = z
  .object({
    id: z.string().trim().min(1).max(100),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    radius_m: z.number().min(0).max(EFFECT_RADIUS_MAX_METRES),
    effect_class: z.string().max(32).optional(),
    label: z.string().max(300).optional(),
    input: z.string().max(300),
  })
  .strict();
export type AimpointView = z.infer<typeof aimpointSchema>;

/** `POST /api/screenings/parse` body. */
export const parseAimpointsBodySchema = z
  .object({
    text: z
      .string()
      .min(1)
      .max(20 * 1024 * 1024),
    format: z.enum(['auto', 'csv', 'geojson', 'ndjson', 'text']).default('auto'),
    default_effect_class: z.string().max(32).optional(),
    default_radius_m: z.number().min(0).max(EFFECT_RADIUS_MAX_METRES).optional(),
  })
  .strict();

/** One bad line (text, CSV) or feature (GeoJSON, 1 = first) of planner input. */
export const aimpointProblemSchema = z.object({
  line: z.number().int().optional(),
  feature: z.number().int().optional(),
  field: z.string(),
  message: z.string(),
});

/** `POST /api/screenings/parse` answer. */
export const parseAimpointsResultSchema = z.object({
  format: z.enum(['csv', 'geojson', 'ndjson', 'text']),
  aimpoints: z.array(aimpointSchema),
  warnings: z.array(z.object({ line: z.number().int().optional(), message: z.string() })),
});

/** `POST /api/screenings` body. */
export const createScreeningBodySchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    plan_reference: z.string().trim().min(1).max(200).optional(),
    release: z.number().int().min(1).optional(),
    aimpoints: z.array(aimpointSchema).min(1).max(AIMPOINTS_MAX),
    population_threshold: z.number().min(0).optional(),
    marking: markingSchema,
  })
  .strict();
export type CreateScreeningBody = z.infer<typeof createScreeningBodySchema>;

/** Stable flag codes (docs/screening.md). */
export const flagCodeSchema = z.enum(FLAG_CODES);

/** One object inside an aimpoint's radius plus the object's buffer. */
export const screeningHitSchema = z.object({
  object_id: z.string(),
  name: z.string(),
  category: ObjectCategory.schema,
  list: ListKind.schema.nullable(),
  restriction: z.string().nullable(),
  protection: ProtectionBasis.schema,
  distance_m: z.number(),
  buffer_m: z.number(),
  marking: markingSchema,
  /** The object's point (centroid for lines and areas) in what was screened: [lon, lat]. */
  position: z.tuple([z.number(), z.number()]).optional(),
});

/** One screened aimpoint as the reader may see it. */
export const screenedAimpointSchema = z.object({
  id: z.string(),
  lon: z.number(),
  lat: z.number(),
  mgrs: z.string().nullable(),
  radius_m: z.number(),
  effect_class: z.string().nullable(),
  label: z.string().nullable(),
  input: z.string(),
  flags: z.array(flagCodeSchema),
  withheld_hits: z.number().int(),
  population: z.object({ best: z.number() }).nullable(),
  hits: z.array(screeningHitSchema),
});

/** A screening without its aimpoints: what lists show. */
export const screeningSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  plan_reference: z.string().nullable(),
  release: z.object({ number: z.number().int(), status: z.string() }).nullable(),
  created_at: z.string(),
  created_by: z.object({ id: z.string(), username: z.string() }),
  result_digest: z.string(),
  marking: markingSchema,
  population_threshold: z.number(),
  aimpoint_count: z.number().int(),
  flagged_count: z.number().int(),
});
export type ScreeningSummaryView = z.infer<typeof screeningSummarySchema>;

/** A screening with its aimpoints, filtered to what the reader may see. */
export const screeningSchema = screeningSummarySchema.extend({
  aimpoints: z.array(screenedAimpointSchema),
});
export type ScreeningView = z.infer<typeof screeningSchema>;

/** `GET /api/screenings`. */
export const screeningListSchema = pageSchema(screeningSummarySchema);
