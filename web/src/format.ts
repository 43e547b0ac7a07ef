// Formatting of positions and times, in the two notations users read: military (MGRS, date-time
// groups) and civil (latitude/longitude, ISO 8601).
import { forward } from 'mgrs';

/**
 * Latitude, longitude in decimal degrees with 5 places (about 1 m).
 *
 * @example formatLatLon(18.5582, 4.3612); // '4.36120, 18.55820'
 */
export function formatLatLon(lon: number, lat: number): string {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}

/**
 * MGRS grid reference, grouped for reading aloud, or null outside MGRS's latitude range.
 * `digits` is the precision per axis: 5 → 1 m, 4 → 10 m, 3 → 100 m.
 *
 * @example formatMgrs(18.5582, 4.3612); // '34N BJ 16867 82069' (1 m)
 */
export function formatMgrs(lon: number, lat: number, digits = 5): string | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -80 || lat > 84) return null;
  try {
    const raw = forward([wrapLon(lon), lat], digits);
    const match = /^(\d{1,2}[C-X])([A-Z]{2})(\d*)$/.exec(raw);
    if (!match) return raw;
    const [, zone = '', square = '', numbers = ''] = match;
    const half = numbers.length / 2;
    return [zone, square, numbers.slice(0, half), numbers.slice(half)].filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A NATO date-time group in UTC (DDHHMMZ MON YY).
 *
 * @example formatDtg('2026-07-09T16:30:00Z'); // '091630Z JUL 26'
 */
export function formatDtg(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = two(date.getUTCDate());
  const time = `${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
  const year = two(date.getUTCFullYear() % 100);
  return `${day}${time}Z ${months[date.getUTCMonth()] ?? ''} ${year}`;
}

/**
 * An ISO 8601 date and UTC time to the minute.
 *
 * @example formatIsoMinute('2026-07-09T16:30:00Z'); // '2026-07-09 16:30Z'
 */
export function formatIsoMinute(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
