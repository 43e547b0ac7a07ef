import { z } from 'zod';

/** `GET /api/health`: the server is up, which version, and which database it uses. */
export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  name: z.literal('Civitas'),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  time: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
