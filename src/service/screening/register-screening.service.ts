/**
 * Register mode: screening a plan's aimpoints against the protected-objects register (or a
 * release's frozen NSL/RTL), saving the full result with its digest, and giving each reader the
 * view their access allows.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { parseAimpoints, type AimpointFormat } from '../../analysis/screening/aimpoint-input.js';
import { AimpointScreener } from '../../analysis/screening/aimpoint-screener.js';
import { canSee, type Viewer } from '../../domain/access/viewer.js';
import type { ReleaseItem } from '../../domain/protected-object/register.js';
import {
  aimpointFlags,
  DEFAULT_POPULATION_THRESHOLD,
  isFlagged,
  type Aimpoint,
  type ScreenableObject,
  type ScreenedAimpoint,
  type Screening,
  type ScreeningHeader,
  type ScreeningHit,
} from '../../domain/screening/screening.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { mgrsOf } from '../../geo/index.js';
import { combineMarkings, type Marking } from '../../domain/taxonomy/index.js';
import type { Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { assertWritableMarking } from '../area/area.service.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { effectClassRadii } from './effect-class.service.js';
import { exposuresForCircles } from './population-raster.js';

/** Objects read from the register per query. */
const SCAN_BATCH = 5000;

/** What a reader sees of a screening: the header with the marking of what they see. */
export interface ScreeningSummaryFor {
  readonly header: ScreeningHeader;
  /** The marking of this reader's view: the record's, raised by the hits they see. */
  readonly marking: Marking;
  readonly flaggedCount: number;
  readonly createdBy: { readonly id: string; readonly username: string };
}

/** A screening as one reader may see it. */
export interface ScreeningFor extends ScreeningSummaryFor {
  readonly aimpoints: readonly ScreenedAimpoint[];
}

/** What `createScreening` takes (the API body, with the contract's names). */
export interface ScreeningInput {
  readonly title: string;
  readonly plan_reference?: string | undefined;
  readonly release?: number | undefined;
  readonly aimpoints: readonly Aimpoint[];
  readonly population_threshold?: number | undefined;
  readonly marking: Marking;
}

/**
 * Reads planner input (text, CSV, GeoJSON) into aimpoints with the deployment's effect classes.
 * Throws `invalid_aimpoints` listing every bad line or feature and field; warnings come back.
 *
 * @example
 * const { aimpoints } = await parsePlannerInput(deps, actor, { text: 'T1 50.45N 30.52E MEDIUM' });
 */
export async function parsePlannerInput(
  deps: ServiceDeps,
  actor: Actor | undefined,
  input: {
    text: string;
    format?: AimpointFormat | undefined;
    default_effect_class?: string | undefined;
    default_radius_m?: number | undefined;
  },
) {
  await authorize(deps, actor, 'screening', 'create');
  return readPlannerText(deps, input);
}

/** {@link parsePlannerInput} without the access check, for the CLI's own file reading. */
export async function readPlannerText(
  deps: ServiceDeps,
  input: {
    text: string;
    format?: AimpointFormat | undefined;
    default_effect_class?: string | undefined;
    default_radius_m?: number | undefined;
  },
) {
  const result = parseAimpoints(input.text, {
    format: input.format ?? 'auto',
    effectClasses: await effectClassRadii(deps),
    ...(input.default_effect_class !== undefined
      ? { defaultEffectClass: input.default_effect_class }
      : {}),
    ...(input.default_radius_m !== undefined
      ? { defaultRadiusMetres: input.default_radius_m }
      : {}),
  });
  if (result.errors.length > 0) {
    const where = (e: { line?: number; feature?: number }) =>
      e.line !== undefined
        ? `line ${e.line}`
        : e.feature !== undefined
          ? `feature ${e.feature}`
          : '';
    const errors = [...result.errors].sort(
      (a, b) => (a.line ?? a.feature ?? 0) - (b.line ?? b.feature ?? 0),
    );
    const first = errors[0]!;
    throw new CivitasError(
      'invalid_aimpoints',
      `${[where(first), `field ${first.field}`].filter(Boolean).join(', ')}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      errors.map((e) => ({
        path: [where(e), e.field].filter(Boolean).join(': '),
        message: e.message,
        ...(e.line !== undefined ? { line: e.line } : {}),
        ...(e.feature !== undefined ? { feature: e.feature } : {}),
        field: e.field,
      })),
    );
  }
  return { format: result.format, aimpoints: result.aimpoints, warnings: result.warnings };
}

function fromReleaseItem(i: ReleaseItem): ScreenableObject {
  return {
    id: i.objectId,
    ...(i.geometry.type !== 'Point' ? { geometry: i.geometry } : {}),
    lon: i.centroid[0],
    lat: i.centroid[1],
    bufferMetres: i.bufferMetres,
    name: i.name,
    category: i.category,
    list: i.list,
    restriction: i.restriction,
    protection: i.protection,
    marking: i.marking,
  };
}

/** SHA-256 (hex) of a canonical JSON text. */
function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The canonical JSON (RFC 8785) of a screening's full result and its SHA-256 digest: the same
 * aimpoints screened against the same objects give the same digest, whoever runs it and when.
 *
 * @example
 * const { json, digest } = canonicalResult(aimpoints);
 */
export function canonicalResult(aimpoints: readonly ScreenedAimpoint[]): {
  json: string;
  digest: string;
} {
  const json = canonicalize({ aimpoints }) ?? 'null';
  return { json, digest: sha256(json) };
}

/**
 * Screens aimpoints against the current register (every protected object, whatever list it is
 * on) or against a released release's frozen NSL/RTL, estimates the exposed population when a
 * raster is configured, and saves the full result with its digest. The marking asked for is
 * raised to cover every hit the author may see. Audited. Returns the author's view.
 *
 * @example
 * const view = await createScreening(deps, actor, { title: 'Phase 2 fires', aimpoints, marking });
 */
export async function createScreening(
  deps: ServiceDeps,
  actor: Actor | undefined,
  input: ScreeningInput,
): Promise<ScreeningFor> {
  await authorize(deps, actor, 'screening', 'create');
  assertWritableMarking(actor!, input.marking);
  const ids = new Set<string>();
  input.aimpoints.forEach((a, i) => {
    if (ids.has(a.id)) {
      throw new CivitasError('validation_failed', `body.aimpoints.${i}.id: duplicate id ${a.id}`, [
        { path: `body.aimpoints.${i}.id`, message: `duplicate id ${JSON.stringify(a.id)}` },
      ]);
    }
    ids.add(a.id);
  });
  let release: ScreeningHeader['release'] = null;
  let screener: AimpointScreener;
  if (input.release !== undefined) {
    await authorize(deps, actor, 'release', 'read');
    const found = await deps.store.releases.getByNumber(input.release);
    if (!found || found.status !== 'released' || found.number === null) {
      throw new CivitasError('not_found', `No released release number ${input.release}.`);
    }
    release = { id: found.id, number: found.number, status: found.status };
    const objects = (await deps.store.releases.items(found.id)).map(fromReleaseItem);
    screener = new AimpointScreener(
      input.aimpoints,
      objects.reduce((m, o) => Math.max(m, o.bufferMetres), 0),
    );
    screener.add(objects);
  } else {
    screener = new AimpointScreener(input.aimpoints, await deps.store.objects.maxBuffer());
    for await (const batch of deps.store.objects.scanForScreening(SCAN_BATCH)) screener.add(batch);
  }
  const hits = screener.hits();
  const population = deps.populationRaster
    ? (
        await exposuresForCircles(deps.populationRaster, {
          lon: input.aimpoints.map((a) => a.lon),
          lat: input.aimpoints.map((a) => a.lat),
          radius: input.aimpoints.map((a) => a.radius_m),
        })
      ).map((e) => ({ best: Math.round(e.best) }))
    : undefined;
  const threshold = input.population_threshold ?? DEFAULT_POPULATION_THRESHOLD;
  const aimpoints: ScreenedAimpoint[] = input.aimpoints.map((a, i) => {
    const own = hits[i] as ScreeningHit[];
    const pop = population ? (population[i] as { best: number }) : null;
    return {
      id: a.id,
      lon: a.lon,
      lat: a.lat,
      mgrs: mgrsOf(a.lon, a.lat),
      radius_m: a.radius_m,
      effect_class: a.effect_class ?? null,
      label: a.label ?? null,
      input: a.input,
      flags: aimpointFlags(own, 0, pop, threshold),
      withheld_hits: 0,
      population: pop,
      hits: own,
    };
  });
  const { json, digest } = canonicalResult(aimpoints);
  const allHits = hits.flat();
  const viewer = viewerOf(actor!);
  const marking = combineMarkings([
    input.marking,
    ...allHits.filter((h) => canSee(viewer, h.marking, null)).map((h) => h.marking),
  ]);
  const header: ScreeningHeader = {
    id: deps.newId(),
    title: input.title,
    planReference: input.plan_reference ?? null,
    release,
    createdAt: deps.now(),
    createdBy: actor!.id,
    marking,
    populationThreshold: threshold,
    aimpointCount: aimpoints.length,
    flaggedCount: aimpoints.filter((a) => isFlagged(a.flags)).length,
    // With no hits there is nothing to hide: the record's own marking stands for them.
    hitsMarking: allHits.length > 0 ? combineMarkings(allHits.map((h) => h.marking)) : marking,
    resultDigest: digest,
  };
  await deps.store.transaction(async (tx) => {
    await tx.screenings.insert(header, json);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'screening.create',
        recordType: 'screening',
        recordId: header.id,
        detail: {
          aimpoints: header.aimpointCount,
          flagged: header.flaggedCount,
          hits: allHits.length,
          release: release?.number ?? null,
          digest,
        },
        afterDigest: digest,
      },
      header.createdAt,
    );
  });
  return viewFor({ ...header, aimpoints }, viewer, await creatorOf(deps, header.createdBy));
}

async function creatorOf(deps: ServiceDeps, id: string): Promise<{ id: string; username: string }> {
  const user = await deps.store.users.get(id);
  return { id, username: user?.username ?? id };
}

/**
 * One reader's view of a screening. Every hit is kept in the stored result; the reader sees the
 * hits their clearance and releasability allow, the others only as a count (`withheld_hits`,
 * flag WITHHELD_INSIDE), and flags computed from what they see. (Protected objects carry no
 * compartment; a compartmented object would not be counted at all.)
 */
export function viewFor(
  screening: Screening,
  viewer: Viewer,
  createdBy: { id: string; username: string },
): ScreeningFor {
  let flagged = 0;
  const seen: Marking[] = [];
  const aimpoints = screening.aimpoints.map((a) => {
    const visible = a.hits.filter((h) => canSee(viewer, h.marking, null));
    const withheld = a.hits.length - visible.length;
    const flags = aimpointFlags(visible, withheld, a.population, screening.populationThreshold);
    if (isFlagged(flags)) flagged += 1;
    for (const h of visible) seen.push(h.marking);
    return { ...a, hits: visible, withheld_hits: withheld, flags };
  });
  return {
    header: screening,
    marking: combineMarkings([screening.marking, ...seen]),
    flaggedCount: flagged,
    createdBy,
    aimpoints,
  };
}

/**
 * One screening as the actor may see it; `not_found` when it does not exist or its marking is
 * above the actor's access (Civitas does not say which).
 *
 * @example
 * const view = await getScreening(deps, actor, id);
 */
export async function getScreening(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  action: 'read' | 'export' = 'read',
): Promise<ScreeningFor> {
  await authorize(deps, actor, 'screening', 'read');
  if (action === 'export') await authorize(deps, actor, 'screening', 'export');
  const viewer = viewerOf(actor!);
  const screening = await deps.store.screenings.get(id, viewer);
  if (!screening) throw new CivitasError('not_found', 'No screening with that id.');
  return viewFor(screening, viewer, await creatorOf(deps, screening.createdBy));
}

/**
 * Screenings the actor may see, newest first, each with the flagged count of the actor's view.
 *
 * @example
 * const page = await listScreenings(deps, actor, { limit: 50, offset: 0 });
 */
export async function listScreenings(
  deps: ServiceDeps,
  actor: Actor | undefined,
  page: PageRequest,
): Promise<Page<ScreeningSummaryFor>> {
  await authorize(deps, actor, 'screening', 'read');
  const viewer = viewerOf(actor!);
  const headers = await deps.store.screenings.list(viewer, page);
  const creators = new Map<string, { id: string; username: string }>();
  const items: ScreeningSummaryFor[] = [];
  for (const h of headers.items) {
    const createdBy = creators.get(h.createdBy) ?? (await creatorOf(deps, h.createdBy));
    creators.set(h.createdBy, createdBy);
    if (canSee(viewer, h.hitsMarking, null)) {
      items.push({
        header: h,
        marking: combineMarkings([h.marking, h.hitsMarking]),
        flaggedCount: h.flaggedCount,
        createdBy,
      });
      continue;
    }
    // The reader may not see every hit: their flags differ, so count from their own view.
    const full = await deps.store.screenings.get(h.id, viewer);
    if (!full) continue;
    const view = viewFor(full, viewer, createdBy);
    items.push({ header: h, marking: view.marking, flaggedCount: view.flaggedCount, createdBy });
  }
  return { items, total: headers.total };
}
