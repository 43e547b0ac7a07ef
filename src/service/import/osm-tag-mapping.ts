import {
  defaultTopics,
  type ObjectCategory,
} from '../../domain/protected-object/protected-object.js';
import type { CrossCuttingTopic } from '../../domain/taxonomy/index.js';

/** OSM tags of one object: key → value. */
export type OsmTags = Readonly<Record<string, string>>;

/**
 * One row of the tag mapping: objects whose `key` has one of `values` (or any value but `no`
 * with `'*'`) — and, when `also` is given, whose `also.key` has one of `also.values` — become
 * protected objects of `category`. `label` names the kind for unnamed objects.
 */
export interface OsmTagRule {
  readonly key: string;
  readonly values: readonly string[] | '*';
  readonly also?: { readonly key: string; readonly values: readonly string[] };
  readonly category: ObjectCategory;
  readonly label: string;
}

/**
 * The OSM tag mapping, in precedence order: an object matching several rows gets the category
 * of the first (a hospital in a castle is `medical`; its heritage still adds the CPP topic, see
 * {@link osmObjectFields}). docs/import-formats.md shows this table; keep the two in step.
 *
 * Rows beyond the brief, and why: pharmacies, dentists and ambulance stations are medical units
 * or stores (AP I art. 8(e)); drinking-water taps, water points, covered reservoirs and wells
 * are drinking-water installations (AP I art. 54); museums, libraries and archives are named in
 * the 1954 Hague Convention art. 1(b); monasteries are places of worship; telecom exchanges,
 * data centres and communication towers are communications; stations and terminals are
 * transport; refugee sites and shelters are humanitarian.
 *
 * @example
 * OSM_TAG_RULES.find((rule) => rule.key === 'healthcare')?.category; // 'medical'
 */
export const OSM_TAG_RULES: readonly OsmTagRule[] = Object.freeze([
  { key: 'amenity', values: ['hospital'], category: 'medical', label: 'hospital' },
  { key: 'amenity', values: ['clinic'], category: 'medical', label: 'clinic' },
  { key: 'amenity', values: ['doctors'], category: 'medical', label: 'doctors' },
  { key: 'amenity', values: ['dentist'], category: 'medical', label: 'dentist' },
  { key: 'amenity', values: ['pharmacy'], category: 'medical', label: 'pharmacy' },
  { key: 'healthcare', values: '*', category: 'medical', label: 'healthcare facility' },
  {
    key: 'emergency',
    values: ['ambulance_station'],
    category: 'medical',
    label: 'ambulance station',
  },
  { key: 'amenity', values: ['refugee_site'], category: 'humanitarian', label: 'refugee site' },
  {
    key: 'amenity',
    values: ['social_facility'],
    also: { key: 'social_facility', values: ['shelter'] },
    category: 'humanitarian',
    label: 'shelter',
  },
  { key: 'historic', values: '*', category: 'cultural', label: 'historic site' },
  { key: 'heritage', values: '*', category: 'cultural', label: 'heritage site' },
  { key: 'tourism', values: ['museum'], category: 'cultural', label: 'museum' },
  { key: 'amenity', values: ['library'], category: 'cultural', label: 'library' },
  { key: 'amenity', values: ['archive'], category: 'cultural', label: 'archive' },
  {
    key: 'amenity',
    values: ['place_of_worship'],
    category: 'religious',
    label: 'place of worship',
  },
  { key: 'amenity', values: ['monastery'], category: 'religious', label: 'monastery' },
  { key: 'amenity', values: ['school'], category: 'education', label: 'school' },
  { key: 'amenity', values: ['kindergarten'], category: 'education', label: 'kindergarten' },
  { key: 'amenity', values: ['college'], category: 'education', label: 'college' },
  { key: 'amenity', values: ['university'], category: 'education', label: 'university' },
  { key: 'man_made', values: ['water_works'], category: 'water', label: 'water works' },
  { key: 'man_made', values: ['water_tower'], category: 'water', label: 'water tower' },
  {
    key: 'man_made',
    values: ['wastewater_plant'],
    category: 'water',
    label: 'wastewater plant',
  },
  { key: 'man_made', values: ['pumping_station'], category: 'water', label: 'pumping station' },
  {
    key: 'man_made',
    values: ['reservoir_covered'],
    category: 'water',
    label: 'covered reservoir',
  },
  { key: 'man_made', values: ['water_well'], category: 'water', label: 'water well' },
  { key: 'amenity', values: ['drinking_water'], category: 'water', label: 'drinking water' },
  { key: 'amenity', values: ['water_point'], category: 'water', label: 'water point' },
  { key: 'power', values: ['plant'], category: 'power', label: 'power plant' },
  { key: 'power', values: ['generator'], category: 'power', label: 'power generator' },
  { key: 'power', values: ['substation'], category: 'power', label: 'substation' },
  {
    key: 'telecom',
    values: ['exchange', 'data_center', 'central_office'],
    category: 'communications',
    label: 'telecom exchange',
  },
  {
    key: 'man_made',
    values: ['tower', 'mast'],
    also: { key: 'tower:type', values: ['communication'] },
    category: 'communications',
    label: 'communication tower',
  },
  { key: 'railway', values: ['station'], category: 'transport', label: 'railway station' },
  { key: 'amenity', values: ['bus_station'], category: 'transport', label: 'bus station' },
  {
    key: 'amenity',
    values: ['ferry_terminal'],
    category: 'transport',
    label: 'ferry terminal',
  },
] satisfies OsmTagRule[]);

function matches(rule: OsmTagRule, tags: OsmTags): boolean {
  const value = tags[rule.key];
  if (value === undefined) return false;
  const ok = rule.values === '*' ? value !== 'no' : rule.values.includes(value);
  if (!ok) return false;
  if (rule.also === undefined) return true;
  const other = tags[rule.also.key];
  return other !== undefined && rule.also.values.includes(other);
}

/**
 * The first mapping row an object's tags match, or undefined: such objects are not protected
 * objects and readers skip them.
 *
 * @example
 * osmTagRuleOf({ amenity: 'school', name: 'Primarschule' })?.category; // 'education'
 * osmTagRuleOf({ highway: 'residential' }); // undefined
 */
export function osmTagRuleOf(tags: OsmTags): OsmTagRule | undefined {
  return OSM_TAG_RULES.find((rule) => matches(rule, tags));
}

/**
 * Keys read for the transliterated name, best first: explicit Latin-script names
 * (`name:uk-Latn`, any `name:*-Latn`), `name:latin`, `int_name`, then `name:en`.
 */
function latinNameOf(tags: OsmTags): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    if (/^name:[a-z]{2,3}-Latn$/.test(key) && value.trim() !== '') return value;
  }
  for (const key of ['name:latin', 'int_name', 'name:en']) {
    const value = tags[key];
    if (value !== undefined && value.trim() !== '') return value;
  }
  return undefined;
}

/**
 * Whether a closed way with these tags is an area (a Polygon) rather than a closed line:
 * `area=yes|no` decides when present; walls and aqueducts are lines; everything the mapping
 * table selects (buildings, grounds, sites) is otherwise an area.
 *
 * @example
 * isOsmArea({ amenity: 'school' }); // true
 * isOsmArea({ historic: 'citywalls' }); // false
 */
export function isOsmArea(tags: OsmTags): boolean {
  if (tags.area === 'yes') return true;
  if (tags.area === 'no') return false;
  if (tags.building !== undefined && tags.building !== 'no') return true;
  const linear = ['citywalls', 'aqueduct', 'railway', 'road', 'path', 'ditch', 'tank_trap'];
  return !(tags.historic !== undefined && linear.includes(tags.historic));
}

/**
 * The protected-object fields an OSM object's tags give, or undefined when no mapping row
 * matches. Name from `name` (then `official_name`, `short_name`, `alt_name`); unnamed objects
 * are called after their kind and id ("Unnamed drinking water (osm:node/12)"), since many
 * mapped objects have no name. Topics are the category's defaults plus CPP for anything
 * tagged `historic` or `heritage`.
 *
 * @example
 * osmObjectFields({ amenity: 'hospital', name: 'Landesspital', 'name:en': 'State Hospital' }, 'osm:way/7');
 * // { category: 'medical', name: 'Landesspital', nameLatin: 'State Hospital', topics: ['PoC', 'CAAC'] }
 */
export function osmObjectFields(
  tags: OsmTags,
  sourceId: string,
):
  | { category: ObjectCategory; name: string; nameLatin?: string; topics: CrossCuttingTopic[] }
  | undefined {
  const rule = osmTagRuleOf(tags);
  if (rule === undefined) return undefined;
  const given = ['name', 'official_name', 'short_name', 'alt_name']
    .map((key) => tags[key])
    .find((value) => value !== undefined && value.trim() !== '');
  const name = given ?? `Unnamed ${rule.label} (${sourceId})`;
  const nameLatin = latinNameOf(tags);
  const topics = defaultTopics(rule.category);
  const heritage =
    (tags.historic !== undefined && tags.historic !== 'no') ||
    (tags.heritage !== undefined && tags.heritage !== 'no');
  if (heritage && !topics.includes('CPP')) topics.push('CPP');
  return {
    category: rule.category,
    name,
    ...(nameLatin !== undefined && nameLatin !== name ? { nameLatin } : {}),
    topics,
  };
}
