/**
 * The rules a screening input record must follow, shared by the in-memory API and the file
 * readers so both say the same thing about the same mistake.
 */

/** A protected object as screening sees it: a point, a standoff buffer and any attributes. */
export interface ScreeningObject<A = Readonly<Record<string, unknown>>> {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** Standoff buffer in metres (≥ 0), added to every action's radius. */
  readonly buffer_m: number;
  readonly attrs?: A;
}

/** A planned action: an aimpoint and the radius of its effect. */
export interface ScreeningAction {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** Effect radius in metres (≥ 0). */
  readonly radius_m: number;
}

/** What is wrong with one field of one record. */
export interface RecordProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The problem with a longitude/latitude pair, or undefined when both are valid (WGS 84 degrees,
 * lon −180..180, lat −90..90). A latitude out of range next to a longitude that would be a valid
 * latitude is reported as a probable swap.
 *
 * @example
 * lonLatProblem(50.4, 130.5); // { field: 'lat', message: 'lat 130.5 is outside −90..90 (are lon and lat swapped?)' }
 */
export function lonLatProblem(lon: unknown, lat: unknown): RecordProblem | undefined {
  if (lon === undefined) return { field: 'lon', message: 'lon is missing' };
  if (lat === undefined) return { field: 'lat', message: 'lat is missing' };
  if (typeof lon !== 'number' || !Number.isFinite(lon)) {
    return { field: 'lon', message: `lon must be a number of degrees, not ${show(lon)}` };
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat)) {
    return { field: 'lat', message: `lat must be a number of degrees, not ${show(lat)}` };
  }
  if (lat < -90 || lat > 90) {
    const hint = lon >= -90 && lon <= 90 ? ' (are lon and lat swapped?)' : '';
    return { field: 'lat', message: `lat ${lat} is outside −90..90${hint}` };
  }
  if (lon < -180 || lon > 180) {
    return { field: 'lon', message: `lon ${lon} is outside −180..180` };
  }
  return undefined;
}

/**
 * The problem with a distance field (`buffer_m`, `radius_m`), or undefined when it is a finite
 * number of metres ≥ 0.
 *
 * @example
 * metresProblem('radius_m', -5); // { field: 'radius_m', message: 'radius_m -5 is negative' }
 */
export function metresProblem(field: string, value: unknown): RecordProblem | undefined {
  if (value === undefined) return { field, message: `${field} is missing` };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { field, message: `${field} must be a number of metres, not ${show(value)}` };
  }
  if (value < 0) return { field, message: `${field} ${value} is negative` };
  return undefined;
}

/**
 * The problem with an id, or undefined when it is a non-empty string.
 *
 * @example
 * idProblem(17); // { field: 'id', message: 'id must be a string, not 17' }
 */
export function idProblem(value: unknown): RecordProblem | undefined {
  if (value === undefined) return { field: 'id', message: 'id is missing' };
  if (typeof value !== 'string') {
    return { field: 'id', message: `id must be a string, not ${show(value)}` };
  }
  if (value === '') return { field: 'id', message: 'id is empty' };
  return undefined;
}

/**
 * The first problem with a parsed object record (`{"id","lon","lat","buffer_m",…}`), or
 * undefined.
 *
 * @example
 * objectRecordProblem({ id: 'O1', lon: 30.5, lat: 50.4 }); // { field: 'buffer_m', message: 'buffer_m is missing' }
 */
export function objectRecordProblem(
  record: Readonly<Record<string, unknown>>,
): RecordProblem | undefined {
  return (
    idProblem(record.id) ??
    lonLatProblem(record.lon, record.lat) ??
    metresProblem('buffer_m', record.buffer_m)
  );
}

/**
 * The first problem with a parsed action record (`{"id","lon","lat","radius_m"}`), or undefined.
 *
 * @example
 * actionRecordProblem({ id: 'A1', lon: 30.5, lat: 50.4, radius_m: -1 }); // radius_m is negative
 */
export function actionRecordProblem(
  record: Readonly<Record<string, unknown>>,
): RecordProblem | undefined {
  return (
    idProblem(record.id) ??
    lonLatProblem(record.lon, record.lat) ??
    metresProblem('radius_m', record.radius_m)
  );
}

function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value)
    ? 'an array'
    : typeof value === 'object'
      ? 'an object'
      : String(value);
}

/**
 * Plain code-unit string order (what `Array.prototype.sort` does by default), the order of hit
 * ids in every screening result.
 *
 * @example
 * ['O9', 'O17', 'Ä'].sort(compareCodeUnits); // ['O17', 'O9', 'Ä']
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
