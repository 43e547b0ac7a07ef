import { correlate } from '../../analysis/harm/correlate.js';
import type { Viewer } from '../../domain/access/viewer.js';
import type {
  AssessmentInput,
  Casualty,
  HarmCandidate,
  HarmIncident,
  HarmReport,
  HarmResponse,
  HarmStats,
  HarmStatsFilter,
  NewCasualty,
  NewHarmReport,
  NewResponse,
} from '../../domain/harm/harm.js';
import { newCasualtySchema } from '../../domain/harm/harm.js';
import {
  casualtyAgeGroup,
  checkReport,
  type AdminRegion,
  deriveIncident,
  mayReadCasualtyName,
} from '../../domain/harm/harm-rules.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { IncidentFilter, Page, PageRequest, Store } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import { assertWritableMarking } from '../area/area.service.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';

/** The audit view of a report: no reporter contact, no confidential narrative. */
function reportAuditView(r: HarmReport) {
  const { reporterContact: _c, narrative, ...rest } = r;
  return { ...rest, narrative: { releasable: narrative.releasable } };
}

async function allowed(
  deps: ServiceDeps,
  actor: Actor,
  type: 'harm_reporter' | 'casualty_name',
): Promise<boolean> {
  if (actor.kind === 'system') return true;
  return deps.store.permissions.isAllowed(actor.user.role, type, 'read');
}

/** A title for a new incident from its place and date. */
function incidentTitle(r: Pick<HarmReport, 'location' | 'date'>): string {
  const where = r.location.place || r.location.adminName || r.location.adminCode || 'unknown place';
  return `${where}, ${r.date.start}`;
}

/** An incident around reports, keeping the analyst's title and assessment when given. */
export function incidentOf(
  id: string,
  reports: readonly HarmReport[],
  at: string,
  by: string,
  before?: HarmIncident,
): HarmIncident {
  return {
    id,
    title: before?.title ?? incidentTitle(reports[0]!),
    assessment: before?.assessment ?? null,
    ...deriveIncident(reports),
    createdAt: before?.createdAt ?? at,
    createdBy: before?.createdBy ?? by,
    updatedAt: at,
    updatedBy: by,
  };
}

/**
 * Builds a report from checked input: the validation rules of docs/harm.md run here, so the
 * API, the CLI and the import all reject and warn alike. Throws `validation_failed` naming
 * every field (prefixed with `pathPrefix`).
 */
export function buildReport(
  input: NewHarmReport,
  ids: { id: string; incidentId: string },
  at: string,
  by: string,
  pathPrefix = 'body.',
  regions: readonly AdminRegion[] = [],
): HarmReport {
  const { problems, warnings } = checkReport(input, at, regions);
  if (problems.length > 0) {
    throw new CivitasError(
      'harm_report_invalid',
      `The report is not consistent: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems.map((p) => ({ path: `${pathPrefix}${p.path}`, message: p.message })),
    );
  }
  return {
    ...input,
    ...ids,
    warnings,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
}

/**
 * Receives a report of civilian harm: checks it (rejecting or recording warnings), stores it
 * with a new incident of its own, and audits both in one transaction. Correlation later
 * proposes which incidents are one event.
 *
 * @example
 * const report = await createReport(deps, actor, input);
 */
export async function createReport(
  deps: ServiceDeps,
  actor: Actor | undefined,
  input: NewHarmReport,
): Promise<HarmReport> {
  await authorize(deps, actor, 'harm_report', 'create');
  assertWritableMarking(actor!, input.marking);
  const at = deps.now();
  const regions = await deps.store.areas.regionsByCode(
    input.location.adminCode === null ? [] : [input.location.adminCode],
  );
  const report = buildReport(
    input,
    { id: deps.newId(), incidentId: deps.newId() },
    at,
    actor!.id,
    'body.',
    regions,
  );
  const incident = incidentOf(report.incidentId, [report], at, actor!.id);
  await deps.store.transaction(async (tx) => {
    await tx.harm.insertIncidents([incident]);
    await tx.harm.insertReports([report]);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_report.create',
        recordType: 'harm_report',
        recordId: report.id,
        afterDigest: recordDigest(reportAuditView(report)),
        detail: { incidentId: incident.id, warnings: report.warnings.map((w) => w.code) },
      },
      at,
    );
  });
  return report;
}

/**
 * Reads one report. Reporter contact and the confidential narrative are decrypted only for
 * roles holding `harm_reporter` read; reading them is audited.
 */
export async function getReport(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<HarmReport> {
  await authorize(deps, actor, 'harm_report', 'read');
  const sensitive = await allowed(deps, actor!, 'harm_reporter');
  const report = await deps.store.harm.getReport(id, viewerOf(actor!), sensitive);
  if (!report) throw new CivitasError('not_found', 'No harm report with that id.');
  if (sensitive && actor!.kind === 'user') {
    await deps.store.audit.append(
      {
        actor: actor!.id,
        action: 'harm_report.read_reporter',
        recordType: 'harm_report',
        recordId: id,
      },
      deps.now(),
    );
  }
  return report;
}

/** Lists the reports the actor may see (never with reporter details). */
export async function listReports(
  deps: ServiceDeps,
  actor: Actor | undefined,
  filter: { incidentId?: string },
  page: PageRequest,
): Promise<Page<HarmReport>> {
  await authorize(deps, actor, 'harm_report', 'read');
  return deps.store.harm.listReports(viewerOf(actor!), filter, page, false);
}

/** One incident the actor may see; `not_found` otherwise (the two are indistinguishable). */
export async function getIncident(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<HarmIncident> {
  await authorize(deps, actor, 'harm_incident', 'read');
  const incident = await deps.store.harm.getIncident(id, viewerOf(actor!));
  if (!incident) throw new CivitasError('not_found', 'No incident with that id.');
  return incident;
}

/** Lists incidents the actor may see, newest first. */
export async function listIncidents(
  deps: ServiceDeps,
  actor: Actor | undefined,
  filter: IncidentFilter,
  page: PageRequest,
): Promise<Page<HarmIncident>> {
  await authorize(deps, actor, 'harm_incident', 'read');
  return deps.store.harm.listIncidents(viewerOf(actor!), filter, page);
}

/** Assesses an incident: grade, attribution, investigation status (`approve` on incidents). */
export async function assessIncident(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  input: AssessmentInput,
): Promise<HarmIncident> {
  await authorize(deps, actor, 'harm_incident', 'approve');
  const before = await getVisibleIncident(deps, actor!, id);
  const at = deps.now();
  const after: HarmIncident = {
    ...before,
    assessment: { ...input, assessedAt: at, assessedBy: actor!.id },
    updatedAt: at,
    updatedBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.harm.updateIncident(after);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_incident.assess',
        recordType: 'harm_incident',
        recordId: id,
        beforeDigest: recordDigest(before.assessment),
        afterDigest: recordDigest(after.assessment),
        detail: { grade: input.grade, attribution: input.attribution },
      },
      at,
    );
  });
  return after;
}

async function getVisibleIncident(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  store: Store = deps.store,
): Promise<HarmIncident> {
  const incident = await store.harm.getIncident(id, viewerOf(actor));
  if (!incident) throw new CivitasError('not_found', 'No incident with that id.');
  return incident;
}

/**
 * Merges incidents into `targetId`: their reports, responses and casualties move to it, they are
 * kept as merged (pointing at the target) so the audit trail can always name them, and the
 * target's figures are reconciled again. Reversible with {@link splitIncident}; audited with
 * every report moved.
 */
export async function mergeIncidents(
  deps: ServiceDeps,
  actor: Actor | undefined,
  targetId: string,
  otherIds: readonly string[],
): Promise<HarmIncident> {
  await authorize(deps, actor, 'harm_incident', 'update');
  const others = [...new Set(otherIds)].filter((id) => id !== targetId);
  if (others.length === 0) {
    throw new CivitasError('validation_failed', 'Name at least one other incident to merge.', [
      { path: 'body.incidentIds', message: 'must name an incident other than the target' },
    ]);
  }
  return deps.store.transaction(async (tx) => {
    const target = await getVisibleIncident(deps, actor!, targetId, tx);
    const merged: HarmIncident[] = [];
    for (const id of others) merged.push(await getVisibleIncident(deps, actor!, id, tx));
    const moved = await tx.harm.reportsOf(others);
    await tx.harm.moveReports(
      moved.map((r) => r.id),
      targetId,
    );
    await tx.harm.moveCasualtiesAndResponses(others, targetId);
    const at = deps.now();
    const reports = await tx.harm.reportsOf([targetId]);
    const after = incidentOf(targetId, reports, at, actor!.id, target);
    await tx.harm.updateIncident(after);
    for (const m of merged) {
      await tx.harm.updateIncident(
        { ...m, reportCount: 0, updatedAt: at, updatedBy: actor!.id },
        targetId,
      );
    }
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_incident.merge',
        recordType: 'harm_incident',
        recordId: targetId,
        beforeDigest: recordDigest(target),
        afterDigest: recordDigest(after),
        detail: {
          merged: others,
          moves: moved.map((r) => ({ report: r.id, from: r.incidentId })),
        },
      },
      at,
    );
    return after;
  });
}

/**
 * Splits reports off an incident into a new incident of their own (undoing a merge, or a
 * mistaken acceptance). At least one report must stay. Audited with the reports moved.
 */
export async function splitIncident(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
  reportIds: readonly string[],
): Promise<{ kept: HarmIncident; split: HarmIncident }> {
  await authorize(deps, actor, 'harm_incident', 'update');
  return deps.store.transaction(async (tx) => {
    const before = await getVisibleIncident(deps, actor!, incidentId, tx);
    const reports = await tx.harm.reportsOf([incidentId]);
    const wanted = new Set(reportIds);
    const leaving = reports.filter((r) => wanted.has(r.id));
    const staying = reports.filter((r) => !wanted.has(r.id));
    if (leaving.length !== wanted.size || leaving.length === 0 || staying.length === 0) {
      throw new CivitasError(
        'validation_failed',
        'Name reports of this incident to split off, leaving at least one.',
        [{ path: 'body.reportIds', message: 'must be some, not all, of the incident’s reports' }],
      );
    }
    const at = deps.now();
    const newId = deps.newId();
    const split = incidentOf(newId, leaving, at, actor!.id);
    await tx.harm.insertIncidents([split]);
    await tx.harm.moveReports(
      leaving.map((r) => r.id),
      newId,
    );
    const kept = incidentOf(incidentId, staying, at, actor!.id, before);
    await tx.harm.updateIncident(kept);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_incident.split',
        recordType: 'harm_incident',
        recordId: incidentId,
        beforeDigest: recordDigest(before),
        afterDigest: recordDigest(kept),
        detail: { newIncident: newId, reports: leaving.map((r) => r.id) },
      },
      at,
    );
    return { kept, split };
  });
}

/**
 * Runs correlation over every report and records the new candidate pairs (pairs proposed or
 * decided before are not proposed again). Returns how many were added. Audited.
 */
export async function findCandidates(deps: ServiceDeps, actor: Actor | undefined): Promise<number> {
  await authorize(deps, actor, 'harm_incident', 'update');
  return deps.store.transaction(async (tx) => {
    const [points, known] = await Promise.all([tx.harm.reportPoints(), tx.harm.candidateKeys()]);
    const found = correlate(points, known);
    const candidates: HarmCandidate[] = found.map((c) => ({
      id: deps.newId(),
      reportA: c.a,
      reportB: c.b,
      score: c.score,
      distanceKm: c.distanceKm,
      dayGap: c.dayGap,
      status: 'open',
      decidedAt: null,
      decidedBy: null,
    }));
    await tx.harm.insertCandidates(candidates);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_candidate.find',
        recordType: 'harm_candidate',
        recordId: 'all',
        detail: { reports: points.length, added: candidates.length },
      },
      deps.now(),
    );
    return candidates.length;
  });
}

/** Open (or all) candidate pairs whose two reports the actor may both see. */
export async function listCandidates(
  deps: ServiceDeps,
  actor: Actor | undefined,
  status: HarmCandidate['status'] | undefined,
  page: PageRequest,
): Promise<Page<HarmCandidate & { reports: [HarmReport, HarmReport] }>> {
  await authorize(deps, actor, 'harm_incident', 'read');
  await authorize(deps, actor, 'harm_report', 'read');
  const viewer = viewerOf(actor!);
  const result = await deps.store.harm.listCandidates(status, page);
  const items: (HarmCandidate & { reports: [HarmReport, HarmReport] })[] = [];
  for (const c of result.items) {
    const pair = await visiblePair(deps, viewer, c);
    if (pair) items.push({ ...c, reports: pair });
  }
  return { items, total: result.total };
}

async function visiblePair(
  deps: ServiceDeps,
  viewer: Viewer,
  c: HarmCandidate,
  store: Store = deps.store,
): Promise<[HarmReport, HarmReport] | undefined> {
  const a = await store.harm.getReport(c.reportA, viewer, false);
  const b = await store.harm.getReport(c.reportB, viewer, false);
  return a && b ? [a, b] : undefined;
}

async function decidable(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  store: Store,
): Promise<{ candidate: HarmCandidate; pair: [HarmReport, HarmReport] }> {
  const candidate = await store.harm.getCandidate(id);
  const pair = candidate && (await visiblePair(deps, viewerOf(actor), candidate, store));
  if (!candidate || !pair) throw new CivitasError('not_found', 'No candidate with that id.');
  return { candidate, pair };
}

/**
 * Accepts a candidate: the incidents of its two reports become one (the older incident, by
 * creation, stays). Undo with {@link splitIncident}, then {@link reopenCandidate}.
 */
export async function acceptCandidate(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<HarmIncident> {
  await authorize(deps, actor, 'harm_incident', 'update');
  return deps.store.transaction(async (tx) => {
    const { candidate, pair } = await decidable(deps, actor!, id, tx);
    if (candidate.status !== 'open') {
      throw new CivitasError('conflict', `The candidate is already ${candidate.status}.`);
    }
    const [a, b] = pair;
    const at = deps.now();
    await tx.harm.setCandidateStatus(id, 'accepted', actor!.id, at);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_candidate.accept',
        recordType: 'harm_candidate',
        recordId: id,
        detail: { reports: [a.id, b.id], incidents: [a.incidentId, b.incidentId] },
      },
      at,
    );
    const txDeps = { ...deps, store: tx };
    if (a.incidentId === b.incidentId) return getVisibleIncident(deps, actor!, a.incidentId, tx);
    const [ia, ib] = [
      await getVisibleIncident(deps, actor!, a.incidentId, tx),
      await getVisibleIncident(deps, actor!, b.incidentId, tx),
    ];
    const [target, other] =
      ia.createdAt < ib.createdAt || (ia.createdAt === ib.createdAt && ia.id < ib.id)
        ? [ia, ib]
        : [ib, ia];
    return mergeIncidents(txDeps, actor, target.id, [other.id]);
  });
}

/** Rejects a candidate: the two reports are different events; it is not proposed again. */
export async function rejectCandidate(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<HarmCandidate> {
  return decideCandidate(deps, actor, id, 'rejected');
}

/** Reopens a decided candidate (undoing a rejection, or after splitting an accepted merge). */
export async function reopenCandidate(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
): Promise<HarmCandidate> {
  return decideCandidate(deps, actor, id, 'open');
}

async function decideCandidate(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  status: 'rejected' | 'open',
): Promise<HarmCandidate> {
  await authorize(deps, actor, 'harm_incident', 'update');
  return deps.store.transaction(async (tx) => {
    const { candidate } = await decidable(deps, actor!, id, tx);
    if (status === 'rejected' && candidate.status !== 'open') {
      throw new CivitasError('conflict', `The candidate is already ${candidate.status}.`);
    }
    const at = deps.now();
    const by = status === 'open' ? null : actor!.id;
    await tx.harm.setCandidateStatus(id, status, by, status === 'open' ? null : at);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: status === 'open' ? 'harm_candidate.reopen' : 'harm_candidate.reject',
        recordType: 'harm_candidate',
        recordId: id,
        detail: { from: candidate.status },
      },
      at,
    );
    return { ...candidate, status, decidedAt: status === 'open' ? null : at, decidedBy: by };
  });
}

/** Records a response to an incident (acknowledgement, payment, assistance, referral). */
export async function createResponse(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
  input: NewResponse,
): Promise<HarmResponse> {
  await authorize(deps, actor, 'harm_response', 'create');
  await getVisibleIncident(deps, actor!, incidentId);
  const at = deps.now();
  const response: HarmResponse = {
    ...input,
    id: deps.newId(),
    incidentId,
    createdAt: at,
    createdBy: actor!.id,
    updatedAt: at,
    updatedBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.harm.insertResponse(response);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_response.create',
        recordType: 'harm_response',
        recordId: response.id,
        afterDigest: recordDigest({ ...response, recipientRef: undefined }),
        detail: { incidentId, type: response.type },
      },
      at,
    );
  });
  return response;
}

/** Changes a response's status, due date or note. */
export async function updateResponse(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  changes: Partial<Pick<HarmResponse, 'status' | 'dueDate' | 'note'>>,
): Promise<HarmResponse> {
  await authorize(deps, actor, 'harm_response', 'update');
  const before = await deps.store.harm.getResponse(id);
  if (!before) throw new CivitasError('not_found', 'No response with that id.');
  await getVisibleIncident(deps, actor!, before.incidentId).catch(() => {
    throw new CivitasError('not_found', 'No response with that id.');
  });
  const at = deps.now();
  const after: HarmResponse = { ...before, ...changes, updatedAt: at, updatedBy: actor!.id };
  await deps.store.transaction(async (tx) => {
    await tx.harm.updateResponse(after);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'harm_response.update',
        recordType: 'harm_response',
        recordId: id,
        beforeDigest: recordDigest({ ...before, recipientRef: undefined }),
        afterDigest: recordDigest({ ...after, recipientRef: undefined }),
        detail: { fields: Object.keys(changes).sort() },
      },
      at,
    );
  });
  return after;
}

/** The responses to an incident the actor may see. */
export async function listResponses(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
): Promise<HarmResponse[]> {
  await authorize(deps, actor, 'harm_response', 'read');
  await getVisibleIncident(deps, actor!, incidentId);
  return deps.store.harm.listResponses(incidentId);
}

/** Records one casualty of an incident; the name is encrypted. */
export async function addCasualty(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
  input: NewCasualty,
): Promise<Casualty> {
  await authorize(deps, actor, 'casualty', 'create');
  const incident = await getVisibleIncident(deps, actor!, incidentId);
  const parsed = newCasualtySchema.parse(input);
  const at = deps.now();
  const casualty: Casualty = {
    id: deps.newId(),
    incidentId,
    name: parsed.name,
    sex: parsed.sex,
    ageYears: parsed.ageYears,
    ageGroup: casualtyAgeGroup(parsed.ageYears, parsed.ageGroup),
    civilianStatus: parsed.civilianStatus,
    outcome: parsed.outcome,
    date: parsed.date,
    place: parsed.place,
    marking: incident.marking,
    createdAt: at,
    createdBy: actor!.id,
  };
  await deps.store.transaction(async (tx) => {
    await tx.harm.insertCasualty(casualty);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'casualty.create',
        recordType: 'casualty',
        recordId: casualty.id,
        afterDigest: recordDigest({ ...casualty, name: undefined }),
        detail: { incidentId },
      },
      at,
    );
  });
  const mayName = mayReadCasualtyName(
    await allowed(deps, actor!, 'casualty_name'),
    viewerOf(actor!),
    casualty,
  );
  return mayName ? casualty : { ...casualty, name: null };
}

/**
 * The casualties of an incident. Names are shown only to roles with `casualty_name` read, and a
 * child's name only inside CHILD-IDENTITY; when any name is shown, the read is audited.
 */
export async function listCasualties(
  deps: ServiceDeps,
  actor: Actor | undefined,
  incidentId: string,
): Promise<Casualty[]> {
  await authorize(deps, actor, 'casualty', 'read');
  await getVisibleIncident(deps, actor!, incidentId);
  const permission = await allowed(deps, actor!, 'casualty_name');
  const viewer = viewerOf(actor!);
  const casualties = await deps.store.harm.listCasualties(incidentId, (c) =>
    mayReadCasualtyName(permission, viewer, c),
  );
  const named = casualties.filter((c) => c.name !== null && c.name !== '');
  if (named.length > 0) {
    await deps.store.audit.append(
      {
        actor: actor!.id,
        action: 'casualty.read_names',
        recordType: 'harm_incident',
        recordId: incidentId,
        detail: { casualties: named.map((c) => c.id) },
      },
      deps.now(),
    );
  }
  return casualties;
}

/** Civilian harm figures over the incidents the actor may see. */
export async function harmStats(
  deps: ServiceDeps,
  actor: Actor | undefined,
  filter: HarmStatsFilter,
): Promise<HarmStats> {
  await authorize(deps, actor, 'harm_incident', 'read');
  return deps.store.harm.stats(viewerOf(actor!), filter);
}
