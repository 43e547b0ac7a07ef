import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * How precisely the place of an event, casualty or report is known, on the scale of UCDP
 * GED's `where_prec` (1 = most precise, 7 = least). `number` is the `where_prec` value, so
 * records can be exchanged with conflict-event datasets without a mapping table.
 *
 * A record's coordinates are always a point; this code says how far that point can be
 * trusted. Maps and screenings must not treat a precision-6 country centroid as a place.
 *
 * @example
 * LocationPrecision.get('ADM2').number; // 3
 * locationPrecisionFromWherePrec(6); // 'COUNTRY'
 */
export const LocationPrecision = defineCodeList('locationPrecision', [
  {
    code: 'EXACT',
    number: 1,
    label: 'Exact location',
    description:
      'The exact place is known, such as a named village, building or coordinate pair, and the point is that place.',
  },
  {
    code: 'NEAR',
    number: 2,
    label: 'Within about 25 km of a known point',
    description:
      'The place is known only to be near a known point, within about 25 km of it ("near", "in the area of"); the point is that known point.',
  },
  {
    code: 'ADM2',
    number: 3,
    label: 'Second-order administrative division',
    description:
      'Only the second-order administrative division (district, municipality) is known; the point represents that division.',
  },
  {
    code: 'ADM1',
    number: 4,
    label: 'First-order administrative division',
    description:
      'Only the first-order administrative division (province, region, oblast) is known; the point represents that division.',
  },
  {
    code: 'FEATURE',
    number: 5,
    label: 'Linear feature or larger area',
    description:
      'The place is known only as a linear feature (a road, river or border), a wider area that is not an administrative unit, or somewhere between two places more than 25 km apart.',
  },
  {
    code: 'COUNTRY',
    number: 6,
    label: 'Country',
    description: 'Only the country is known; the point represents the country as a whole.',
  },
  {
    code: 'INTERNATIONAL',
    number: 7,
    label: 'International waters or airspace',
    description:
      'The event took place in international waters or international airspace, outside any country.',
  },
]);

/**
 * A location precision code (`'EXACT' | 'NEAR' | 'ADM2' | 'ADM1' | 'FEATURE' | 'COUNTRY' | 'INTERNATIONAL'`).
 *
 * @example
 * const precision: LocationPrecision = 'NEAR';
 */
export type LocationPrecision = CodeOf<typeof LocationPrecision>;

/**
 * Accepts a location precision code.
 *
 * @example
 * locationPrecisionSchema.parse('ADM1');
 */
export const locationPrecisionSchema = LocationPrecision.schema;

/**
 * The location precision for a UCDP GED `where_prec` value (1–7), or `undefined` for any
 * other value, so importers can report the row instead of guessing.
 *
 * @example
 * locationPrecisionFromWherePrec(1); // 'EXACT'
 * locationPrecisionFromWherePrec(8); // undefined
 */
export function locationPrecisionFromWherePrec(wherePrec: number): LocationPrecision | undefined {
  return LocationPrecision.entries.find((entry) => entry.number === wherePrec)?.code;
}
