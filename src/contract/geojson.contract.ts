import { z } from 'zod';

/** A WGS 84 position, longitude first (RFC 7946), with an optional altitude. */
export const positionSchema = z.union([
  z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number()]),
]);

const ringSchema = z
  .array(positionSchema)
  .min(4, 'a linear ring needs at least four positions')
  .refine(
    (ring) => {
      const first = ring[0];
      const last = ring[ring.length - 1];
      return (
        first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]
      );
    },
    { message: 'a linear ring must end where it starts' },
  );

export const pointSchema = z
  .object({ type: z.literal('Point'), coordinates: positionSchema })
  .strict();
export const polygonSchema = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(ringSchema).min(1) })
  .strict();
export const multiPolygonSchema = z
  .object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ringSchema).min(1)).min(1),
  })
  .strict();
/** An area outline or region: a Polygon or MultiPolygon. */
export const arealGeometrySchema = z.discriminatedUnion('type', [
  polygonSchema,
  multiPolygonSchema,
]);

/**
 * Geometry as responses carry it. Coordinates are described loosely here so large layers are not
 * re-validated on the way out; requests are validated strictly with the schemas above.
 */
export const geometryOutSchema = z.object({
  type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()),
});

/** A FeatureCollection whose features carry the given properties. */
export function featureCollectionSchema<P extends z.ZodType>(properties: P) {
  return z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: geometryOutSchema,
        properties,
      }),
    ),
  });
}
