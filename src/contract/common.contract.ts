import { z } from 'zod';

/**
 * The paging convention every list endpoint follows (docs/api.md): `limit` 1–500 (default 50)
 * and `offset` from 0; the response carries `items`, `total`, `limit` and `offset`.
 */
export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page envelope around items of the given schema. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

/** A page of items. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * An RFC 9457 problem detail. `code` is stable (docs/errors.md); `errors` lists field problems,
 * each naming the field (`body.name`, `query.bbox`) and what is wrong.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        line: z.number().int().optional(),
        feature: z.number().int().optional(),
        field: z.string().optional(),
      }),
    )
    .optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** Route parameter `id` as a non-empty bounded string. */
export const idParamsSchema = z.object({ id: z.string().min(1).max(100) }).strict();
