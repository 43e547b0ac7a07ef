import { centroid } from '@turf/turf';
import { z } from 'zod';
import { bboxContains, mgrsOf, type BBox } from '../../geo/index.js';
import { defineCodeList, type CodeOf } from '../taxonomy/code-list.js';
import {
  crossCuttingTopicSchema,
  type CrossCuttingTopic,
} from '../taxonomy/cross-cutting-topic.js';
import { markingSchema } from '../taxonomy/marking.js';

/**
 * What kind of place a protected object is. The category decides the default standoff buffer
 * ({@link defaultBufferMetres}), the default legal basis ({@link defaultProtection}) and the
 * default cross-cutting topics ({@link defaultTopics}); each can be overridden per object.
 *
 * @example
 * ObjectCategory.label('medical'); // 'Medical'
 * ObjectCategory.is('hostpital'); // false
 */
export const ObjectCategory = defineCodeList('objectCategory', [
  {
    code: 'cultural',
    label: 'Cultural property',
    description:
      'Monuments, archaeological sites, museums, libraries, archives and other cultural property (1954 Hague Convention, art. 1).',
  },
  {
    code: 'medical',
    label: 'Medical',
    description:
      'Hospitals, clinics, medical posts, pharmacies and ambulance stations: medical units and their stores (GC I art. 19, GC IV art. 18, AP I art. 12).',
  },
  {
    code: 'education',
    label: 'Education',
    description:
      'Schools, kindergartens, colleges and universities. Attacks on schools are one of the six grave violations against children.',
  },
  {
    code: 'religious',
    label: 'Religious',
    description: 'Places of worship, monasteries and other religious sites (AP I art. 53).',
  },
  {
    code: 'water',
    label: 'Water',
    description:
      'Drinking-water installations and supplies, water works, towers, pumping stations and wastewater plants: objects indispensable to the survival of the civilian population (AP I art. 54).',
  },
  {
    code: 'power',
    label: 'Power',
    description:
      'Power plants, generators and substations. Nuclear plants and dams are works containing dangerous forces (AP I art. 56).',
  },
  {
    code: 'communications',
    label: 'Communications',
    description: 'Telecommunication exchanges, data centres and communication masts.',
  },
  {
    code: 'transport',
    label: 'Transport',
    description:
      'Railway and bus stations, ferry terminals and other civilian transport hubs; often dual-use, so review before listing.',
  },
  {
    code: 'humanitarian',
    label: 'Humanitarian',
    description:
      'Sites notified by humanitarian organisations: warehouses, offices, shelters, camps for displaced people.',
  },
  {
    code: 'other',
    label: 'Other',
    description: 'A protected object that fits none of the other categories.',
  },
]);

/**
 * A protected-object category code (`'cultural' | 'medical' | …`).
 *
 * @example
 * const category: ObjectCategory = 'water';
 */
export type ObjectCategory = CodeOf<typeof ObjectCategory>;

/**
 * The legal or policy basis on which an object is protected.
 *
 * @example
 * ProtectionBasis.label('hague-enhanced'); // 'Enhanced protection (Hague 1999 Second Protocol)'
 */
export const ProtectionBasis = defineCodeList('protectionBasis', [
  {
    code: 'hague-general',
    label: 'General protection (Hague 1954)',
    description:
      'Cultural property under the general protection of the 1954 Hague Convention, which every item of cultural property has without listing.',
  },
  {
    code: 'hague-special',
    label: 'Special protection (Hague 1954)',
    description:
      'Cultural property entered in the International Register of Cultural Property under Special Protection (1954 Hague Convention, chapter II).',
  },
  {
    code: 'hague-enhanced',
    label: 'Enhanced protection (Hague 1999 Second Protocol)',
    description:
      'Cultural property on the List of Cultural Property under Enhanced Protection (1999 Second Protocol, chapter 3).',
  },
  {
    code: 'geneva-medical',
    label: 'Medical (Geneva Conventions)',
    description:
      'Medical units, transports and personnel protected by the Geneva Conventions and Additional Protocol I (GC I art. 19, GC IV art. 18, AP I art. 12).',
  },
  {
    code: 'humanitarian-notification',
    label: 'Humanitarian notification',
    description:
      'A site or movement notified by a humanitarian organisation through a humanitarian notification system.',
  },
  {
    code: 'policy',
    label: 'Policy',
    description:
      'Protected by operational policy or the rules of engagement rather than a specific treaty regime: civilian objects such as schools, water and power installations.',
  },
]);

/**
 * A protection-basis code (`'hague-general' | … | 'policy'`).
 *
 * @example
 * const basis: ProtectionBasis = 'geneva-medical';
 */
export type ProtectionBasis = CodeOf<typeof ProtectionBasis>;

/**
 * The two target lists a protected object can be on (DOMAIN.md §3).
 *
 * @example
 * ListKind.label('RTL'); // 'Restricted target list'
 */
export const ListKind = defineCodeList('listKind', [
  {
    code: 'NSL',
    label: 'No-strike list',
    description: 'Objects that must not be engaged.',
  },
  {
    code: 'RTL',
    label: 'Restricted target list',
    description:
      'Objects that may be engaged only under the restriction recorded with the entry (approval level, timing, means).',
  },
]);

/**
 * A target-list code (`'NSL' | 'RTL'`).
 *
 * @example
 * const list: ListKind = 'NSL';
 */
export type ListKind = CodeOf<typeof ListKind>;

/** Longest name, transliteration and source reference accepted. */
export const NAME_MAX_LENGTH = 300;
/** Largest standoff buffer accepted, in metres (50 km). */
export const BUFFER_MAX_METRES = 50_000;

// ---------------------------------------------------------------------------------------------
// Geometry

function isLatitudeSwapSuspect(lon: number, lat: number): boolean {
  return Math.abs(lat) > 90 && Math.abs(lat) <= 180 && Math.abs(lon) <= 90;
}

/**
 * Accepts one RFC 7946 position: `[lon, lat]` or `[lon, lat, altitude]`, longitude −180..180 and
 * latitude −90..90 (WGS 84). A latitude beyond ±90 whose longitude would be a valid latitude is
 * reported as a likely lat/lon swap.
 *
 * @example
 * positionSchema.parse([9.52, 47.14]);
 * positionSchema.safeParse([47.14, 120]).success; // false: latitude 120 is outside −90..90
 */
export const positionSchema = z
  .array(z.number(), { error: 'a position must be an array of numbers [lon, lat]' })
  .min(2, { error: 'a position needs a longitude and a latitude: [lon, lat]' })
  .max(3, { error: 'a position has at most three numbers: [lon, lat, altitude]' })
  .superRefine((position, ctx) => {
    const [lon = 0, lat = 0] = position;
    if (lon < -180 || lon > 180) {
      ctx.addIssue({
        code: 'custom',
        path: [0],
        message: `longitude ${lon} is outside −180..180`,
      });
    }
    if (lat < -90 || lat > 90) {
      ctx.addIssue({
        code: 'custom',
        path: [1],
        message: isLatitudeSwapSuspect(lon, lat)
          ? `latitude ${lat} is outside −90..90: longitude and latitude look swapped (GeoJSON order is [lon, lat])`
          : `latitude ${lat} is outside −90..90`,
      });
    }
  });

const lineCoordinatesSchema = z
  .array(positionSchema)
  .min(2, { error: 'a LineString needs at least 2 positions' });

function samePosition(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((value, i) => value === b[i]);
}

const ringSchema = z
  .array(positionSchema)
  .min(4, { error: 'a polygon ring needs at least 4 positions (3 corners and the closing one)' })
  .superRefine((ring, ctx) => {
    if (ring.length >= 4 && !samePosition(ring[0], ring[ring.length - 1])) {
      ctx.addIssue({
        code: 'custom',
        path: [ring.length - 1],
        message: 'the polygon ring is not closed: its last position must repeat its first',
      });
    }
  });

const polygonCoordinatesSchema = z
  .array(ringSchema)
  .min(1, { error: 'a Polygon needs at least its exterior ring' });

/**
 * Accepts the geometry of a protected object: an RFC 7946 Point, LineString, Polygon,
 * MultiPoint, MultiLineString or MultiPolygon in lon/lat WGS 84. Positions must be in range,
 * LineStrings need 2 positions, polygon rings need 4 and must be closed. GeometryCollection
 * and foreign members are rejected: a register entry has one shape.
 *
 * @example
 * protectedGeometrySchema.parse({ type: 'Point', coordinates: [9.52, 47.14] });
 */
export const protectedGeometrySchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('Point'), coordinates: positionSchema }).strict(),
    z.object({ type: z.literal('LineString'), coordinates: lineCoordinatesSchema }).strict(),
    z.object({ type: z.literal('Polygon'), coordinates: polygonCoordinatesSchema }).strict(),
    z
      .object({
        type: z.literal('MultiPoint'),
        coordinates: z.array(positionSchema).min(1, { error: 'a MultiPoint needs a position' }),
      })
      .strict(),
    z
      .object({
        type: z.literal('MultiLineString'),
        coordinates: z
          .array(lineCoordinatesSchema)
          .min(1, { error: 'a MultiLineString needs a line' }),
      })
      .strict(),
    z
      .object({
        type: z.literal('MultiPolygon'),
        coordinates: z
          .array(polygonCoordinatesSchema)
          .min(1, { error: 'a MultiPolygon needs a polygon' }),
      })
      .strict(),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'geometry type must be Point, LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon'
        : undefined,
  },
);

/**
 * The geometry of a protected object, as {@link protectedGeometrySchema} parses it.
 *
 * @example
 * const geometry: ProtectedGeometry = { type: 'Point', coordinates: [9.52, 47.14] };
 */
export type ProtectedGeometry = z.infer<typeof protectedGeometrySchema>;

function positionsOf(geometry: ProtectedGeometry): number[][] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

/**
 * Whether a geometry's coordinates look swapped (latitude written first) given the box the data
 * is expected in, e.g. the country of the import: true when some position lies outside the box
 * but every position, read the other way round, lies inside it.
 *
 * @example
 * const liechtenstein: BBox = [9.47, 47.04, 9.64, 47.28];
 * isLikelySwapped({ type: 'Point', coordinates: [47.14, 9.52] }, liechtenstein); // true
 * isLikelySwapped({ type: 'Point', coordinates: [9.52, 47.14] }, liechtenstein); // false
 */
export function isLikelySwapped(geometry: ProtectedGeometry, expected: BBox): boolean {
  const positions = positionsOf(geometry);
  const inside = (lon: number, lat: number): boolean => bboxContains(expected, lon, lat);
  const allInside = positions.every(([lon = NaN, lat = NaN]) => inside(lon, lat));
  if (allInside) return false;
  return positions.every(([lon = NaN, lat = NaN]) => inside(lat, lon));
}

/**
 * Whether every position of a geometry lies inside a box (edges included).
 *
 * @example
 * isGeometryInside({ type: 'Point', coordinates: [9.52, 47.14] }, [9, 47, 10, 48]); // true
 */
export function isGeometryInside(geometry: ProtectedGeometry, box: BBox): boolean {
  return positionsOf(geometry).every(([lon = NaN, lat = NaN]) => bboxContains(box, lon, lat));
}

/**
 * The MGRS grid reference (1 m, e.g. `32TNT6079923781`) of a geometry's centroid — the mean of
 * its vertices, as turf computes it — or null where MGRS is not defined (north of 84° N and
 * south of 80° S, the polar UPS zones).
 *
 * @example
 * mgrsOfCentroid({ type: 'Point', coordinates: [9.5209, 47.1410] }); // '32TNT…'
 */
export function mgrsOfCentroid(geometry: ProtectedGeometry): string | null {
  // A point is its own centroid (turf's mean of one vertex): no feature to build, a million times.
  const [lon = NaN, lat = NaN] =
    geometry.type === 'Point' ? geometry.coordinates : centroid(geometry).geometry.coordinates;
  return mgrsOf(lon, lat);
}

// ---------------------------------------------------------------------------------------------
// Defaults per category

/**
 * The default standoff buffer of a category, in metres: the distance within which a planned
 * action is flagged for review. These are planning defaults chosen for Civitas, not doctrine;
 * the register stores the buffer per object and staff override it.
 *
 * | category | metres | why |
 * | --- | --- | --- |
 * | cultural | 250 | fragmentation and blast reach of light munitions around fragile structures |
 * | medical | 300 | hospitals hold patients who cannot be moved; keep a wider margin |
 * | education | 250 | as cultural; schools fill with children at known hours |
 * | religious | 200 | usually single buildings in built-up areas |
 * | water | 500 | treatment chemicals (chlorine) and the population served |
 * | power | 1000 | plants hold fuel and high voltage; damage cascades to hospitals and water |
 * | communications | 250 | masts and exchanges; effects are on the network, not the site |
 * | transport | 100 | stations are dual-use and crowded; the buffer marks the building only |
 * | humanitarian | 500 | notified sites ask for deconfliction distance beyond their fence |
 * | other | 100 | the footprint plus a margin |
 *
 * Works containing dangerous forces (nuclear plants, dams; AP I art. 56) need far more than the
 * `power` default: set their buffer explicitly.
 *
 * @example
 * defaultBufferMetres('medical'); // 300
 */
export function defaultBufferMetres(category: ObjectCategory): number {
  return DEFAULT_BUFFER_METRES[checkedCategory(category)];
}

/** Fails at once on a value that is not a category (callers may pass unchecked input). */
function checkedCategory(category: ObjectCategory): ObjectCategory {
  if (!ObjectCategory.is(category)) {
    throw new Error(
      `"${String(category)}" is not an object category: use one of ${ObjectCategory.codes.join(', ')}.`,
    );
  }
  return category;
}

const DEFAULT_BUFFER_METRES: Readonly<Record<ObjectCategory, number>> = Object.freeze({
  cultural: 250,
  medical: 300,
  education: 250,
  religious: 200,
  water: 500,
  power: 1000,
  communications: 250,
  transport: 100,
  humanitarian: 500,
  other: 100,
});

/**
 * The default protection basis of a category: the regime that applies without any listing.
 * Cultural property has general Hague protection by itself (special and enhanced protection
 * need a register entry, so they are never a default); medical sites are protected by the
 * Geneva Conventions; humanitarian sites by their notification; everything else is a civilian
 * object protected by policy and the rules of engagement. Places of worship get `policy`, not
 * a Hague basis: only those that are cultural heritage are cultural property — import them as
 * `cultural` (or set the basis) when they are.
 *
 * @example
 * defaultProtection('cultural'); // 'hague-general'
 * defaultProtection('school' as never); // throws: not a category
 */
export function defaultProtection(category: ObjectCategory): ProtectionBasis {
  return DEFAULT_PROTECTION[checkedCategory(category)];
}

const DEFAULT_PROTECTION: Readonly<Record<ObjectCategory, ProtectionBasis>> = Object.freeze({
  cultural: 'hague-general',
  medical: 'geneva-medical',
  education: 'policy',
  religious: 'policy',
  water: 'policy',
  power: 'policy',
  communications: 'policy',
  transport: 'policy',
  humanitarian: 'humanitarian-notification',
  other: 'policy',
});

/**
 * The default cross-cutting topics of a category: Cultural Property Protection for cultural
 * property; Protection of Civilians and Children and Armed Conflict for schools and hospitals
 * (attacks on them are a grave violation against children); Protection of Civilians otherwise.
 *
 * @example
 * defaultTopics('education'); // ['PoC', 'CAAC']
 */
export function defaultTopics(category: ObjectCategory): CrossCuttingTopic[] {
  switch (checkedCategory(category)) {
    case 'cultural':
      return ['CPP'];
    case 'education':
    case 'medical':
      return ['PoC', 'CAAC'];
    default:
      return ['PoC'];
  }
}

// ---------------------------------------------------------------------------------------------
// The object as importers produce it

/**
 * Accepts one entry of a target list: NSL entries carry no restriction (the object must not
 * be engaged at all); RTL entries must say what the restriction is.
 *
 * @example
 * listMembershipSchema.parse({ list: 'RTL', restriction: 'Engage only with COM approval' });
 */
export const listMembershipSchema = z
  .object({
    list: ListKind.schema,
    restriction: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.list === 'RTL' && entry.restriction === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['restriction'],
        message: 'an RTL entry must say what the restriction is',
      });
    }
    if (entry.list === 'NSL' && entry.restriction !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['restriction'],
        message: 'an NSL entry has no restriction (the object must not be engaged): use RTL',
      });
    }
  });

/**
 * One list entry, as {@link listMembershipSchema} parses it.
 *
 * @example
 * const entry: ListMembership = { list: 'NSL' };
 */
export type ListMembership = z.infer<typeof listMembershipSchema>;

/**
 * Accepts one protected object as an importer produces it, before the register gives it an id.
 * Strict: unknown fields are errors. `source` + `sourceRef` identify the object in its source
 * (e.g. `osm` + `osm:way/42`), so re-importing the same file updates rather than duplicates.
 *
 * @example
 * protectedObjectInputSchema.parse({
 *   name: 'Landesspital', category: 'medical', protection: 'geneva-medical',
 *   geometry: { type: 'Point', coordinates: [9.5209, 47.141] }, bufferMetres: 300,
 *   source: 'osm', sourceRef: 'osm:node/1', topics: ['PoC'],
 *   marking: { classification: 'NU', releasability: [] }, lists: [],
 * });
 */
export const protectedObjectInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { error: 'name is empty' })
      .max(NAME_MAX_LENGTH, { error: `name is longer than ${NAME_MAX_LENGTH} characters` }),
    nameLatin: z
      .string()
      .trim()
      .min(1, { error: 'nameLatin is empty: leave it out instead' })
      .max(NAME_MAX_LENGTH, { error: `nameLatin is longer than ${NAME_MAX_LENGTH} characters` })
      .optional(),
    category: ObjectCategory.schema,
    protection: ProtectionBasis.schema,
    geometry: protectedGeometrySchema,
    bufferMetres: z
      .number()
      .min(0, { error: 'the buffer cannot be negative' })
      .max(BUFFER_MAX_METRES, { error: `the buffer is larger than ${BUFFER_MAX_METRES} m` }),
    source: z.string().trim().min(1).max(100),
    sourceRef: z.string().trim().min(1).max(NAME_MAX_LENGTH),
    topics: z.array(crossCuttingTopicSchema),
    marking: markingSchema,
    lists: z.array(listMembershipSchema),
  })
  .strict()
  .superRefine((object, ctx) => {
    const topics = new Set<string>();
    object.topics.forEach((topic, index) => {
      if (topics.has(topic)) {
        ctx.addIssue({
          code: 'custom',
          path: ['topics', index],
          message: `${topic} is listed twice`,
        });
      }
      topics.add(topic);
    });
    if (object.lists.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['lists', 1],
        message: 'an object is on at most one list: no-strike (NSL) or restricted (RTL)',
      });
    }
  });

/**
 * One protected object as importers produce it: what {@link protectedObjectInputSchema}
 * returns.
 *
 * @example
 * const input: ProtectedObjectInput = protectedObjectInputSchema.parse(raw);
 */
export type ProtectedObjectInput = z.infer<typeof protectedObjectInputSchema>;
