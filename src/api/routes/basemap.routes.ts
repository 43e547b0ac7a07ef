import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { basemapGeoJson } from '../../service/basemap/basemap.service.js';

/** `GET /api/basemap/:layer`: the offline basemap (Natural Earth 1:50m land and countries). */
export const basemapRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/basemap/:layer',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Offline basemap layer as GeoJSON (Natural Earth 1:50m, public domain)',
        params: z.object({ layer: z.enum(['land', 'countries']) }).strict(),
      },
    },
    async (request, reply) => {
      return reply
        .header('cache-control', 'public, max-age=86400')
        .type('application/geo+json')
        .send(basemapGeoJson(request.params.layer));
    },
  );
};
