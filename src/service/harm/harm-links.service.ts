import { BASE_TOLERANCE_KM, PRECISION_RADIUS_KM } from '../../analysis/harm/correlate.js';
import { canSee } from '../../domain/access/viewer.js';
import {
  newLessonSchema,
  type DamagedObject,
  type Estimate,
  type HarmIncident,
  type HarmLesson,
  type HarmReport,
  type NewLesson,
} from '../../domain/harm/harm.js';
import type { ObjectCategory } from '../../domain/protected-object/protected-object.js';
import type { Marking } from '../../domain/taxonomy/index.js';
import { haversineMetres } from '../../geo/index.js';
import type { Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { assertWritableMarking } from '../area/area.service.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { viewFor } from '../screening/register-screening.service.js';
import { getIncident, getReport } from './harm.service.js';

/**
 * The rule that links a saved screening to an incident (docs/harm.md): a screened aimpoint
 * whose effect radius reaches the area the incident's location may stand for — its precision
 * radius plus a geocoding tolerance — and a screening saved no more than `daysBefore` days
 * before the incident's first day and no later than `daysAfter` days after its last.
 */
export const SCREENING_LINK_RULE = Object.freeze({
  toleranceKm: BASE_TOLERANCE_KM / 2,
  daysBefore: 90,
  daysAfter: 1,
});

const DAY_MS = 86_400_000;
const SCAN_PAGE = 200;

/** An aimpoint of a linked screening: where, how far from the incident, what was estimated. */
export interface LinkedAimpoint {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly radiusM: number;
  readonly distanceM: number;
  readonly estimated: {
    readonly population: number | null;
    readonly hits: number;
    readonly withheldHits: number;
    readonly flags: readonly string[];
  };
}

/** A screening linked to an incident, as the reader may see it. */
export interface LinkedScreening {
  readonly screeningId: string;
  readonly title: string;
  readonly planReference: string | null;
  readonly createdAt: string;
  readonly marking: Marking;
  readonly aimpoints: readonly LinkedAimpoint[];
}

/** An incident's linked screenings with the rule applied and the harm reported. */
export interface IncidentScreenings {
  readonly rule: {
    readonly precisionRadiusKm: number;
    readonly toleranceKm: number;
    readonly daysBefore: number;
    readonly daysAfter: number;
  };
  readonly reported: { readonly killed: Estimate; readonly injured: Estimate };
  readonly items: readonly LinkedScreening[];
}

/**
 * The saved screenings whose aimpoints and time fit an incident ({@link SCREENING_LINK_RULE}),
 * each aimpoint's estimate (exposed population, hits) beside the harm reported. Only
 * screenings the reader may see are considered — one above their access is not even counted —
 * and each is the reader's view of it (hits they may not see are withheld, as on the
 * screening page). Needs `read` on incidents and on screenings.
 *
 * @example
 * const { items, reported } = await incidentScreenings(deps, actor, incidentId);
 */
export async function incidentScreenings(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
): Promise<IncidentScreenings> {
  await authorize(deps, actor, 'screening', 'read');
  const incident = await getIncident(deps, actor, incidentId);
  const viewer = viewerOf(actor!);
  const precisionRadiusKm = PRECISION_RADIUS_KM[incident.location.precision];
  const earliest = new Date(
    Date.parse(`${incident.date.start}T00:00:00Z`) - SCREENING_LINK_RULE.daysBefore * DAY_MS,
  ).toISOString();
  const latest = new Date(
    Date.parse(`${incident.date.end}T00:00:00Z`) + (SCREENING_LINK_RULE.daysAfter + 1) * DAY_MS,
  ).toISOString();
  const reach = (precisionRadiusKm + SCREENING_LINK_RULE.toleranceKm) * 1000;

  const items: LinkedScreening[] = [];
  // Screenings come newest first: stop at the first one saved before the window.
  scan: for (let offset = 0; ; offset += SCAN_PAGE) {
    const page = await deps.store.screenings.list(viewer, { limit: SCAN_PAGE, offset });
    for (const header of page.items) {
      if (header.createdAt < earliest) break scan;
      if (header.createdAt >= latest) continue;
      const screening = await deps.store.screenings.get(header.id, viewer);
      if (!screening) continue;
      const view = viewFor(screening, viewer, { id: screening.createdBy, username: '' });
      const aimpoints = view.aimpoints.flatMap((a): LinkedAimpoint[] => {
        const distanceM = haversineMetres(
          a.lon,
          a.lat,
          incident.location.lon,
          incident.location.lat,
        );
        if (distanceM > reach + a.radius_m) return [];
        return [
          {
            id: a.id,
            lon: a.lon,
            lat: a.lat,
            radiusM: a.radius_m,
            distanceM: Math.round(distanceM),
            estimated: {
              population: a.population === null ? null : a.population.best,
              hits: a.hits.length,
              withheldHits: a.withheld_hits,
              flags: a.flags,
            },
          },
        ];
      });
      if (aimpoints.length === 0) continue;
      items.push({
        screeningId: screening.id,
        title: screening.title,
        planReference: screening.planReference,
        createdAt: screening.createdAt,
        marking: view.marking,
        aimpoints,
      });
    }
    if (page.items.length < SCAN_PAGE) break;
  }
  return {
    rule: { precisionRadiusKm, ...SCREENING_LINK_RULE },
    reported: { killed: incident.killed, injured: incident.injured },
    items,
  };
}

/** Nearest-object search radius for a damaged object given by its own point (metres). */
export const OBJECT_POINT_RADIUS_M = 250;

/** A damaged object of a report and the register object it was matched to, if any. */
export interface DamagedObjectMatch {
  readonly reportId: string;
  readonly index: number;
  readonly description: string;
  readonly category: ObjectCategory | null;
  readonly match: {
    readonly objectId: string;
    readonly name: string;
    readonly category: ObjectCategory;
    readonly list: string | null;
    readonly distanceM: number | null;
    readonly by: 'id' | 'nearest';
  } | null;
}

/**
 * Matches each damaged object of a report to the protected-objects register (docs/harm.md):
 * by its register id when the reporter gave one the reader may see; else the nearest object
 * (of the stated category, when one is stated) within 250 m of the object's own point, or — when
 * it has none — within the report's location precision radius (at least 250 m) of the report's
 * point. Objects the reader may not see are never matched.
 */
async function matchObjects(
  deps: ServiceDeps,
  actor: Actor,
  report: HarmReport,
): Promise<DamagedObjectMatch[]> {
  const viewer = viewerOf(actor);
  const out: DamagedObjectMatch[] = [];
  for (const [index, object] of report.damagedObjects.entries()) {
    const base = {
      reportId: report.id,
      index,
      description: object.description,
      category: object.category,
    };
    out.push({ ...base, match: await matchOne(deps, viewer, report, object) });
  }
  return out;
}

async function matchOne(
  deps: ServiceDeps,
  viewer: ReturnType<typeof viewerOf>,
  report: HarmReport,
  object: DamagedObject,
): Promise<DamagedObjectMatch['match']> {
  const point =
    object.lon !== null && object.lat !== null
      ? { lon: object.lon, lat: object.lat }
      : { lon: report.location.lon, lat: report.location.lat };
  if (object.objectId !== null) {
    const found = await deps.store.objects.get(object.objectId, viewer);
    if (found) {
      return {
        objectId: found.id,
        name: found.name,
        category: found.category,
        list: found.list,
        distanceM: Math.round(
          haversineMetres(point.lon, point.lat, found.centroid[0], found.centroid[1]),
        ),
        by: 'id',
      };
    }
  }
  const metres =
    object.lon !== null
      ? OBJECT_POINT_RADIUS_M
      : Math.max(OBJECT_POINT_RADIUS_M, PRECISION_RADIUS_KM[report.location.precision] * 1000);
  const page = await deps.store.objects.search(
    viewer,
    { near: { ...point, metres }, ...(object.category ? { category: object.category } : {}) },
    { limit: 1, offset: 0 },
  );
  const nearest = page.items[0];
  if (!nearest) return null;
  return {
    objectId: nearest.id,
    name: nearest.name,
    category: nearest.category,
    list: nearest.list,
    distanceM: nearest.distanceMetres === undefined ? null : Math.round(nearest.distanceMetres),
    by: 'nearest',
  };
}

/** A report's damaged objects and their register matches (`read` on reports and objects). */
export async function reportObjects(
  deps: ServiceDeps,
  actor: Actor | undefined,
  reportId: string,
): Promise<DamagedObjectMatch[]> {
  await authorize(deps, actor, 'protected_object', 'read');
  const report = await getReport(deps, actor, reportId);
  return matchObjects(deps, actor!, report);
}

/** The damaged objects of every report of an incident the reader may see, matched. */
export async function incidentObjects(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
): Promise<DamagedObjectMatch[]> {
  await authorize(deps, actor, 'protected_object', 'read');
  await authorize(deps, actor, 'harm_report', 'read');
  const incident: HarmIncident = await getIncident(deps, actor, incidentId);
  const viewer = viewerOf(actor!);
  const reports = (await deps.store.harm.reportsOf([incident.id])).filter((r) =>
    canSee(viewer, r.marking, null),
  );
  const out: DamagedObjectMatch[] = [];
  for (const r of reports) out.push(...(await matchObjects(deps, actor!, r)));
  return out;
}

/**
 * Raises a lesson from an incident the author may see (`update` on incidents); its marking must
 * be one the author may read. Audited.
 *
 * @example
 * await raiseLesson(deps, actor, incidentId, { title, observation, marking });
 */
export async function raiseLesson(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
  input: NewLesson,
): Promise<HarmLesson> {
  await authorize(deps, actor, 'harm_incident', 'update');
  const parsed = newLessonSchema.parse(input);
  await getIncident(deps, actor, incidentId);
  assertWritableMarking(actor!, parsed.marking);
  const lesson: HarmLesson = {
    ...parsed,
    id: deps.newId(),
    incidentId,
    createdAt: deps.now(),
    createdBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.harm.insertLesson(lesson);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_lesson.create',
        recordType: 'harm_incident',
        recordId: incidentId,
        detail: { lesson: lesson.id, title: lesson.title },
      },
      lesson.createdAt,
    );
  });
  return lesson;
}

/** Lessons the reader may see: of one incident (which they must see), or of all. */
export async function listLessons(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string | null,
  page: PageRequest,
): Promise<Page<HarmLesson>> {
  await authorize(deps, actor, 'harm_incident', 'read');
  if (incidentId !== null) await getIncident(deps, actor, incidentId);
  return deps.store.harm.listLessons(viewerOf(actor!), incidentId, page);
}
