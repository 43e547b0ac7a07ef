import { z } from 'zod';

/** `GET /api/taxonomies`: every code list, by name, each entry with at least code, label, description. */
export const taxonomiesResponseSchema = z.record(
  z.string(),
  z.array(z.looseObject({ code: z.string(), label: z.string(), description: z.string() })),
);
export type TaxonomiesResponse = z.infer<typeof taxonomiesResponseSchema>;
