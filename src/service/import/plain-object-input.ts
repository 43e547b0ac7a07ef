import {
  BUFFER_MAX_METRES,
  NAME_MAX_LENGTH,
  ObjectCategory,
  ProtectionBasis,
  type ProtectedObjectInput,
} from '../../domain/protected-object/protected-object.js';
import {
  Classification,
  CrossCuttingTopic,
  Releasability,
  type Marking,
} from '../../domain/taxonomy/index.js';

const KEYS = new Set([
  'name',
  'nameLatin',
  'category',
  'protection',
  'geometry',
  'bufferMetres',
  'source',
  'sourceRef',
  'topics',
  'marking',
  'lists',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string the schema's `.trim().min(1).max(max)` keeps as it is. */
function isTrimmedText(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' && value.length >= 1 && value.length <= max && value.trim() === value
  );
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= -limit && value <= limit;
}

function plainPoint(geometry: unknown): ProtectedObjectInput['geometry'] | undefined {
  if (!isPlainObject(geometry) || geometry.type !== 'Point') return undefined;
  let keys = 0;
  for (const key in geometry) {
    if (key !== 'type' && key !== 'coordinates') return undefined;
    keys += 1;
  }
  const position = geometry.coordinates;
  if (keys !== 2 || !Array.isArray(position)) return undefined;
  if (position.length !== 2 && position.length !== 3) return undefined;
  const [lon, lat, altitude] = position as unknown[];
  if (!isCoordinate(lon, 180) || !isCoordinate(lat, 90)) return undefined;
  if (position.length === 2) return { type: 'Point', coordinates: [lon, lat] };
  if (typeof altitude !== 'number' || !Number.isFinite(altitude)) return undefined;
  return { type: 'Point', coordinates: [lon, lat, altitude] };
}

function plainTopics(topics: unknown): ProtectedObjectInput['topics'] | undefined {
  if (!Array.isArray(topics)) return undefined;
  const out: ProtectedObjectInput['topics'] = [];
  for (const topic of topics as unknown[]) {
    if (!CrossCuttingTopic.is(topic) || out.includes(topic)) return undefined;
    out.push(topic);
  }
  return out;
}

function plainMarking(marking: unknown): Marking | undefined {
  if (!isPlainObject(marking) || !Classification.is(marking.classification)) return undefined;
  let keys = 0;
  for (const key in marking) {
    if (key !== 'classification' && key !== 'releasability') return undefined;
    keys += 1;
  }
  const releasability = marking.releasability;
  if (keys !== 2 || !Array.isArray(releasability)) return undefined;
  const out: Marking['releasability'] = [];
  for (const code of releasability as unknown[]) {
    if (!Releasability.is(code) || out.includes(code)) return undefined;
    if (code === 'PUBLIC' && marking.classification !== 'NU') return undefined;
    out.push(code);
  }
  return { classification: marking.classification, releasability: out };
}

/**
 * What `protectedObjectInputSchema.safeParse(candidate).data` is for a candidate that is plainly
 * valid — a Point, on no list, every field in range and already trimmed — built without zod,
 * which costs more than everything else on the path of a million-row import. Anything else
 * (another geometry type, a list entry, a value zod would trim or reject) gives undefined, and
 * the caller parses with the schema, which then also words the errors. `plain-object-input.test.ts`
 * checks that the two agree.
 *
 * @example
 * plainObjectInput({ name: 'Clinic', category: 'medical', protection: 'geneva-medical',
 *   geometry: { type: 'Point', coordinates: [9.52, 47.14] }, bufferMetres: 300, source: 'csv',
 *   sourceRef: 'a1', topics: ['PoC'], marking: { classification: 'NU', releasability: [] },
 *   lists: [] }); // the same object, copied
 * plainObjectInput({ ...thatObject, name: ' Clinic ' }); // undefined: zod would trim it
 */
export function plainObjectInput(candidate: unknown): ProtectedObjectInput | undefined {
  if (!isPlainObject(candidate)) return undefined;
  for (const key in candidate) if (!KEYS.has(key)) return undefined;
  const c = candidate;
  if (!isTrimmedText(c.name, NAME_MAX_LENGTH)) return undefined;
  const hasLatin = 'nameLatin' in c;
  if (hasLatin && !isTrimmedText(c.nameLatin, NAME_MAX_LENGTH)) return undefined;
  if (!ObjectCategory.is(c.category) || !ProtectionBasis.is(c.protection)) return undefined;
  const geometry = plainPoint(c.geometry);
  if (geometry === undefined) return undefined;
  const buffer = c.bufferMetres;
  if (typeof buffer !== 'number' || !Number.isFinite(buffer)) return undefined;
  if (buffer < 0 || buffer > BUFFER_MAX_METRES) return undefined;
  if (!isTrimmedText(c.source, 100) || !isTrimmedText(c.sourceRef, NAME_MAX_LENGTH)) {
    return undefined;
  }
  const topics = plainTopics(c.topics);
  const marking = plainMarking(c.marking);
  if (topics === undefined || marking === undefined) return undefined;
  if (!Array.isArray(c.lists) || c.lists.length !== 0) return undefined;
  return {
    name: c.name,
    ...(hasLatin ? { nameLatin: c.nameLatin as string } : {}),
    category: c.category,
    protection: c.protection,
    geometry,
    bufferMetres: buffer,
    source: c.source,
    sourceRef: c.sourceRef,
    topics,
    marking,
    lists: [],
  };
}
