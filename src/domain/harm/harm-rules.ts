import type { MultiPolygon, Polygon } from 'geojson';
import { geometryDistanceMetres } from '../../geo/index.js';
import type { Viewer } from '../access/viewer.js';
import type { FieldProblem } from '../shared/civitas-error.js';
import { DatePrecision } from '../taxonomy/date-precision.js';
import {
  LocationPrecision,
  type LocationPrecision as LocationPrecisionCode,
} from '../taxonomy/location-precision.js';
import { combineMarkings } from '../taxonomy/marking.js';
import type { HarmCause } from './harm-codes.js';
import { ageGroupForAge, type AgeGroup } from '../taxonomy/population-disaggregation.js';
import type {
  Breakdown,
  BreakdownEstimate,
  Casualty,
  Estimate,
  HarmDate,
  HarmIncident,
  HarmReport,
  HarmWarning,
  NewHarmReport,
} from './harm.js';

const DAY_MS = 86_400_000;

/** Days from `a` to `b` (YYYY-MM-DD or ISO date-times), counting whole UTC days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / DAY_MS);
}

/** Whether a YYYY-MM-DD string is a real calendar date. */
function isCalendarDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** An administrative area Civitas holds the outline of (an AO's region), by its code. */
export interface AdminRegion {
  readonly code: string;
  readonly name: string;
  readonly geometry: Polygon | MultiPolygon;
}

/**
 * How far (km) the real place of a report may lie from its point, by location precision: an
 * exact point is the place; "near" is UCDP's 25 km; an admin-level point stands for a whole
 * district, oblast or country, so a report at that level may match anything within that radius.
 * Correlation and the admin-area check both read it.
 */
export const PRECISION_RADIUS_KM: Readonly<Record<LocationPrecisionCode, number>> = Object.freeze({
  EXACT: 0,
  NEAR: 25,
  ADM2: 40,
  ADM1: 150,
  FEATURE: 50,
  COUNTRY: 1000,
  INTERNATIONAL: 300,
});
/** Geocoding slack added to every precision: a point on the wrong side of a border line (km). */
export const ADMIN_BORDER_TOLERANCE_KM = 2;

/**
 * A report whose point lies outside the admin area it states, where Civitas has that area's
 * outline (regions with that code; none: no check). Inside: nothing. Outside but within the
 * report's own precision radius plus {@link ADMIN_BORDER_TOLERANCE_KM}: accepted with the
 * warning `outside_admin_area` — a border village geocoded a little off, or an "oblast-level"
 * point set on a neighbouring town, are how real reports look. Farther than that: rejected,
 * because the point and the area contradict each other beyond what the report itself claims
 * (docs/harm.md).
 */
export function checkAdminArea(
  report: Pick<NewHarmReport, 'location'>,
  regions: readonly AdminRegion[],
  problems: FieldProblem[],
  warnings: HarmWarning[],
): void {
  const code = report.location.adminCode;
  const outlines = regions.filter((r) => code !== null && r.code === code);
  if (outlines.length === 0) return;
  const { lon, lat, precision } = report.location;
  const metres = Math.min(...outlines.map((r) => geometryDistanceMetres(lon, lat, r.geometry)));
  if (metres === 0) return;
  const km = Math.round(metres / 100) / 10;
  const slack = (PRECISION_RADIUS_KM[precision] ?? 0) + ADMIN_BORDER_TOLERANCE_KM;
  const where = `${code} (${outlines[0]!.name})`;
  if (km <= slack) {
    warnings.push({
      code: 'outside_admin_area',
      path: 'location',
      message: `the point lies ${km} km outside ${where}, within its precision (${slack} km)`,
    });
  } else {
    problems.push({
      path: 'location',
      message: `the point lies ${km} km outside its stated admin area ${where}, farther than its precision allows (${slack} km): correct the point, the area or the precision`,
    });
  }
}

/** What {@link checkReport} found: problems reject the report, warnings are recorded on it. */
export interface ReportCheck {
  readonly problems: FieldProblem[];
  readonly warnings: HarmWarning[];
}

function checkEstimate(prefix: string, e: Estimate, problems: FieldProblem[]): void {
  if (e.low > e.best || e.best > e.high) {
    problems.push({
      path: `${prefix}`,
      message: `low ≤ best ≤ high does not hold (low ${e.low}, best ${e.best}, high ${e.high}): correct the estimates`,
    });
  }
}

function checkBreakdown(
  prefix: string,
  total: Estimate,
  breakdown: Breakdown,
  problems: FieldProblem[],
  warnings: HarmWarning[],
): void {
  for (const dimension of ['sex', 'age'] as const) {
    const sum = Object.values(breakdown[dimension]).reduce<number>((a, n) => a + (n ?? 0), 0);
    const path = `${prefix}Breakdown.${dimension}`;
    if (sum > total.high) {
      problems.push({
        path,
        message: `the ${dimension} breakdown counts ${sum} people, more than the high estimate ${total.high}: raise the estimate or correct the breakdown`,
      });
    } else if (sum > total.best) {
      warnings.push({
        code: 'breakdown_exceeds_best',
        path,
        message: `the ${dimension} breakdown counts ${sum} people, more than the best estimate ${total.best}`,
      });
    }
  }
}

function checkDate(date: HarmDate, receivedAt: string, now: string, problems: FieldProblem[]) {
  for (const key of ['start', 'end'] as const) {
    if (!isCalendarDate(date[key]))
      problems.push({ path: `date.${key}`, message: `${date[key]} is not a calendar date` });
  }
  if (problems.length > 0) return;
  if (date.end < date.start) {
    problems.push({
      path: 'date.end',
      message: `the end ${date.end} is before the start ${date.start}: swap them or correct one`,
    });
  }
  if (daysBetween(now, date.start) > 0) {
    problems.push({
      path: 'date.start',
      message: `the start ${date.start} is in the future (today is ${now.slice(0, 10)})`,
    });
  }
  if (daysBetween(receivedAt, date.start) > 0) {
    problems.push({
      path: 'date.start',
      message: `the harm starts ${date.start}, after the report was received (${receivedAt.slice(0, 10)})`,
    });
  }
}

/**
 * Checks a report beyond its shape, at time `now`. Rejected (problems): estimates where
 * low ≤ best ≤ high does not hold, a date range ending before it starts, a harm date or receipt
 * in the future, a harm date after receipt, a breakdown counting more people than the high
 * estimate. Accepted with a warning: a breakdown above the best but within the high estimate,
 * a date range wider than its precision allows, a report received more than a year after the
 * harm. docs/harm.md gives the reasons.
 *
 * @example
 * checkReport(report, '2024-05-02T10:00:00Z').problems; // [] when the report is consistent
 */
export function checkReport(
  report: NewHarmReport,
  now: string,
  regions: readonly AdminRegion[] = [],
): ReportCheck {
  const problems: FieldProblem[] = [];
  const warnings: HarmWarning[] = [];
  checkAdminArea(report, regions, problems, warnings);
  checkEstimate('killed', report.killed, problems);
  checkEstimate('injured', report.injured, problems);
  checkBreakdown('killed', report.killed, report.killedBreakdown, problems, warnings);
  checkBreakdown('injured', report.injured, report.injuredBreakdown, problems, warnings);
  if (Date.parse(report.receivedAt) > Date.parse(now) + 5 * 60_000) {
    problems.push({
      path: 'receivedAt',
      message: `received ${report.receivedAt} is in the future (now is ${now})`,
    });
  }
  checkDate(report.date, report.receivedAt, now, problems);
  if (problems.length === 0) {
    const span = daysBetween(report.date.start, report.date.end) + 1;
    const allowed = DatePrecision.get(report.date.precision).maxSpanDays;
    if (span > allowed) {
      warnings.push({
        code: 'date_span_exceeds_precision',
        path: 'date',
        message: `the date range spans ${span} days, wider than ${DatePrecision.label(report.date.precision).toLowerCase()} (${allowed})`,
      });
    }
    if (daysBetween(report.date.end, report.receivedAt) > 366) {
      warnings.push({
        code: 'received_long_after',
        path: 'receivedAt',
        message: `received more than a year after the harm (${report.date.end})`,
      });
    }
  }
  return { problems, warnings };
}

/**
 * The reconciled figures of an incident from its reports' estimates, as Airwars publishes
 * ranges: `low` is the lowest low any report gives, `high` the highest high, `best` the median
 * of the reports' best estimates (the lower middle one when even), kept within [low, high].
 * No reports: zero.
 *
 * @example
 * reconcile([{ low: 1, best: 2, high: 4 }, { low: 3, best: 5, high: 5 }]); // { low: 1, best: 2, high: 5 }
 */
export function reconcile(estimates: readonly Estimate[]): Estimate {
  if (estimates.length === 0) return { low: 0, best: 0, high: 0 };
  const low = Math.min(...estimates.map((e) => e.low));
  const high = Math.max(...estimates.map((e) => e.high));
  const bests = estimates.map((e) => e.best).sort((a, b) => a - b);
  const median = bests[Math.floor((bests.length - 1) / 2)] as number;
  return { low, best: Math.min(high, Math.max(low, median)), high };
}

/** The age group of a casualty: the stated group, else the one of the age in years. */
export function casualtyAgeGroup(ageYears: number | null, stated?: AgeGroup): AgeGroup {
  return stated ?? ageGroupForAge(ageYears);
}

/**
 * Whether a viewer may see a casualty's name: the role must hold `read` on `casualty_name`
 * (a need-to-know permission), and a child's name is further limited to the CHILD-IDENTITY
 * compartment, as any record that could identify a child.
 *
 * @example
 * mayReadCasualtyName(true, viewer, { ageGroup: 'CHILD' }); // only when viewer holds CHILD-IDENTITY
 */
export function mayReadCasualtyName(
  namePermission: boolean,
  viewer: Viewer,
  casualty: Pick<Casualty, 'ageGroup'>,
): boolean {
  if (!namePermission) return false;
  return casualty.ageGroup !== 'CHILD' || viewer.compartments.includes('CHILD-IDENTITY');
}

/**
 * An incident's breakdown from its reports' breakdowns: for each sex and each age group that
 * at least one report gives, {@link reconcile} over the reports that give it (lowest, median,
 * highest of their counts). Reports that leave a key out do not pull it towards zero.
 *
 * @example
 * reconcileBreakdown([{ sex: { FEMALE: 2 }, age: {} }, { sex: { FEMALE: 4, MALE: 1 }, age: {} }]);
 * // { sex: { FEMALE: { low: 2, best: 2, high: 4 }, MALE: { low: 1, best: 1, high: 1 } }, age: {} }
 */
export function reconcileBreakdown(breakdowns: readonly Breakdown[]): BreakdownEstimate {
  const side = <K extends string>(parts: readonly Partial<Record<K, number>>[]) => {
    const values = new Map<K, number[]>();
    for (const part of parts) {
      for (const [key, n] of Object.entries(part) as [K, number | undefined][]) {
        if (n === undefined) continue;
        values.set(key, [...(values.get(key) ?? []), n]);
      }
    }
    const out: Partial<Record<K, Estimate>> = {};
    for (const key of [...values.keys()].sort()) {
      out[key] = reconcile(values.get(key)!.map((n) => ({ low: n, best: n, high: n })));
    }
    return out;
  };
  return { sex: side(breakdowns.map((b) => b.sex)), age: side(breakdowns.map((b) => b.age)) };
}

/**
 * The ISO 8601 week of a day, as `YYYY-Www` (the week belongs to the year of its Thursday), so
 * that the labels sort in time order.
 *
 * @example
 * isoWeek('2021-01-03'); // '2020-W53'
 */
export function isoWeek(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD) of the ISO week a day falls in. */
export function weekMonday(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - weekday * DAY_MS).toISOString().slice(0, 10);
}

/** What an incident takes from its reports. */
export type DerivedIncident = Pick<
  HarmIncident,
  | 'location'
  | 'date'
  | 'cause'
  | 'killed'
  | 'injured'
  | 'killedBreakdown'
  | 'injuredBreakdown'
  | 'reportCount'
  | 'marking'
  | 'topics'
>;

/**
 * An incident's place, date, cause, figures and marking from its reports: the place of the most
 * precisely located report, the dates of the most precisely dated one (ties: the earliest
 * received), the cause most reports give (other than UNKNOWN), figures by {@link reconcile},
 * the combined marking (highest classification, common releasability) and every topic.
 *
 * @example
 * deriveIncident([report]).killed; // the report's own estimate
 */
export function deriveIncident(reports: readonly HarmReport[]): DerivedIncident {
  if (reports.length === 0) throw new RangeError('An incident needs at least one report.');
  const ordered = [...reports].sort(
    (a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id),
  );
  const placeOf = ordered.reduce((best, r) =>
    LocationPrecision.get(r.location.precision).number <
    LocationPrecision.get(best.location.precision).number
      ? r
      : best,
  );
  const dateOf = ordered.reduce((best, r) =>
    DatePrecision.get(r.date.precision).number < DatePrecision.get(best.date.precision).number
      ? r
      : best,
  );
  const causes = new Map<HarmCause, number>();
  for (const r of ordered)
    if (r.cause !== 'UNKNOWN') causes.set(r.cause, (causes.get(r.cause) ?? 0) + 1);
  let cause: HarmCause = 'UNKNOWN';
  for (const [c, n] of causes) if (n > (causes.get(cause) ?? 0)) cause = c;
  return {
    location: placeOf.location,
    date: dateOf.date,
    cause,
    killed: reconcile(ordered.map((r) => r.killed)),
    injured: reconcile(ordered.map((r) => r.injured)),
    killedBreakdown: reconcileBreakdown(ordered.map((r) => r.killedBreakdown)),
    injuredBreakdown: reconcileBreakdown(ordered.map((r) => r.injuredBreakdown)),
    reportCount: ordered.length,
    marking: combineMarkings(ordered.map((r) => r.marking)),
    topics: [...new Set(ordered.flatMap((r) => r.topics))].sort(),
  };
}
