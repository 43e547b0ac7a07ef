/**
 * Reading a position as planners write it: MGRS, decimal "lat, lon", hemisphere-lettered decimal
 * degrees and degrees–minutes–seconds in the common written forms. Pure; no I/O.
 */
import mgrs from 'mgrs';

/** A position read from text, longitude first as everywhere in Civitas. */
export interface ParsedPosition {
  readonly ok: true;
  readonly lon: number;
  readonly lat: number;
  readonly kind: 'mgrs' | 'decimal' | 'hemisphere' | 'dms';
  /** Something the reader should check, e.g. an MGRS band that does not match its square. */
  readonly warning?: string;
}

/** Why a text is not a position. `rank` 2 = recognised but out of range; 1 = not recognised. */
export interface PositionProblem {
  readonly ok: false;
  readonly field: 'position' | 'lat' | 'lon' | 'mgrs';
  readonly message: string;
  readonly rank: 1 | 2;
}

const MGRS = /^(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z])([A-HJ-NP-V])(\d*)$/;

/** Unicode primes, quotes and degree look-alikes planners paste, as the ASCII we read. */
function normalise(text: string): string {
  return text
    .replace(/[′’‘´`]/g, "'")
    .replace(/[″”“]/g, '"')
    .replace(/''/g, '"')
    .replace(/[º˚]/g, '°')
    .replace(/\u00a0/g, ' ')
    .trim();
}

function notRecognised(text: string): PositionProblem {
  return {
    ok: false,
    field: 'position',
    message: `could not read ${JSON.stringify(text)} as a position (MGRS, "lat, lon", 50.45N 30.52E or DMS such as 50°27'00"N 30°31'12"E)`,
    rank: 1,
  };
}

/**
 * Reads an MGRS reference (with or without spaces, 1 m to 10 km precision) as the centre of its
 * square, or returns why not; undefined when the text does not look like MGRS at all.
 *
 * @example
 * parseMgrs('35T LC 12345 67890'); // { ok: true, lon: …, lat: …, kind: 'mgrs' }
 */
export function parseMgrs(text: string): ParsedPosition | PositionProblem | undefined {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  const m = MGRS.exec(compact);
  if (!m) return undefined;
  const zone = Number(m[1]);
  const digits = m[5]!;
  // Written with spaces, the easting and northing are two groups of the same length.
  const groups = (/^\s*\d{1,2}\s*[a-z]\s*[a-z]\s*[a-z]\s*(.*)$/i.exec(text)?.[1] ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (groups.length > 2 || (groups.length === 2 && groups[0]!.length !== groups[1]!.length)) {
    return {
      ok: false,
      field: 'mgrs',
      message: `MGRS ${text.trim()}: the easting and northing must have the same number of digits`,
      rank: 2,
    };
  }
  if (zone < 1 || zone > 60) {
    return { ok: false, field: 'mgrs', message: `MGRS zone ${zone} is outside 1..60`, rank: 2 };
  }
  if (digits.length === 0 || digits.length % 2 !== 0 || digits.length > 10) {
    return {
      ok: false,
      field: 'mgrs',
      message: `MGRS ${compact} needs an even number of digits, 2 (10 km) to 10 (1 m), not ${digits.length}`,
      rank: 2,
    };
  }
  let lon: number;
  let lat: number;
  try {
    [lon, lat] = mgrs.toPoint(compact);
  } catch (error) {
    return {
      ok: false,
      field: 'mgrs',
      message: `MGRS ${compact} is not a valid reference (${(error as Error).message})`,
      rank: 2,
    };
  }
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -80 || lat > 84) {
    return {
      ok: false,
      field: 'mgrs',
      message: `MGRS ${compact} is not a valid reference`,
      rank: 2,
    };
  }
  // The centre of the square read back at the same precision must name the same square; a
  // band letter that disagrees is worth a look (a typo in the band). Not for 10 km and 1 km
  // squares: a band or zone boundary may cut them, putting the centre in the next one.
  const back = digits.length >= 6 ? mgrs.forward([lon, lat], digits.length / 2) : compact;
  const prefix = (s: string) => s.slice(0, s.length - digits.length);
  const warning =
    prefix(back) === prefix(compact)
      ? undefined
      : `MGRS ${compact}: its centre lies in ${prefix(back)}, not ${prefix(compact)}; check the band and square letters`;
  return { ok: true, lon, lat, kind: 'mgrs', ...(warning ? { warning } : {}) };
}

/**
 * Reads one angle: decimal degrees, degrees and minutes, or degrees–minutes–seconds separated by
 * symbols (° ' ") or spaces, or the compact DDMMSS / DDDMMSS (and DDMM / DDDMM) forms. Returns
 * the degrees and whether minutes or seconds were present, or undefined.
 */
function parseAngle(
  text: string,
  axis: 'lat' | 'lon',
): { value: number; dms: boolean } | { error: string } | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const compact = /^(\d+)(\.\d+)?$/.exec(t);
  if (compact) {
    const whole = compact[1]!;
    const frac = compact[2] ?? '';
    const degDigits = axis === 'lat' ? 2 : 3;
    if (whole.length <= degDigits) return { value: Number(t), dms: false };
    if (whole.length === degDigits + 2 || whole.length === degDigits + 4) {
      const d = Number(whole.slice(0, degDigits));
      const mm = whole.slice(degDigits, degDigits + 2);
      const ss = whole.slice(degDigits + 2);
      const minutes = ss === '' ? Number(mm + frac) : Number(mm);
      const seconds = ss === '' ? 0 : Number(ss + frac);
      return dmsValue(d, minutes, seconds, t);
    }
    return {
      error: `${JSON.stringify(t)} is neither degrees nor ${axis === 'lat' ? 'DDMMSS' : 'DDDMMSS'}`,
    };
  }
  const parts = t
    .split(/\s*[°d'":\s]\s*/i)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length < 1 || parts.length > 3) return undefined;
  if (!parts.every((p) => /^\d+(\.\d+)?$/.test(p))) return undefined;
  if (parts.slice(0, -1).some((p) => p.includes('.'))) {
    return {
      error: `${JSON.stringify(t)}: only the last of degrees, minutes, seconds may have decimals`,
    };
  }
  const [d = 0, m = 0, s = 0] = parts.map(Number);
  if (parts.length === 1) return { value: d, dms: false };
  return dmsValue(d, m, s, t);
}

function dmsValue(
  d: number,
  m: number,
  s: number,
  text: string,
): { value: number; dms: boolean } | { error: string } {
  if (m >= 60) return { error: `${JSON.stringify(text)}: minutes ${m} must be below 60` };
  if (s >= 60) return { error: `${JSON.stringify(text)}: seconds ${s} must be below 60` };
  return { value: d + m / 60 + s / 3600, dms: true };
}

function rangeProblem(lat: number, lon: number, latFirst: boolean): PositionProblem | undefined {
  if (!(lat >= -90 && lat <= 90)) {
    const hint =
      latFirst && lon >= -90 && lon <= 90
        ? ' (positions are written lat first: are lat and lon swapped?)'
        : '';
    return {
      ok: false,
      field: 'lat',
      message: `lat ${lat} is outside −90..90${hint}`,
      rank: 2,
    };
  }
  if (!(lon >= -180 && lon <= 180)) {
    return { ok: false, field: 'lon', message: `lon ${lon} is outside −180..180`, rank: 2 };
  }
  return undefined;
}

/** "50.45N 30.52E", "N50.45 E30.52", 50°27'00"N 30°31'12"E, 502700N 0303112E, either order. */
function parseLettered(text: string): ParsedPosition | PositionProblem | undefined {
  const t = text.toUpperCase();
  const letters = t.replace(/[^NSEW]/g, '');
  if (letters.length !== 2) return undefined;
  const patterns: [RegExp, 'suffix' | 'prefix'][] = [
    [/^([^NSEW]+?)\s*([NSEW])[\s,;/]*([^NSEW]+?)\s*([NSEW])$/, 'suffix'],
    [/^([NSEW])\s*([^NSEW]+?)[\s,;/]+([NSEW])\s*([^NSEW]+?)$/, 'prefix'],
  ];
  for (const [re, form] of patterns) {
    const m = re.exec(t);
    if (!m) continue;
    const [a, h1, b, h2] =
      form === 'suffix' ? [m[1]!, m[2]!, m[3]!, m[4]!] : [m[2]!, m[1]!, m[4]!, m[3]!];
    const isLat = (h: string) => h === 'N' || h === 'S';
    if (isLat(h1) === isLat(h2)) {
      return {
        ok: false,
        field: 'position',
        message: `${JSON.stringify(text)} has two ${isLat(h1) ? 'N/S' : 'E/W'} letters: give one latitude (N/S) and one longitude (E/W)`,
        rank: 2,
      };
    }
    const [latText, latH, lonText, lonH] = isLat(h1) ? [a, h1, b, h2] : [b, h2, a, h1];
    const la = parseAngle(latText.replace(/[,;]$/, ''), 'lat');
    const lo = parseAngle(lonText.replace(/[,;]$/, ''), 'lon');
    if (la && 'error' in la) return { ok: false, field: 'lat', message: la.error, rank: 2 };
    if (lo && 'error' in lo) return { ok: false, field: 'lon', message: lo.error, rank: 2 };
    if (!la || !lo) return undefined;
    const lat = latH === 'S' ? -la.value : la.value;
    const lon = lonH === 'W' ? -lo.value : lo.value;
    const problem = rangeProblem(lat, lon, false);
    if (problem) return problem;
    return { ok: true, lon, lat, kind: la.dms || lo.dms ? 'dms' : 'hemisphere' };
  }
  return undefined;
}

/** Signed angle without a hemisphere letter: "-50°27'00\"" or "50.45". */
function parseSigned(text: string, axis: 'lat' | 'lon') {
  const t = text.trim();
  const sign = t.startsWith('-') ? -1 : 1;
  const a = parseAngle(t.replace(/^[+-]/, ''), axis);
  if (!a || 'error' in a) return a;
  return { value: sign * a.value, dms: a.dms };
}

/**
 * Reads a position as a planner writes it, latitude first where the form has no letters:
 *
 * - MGRS, with or without spaces, 2–10 digits (`35TLC1234567890`, `35T LC 12345 67890`): the centre
 *   of the square;
 * - decimal `lat, lon` or `lat lon` (`50.45, 30.52`, `-3.38 29.36`);
 * - hemisphere-lettered decimal (`50.45N 30.52E`, `N50.45 E30.52`, either order);
 * - DMS with letters, with or without symbols (`50°27'00"N 30°31'12"E`, `50 27 00 N 30 31 12 E`,
 *   `502700N 0303112E`, `5027N 03031E`), and signed DMS with symbols (`-50°27'00" 30°31'12"`).
 *
 * @example
 * parsePosition('50°27\'00"N 30°31\'12"E'); // { ok: true, lat: 50.45, lon: 30.52, kind: 'dms' }
 * parsePosition('130.5, 50.4'); // { ok: false, field: 'lat', message: 'lat 130.5 is outside −90..90 (… swapped?)' }
 */
export function parsePosition(input: string): ParsedPosition | PositionProblem {
  const text = normalise(input);
  if (text === '') return { ok: false, field: 'position', message: 'position is empty', rank: 1 };
  const grid = parseMgrs(text);
  if (grid) return grid;
  const lettered = parseLettered(text);
  if (lettered) return lettered;
  const decimal = /^([+-]?\d+(?:\.\d+)?)\s*[,;\s/]\s*([+-]?\d+(?:\.\d+)?)$/.exec(text);
  if (decimal) {
    const lat = Number(decimal[1]);
    const lon = Number(decimal[2]);
    return rangeProblem(lat, lon, true) ?? { ok: true, lon, lat, kind: 'decimal' };
  }
  // Signed DMS with symbols and no letters: split before the second degree sign.
  const degreeSigns = [...text.matchAll(/°/g)].map((m) => m.index);
  if (degreeSigns.length === 2) {
    const before = text.slice(0, degreeSigns[1]);
    const cut = before.search(/[\s,;]+[+-]?\d+(?:\.\d+)?\s*$/);
    if (cut > 0) {
      const la = parseSigned(text.slice(0, cut).replace(/[\s,;]+$/, ''), 'lat');
      const lo = parseSigned(text.slice(cut).replace(/^[\s,;]+/, ''), 'lon');
      if (la && 'error' in la) return { ok: false, field: 'lat', message: la.error, rank: 2 };
      if (lo && 'error' in lo) return { ok: false, field: 'lon', message: lo.error, rank: 2 };
      if (la && lo) {
        return (
          rangeProblem(la.value, lo.value, true) ?? {
            ok: true,
            lon: lo.value,
            lat: la.value,
            kind: 'dms',
          }
        );
      }
    }
  }
  return notRecognised(input.trim());
}
