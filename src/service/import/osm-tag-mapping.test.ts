import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectCategory } from '../../domain/protected-object/protected-object.js';
import { isOsmArea, OSM_TAG_RULES, osmObjectFields, osmTagRuleOf } from './osm-tag-mapping.js';

describe('the OSM tag mapping', () => {
  it.each([
    [{ amenity: 'hospital' }, 'medical'],
    [{ amenity: 'clinic' }, 'medical'],
    [{ amenity: 'doctors' }, 'medical'],
    [{ healthcare: 'laboratory' }, 'medical'],
    [{ amenity: 'school' }, 'education'],
    [{ amenity: 'kindergarten' }, 'education'],
    [{ amenity: 'college' }, 'education'],
    [{ amenity: 'university' }, 'education'],
    [{ amenity: 'place_of_worship', religion: 'christian' }, 'religious'],
    [{ historic: 'memorial' }, 'cultural'],
    [{ heritage: '2' }, 'cultural'],
    [{ man_made: 'water_works' }, 'water'],
    [{ man_made: 'water_tower' }, 'water'],
    [{ man_made: 'wastewater_plant' }, 'water'],
    [{ man_made: 'pumping_station' }, 'water'],
    [{ power: 'plant' }, 'power'],
    [{ power: 'generator' }, 'power'],
    [{ power: 'substation' }, 'power'],
    [{ man_made: 'mast', 'tower:type': 'communication' }, 'communications'],
    [{ amenity: 'social_facility', social_facility: 'shelter' }, 'humanitarian'],
    [{ railway: 'station' }, 'transport'],
  ])('maps %j to %s', (tags, category) => {
    expect(osmTagRuleOf(tags)?.category).toBe(category);
  });

  it.each([
    [{ highway: 'residential' }],
    [{ healthcare: 'no' }],
    [{ historic: 'no' }],
    [{ man_made: 'mast' }],
    [{ amenity: 'social_facility', social_facility: 'food_bank' }],
    [{ power: 'line' }],
  ])('maps nothing for %j', (tags) => {
    expect(osmTagRuleOf(tags)).toBeUndefined();
  });

  it('gives a hospital in a historic building the medical category and the CPP topic', () => {
    expect(
      osmObjectFields(
        { amenity: 'hospital', historic: 'building', name: 'Altes Spital' },
        'osm:way/1',
      ),
    ).toEqual({
      category: 'medical',
      name: 'Altes Spital',
      topics: ['PoC', 'CAAC', 'CPP'],
    });
  });

  it('reads the transliteration from name:*-Latn, name:latin, int_name or name:en, in that order', () => {
    const tags = { amenity: 'school', name: 'Школа', 'name:en': 'School', int_name: 'Shkola' };
    expect(osmObjectFields(tags, 'osm:node/1')?.nameLatin).toBe('Shkola');
    expect(
      osmObjectFields({ ...tags, 'name:uk-Latn': 'Shkola No. 1' }, 'osm:node/1')?.nameLatin,
    ).toBe('Shkola No. 1');
  });

  it('names an unnamed object after its kind and id', () => {
    expect(osmObjectFields({ amenity: 'drinking_water' }, 'osm:node/7')?.name).toBe(
      'Unnamed drinking water (osm:node/7)',
    );
    expect(
      osmObjectFields({ amenity: 'school', official_name: 'Primarschule' }, 'osm:way/7')?.name,
    ).toBe('Primarschule');
  });

  it('uses only known categories', () => {
    for (const rule of OSM_TAG_RULES) expect(ObjectCategory.is(rule.category)).toBe(true);
  });

  it('treats closed ways as areas unless they are walls or tagged area=no', () => {
    expect(isOsmArea({ amenity: 'school' })).toBe(true);
    expect(isOsmArea({ historic: 'citywalls' })).toBe(false);
    expect(isOsmArea({ historic: 'citywalls', building: 'yes' })).toBe(true);
    expect(isOsmArea({ amenity: 'school', area: 'no' })).toBe(false);
  });
});

describe('docs/import-formats.md', () => {
  it('shows the tag mapping table exactly as OSM_TAG_RULES has it', () => {
    const doc = readFileSync(resolve(process.cwd(), 'docs/import-formats.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### OSM tag mapping'), doc.indexOf('## Measured'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (?:`([^`]+)`)? *\| (\w+) \|$/gm)].map(
      ([, tag, also, category]) => [tag?.replaceAll('\\|', '|'), also ?? '', category],
    );
    const expected = OSM_TAG_RULES.map((rule) => [
      `${rule.key}=${rule.values === '*' ? '*' : rule.values.join('|')}`,
      rule.also === undefined ? '' : `${rule.also.key}=${rule.also.values.join('|')}`,
      rule.category,
    ]);
    expect(rows).toEqual(expected);
  });
});
