import { diffReleases, type ReleaseDiff } from '../../analysis/release-diff.js';
import { canSee } from '../../domain/access/viewer.js';
import type { Release, ReleaseItem } from '../../domain/protected-object/register.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { combineMarkings } from '../../domain/taxonomy/index.js';
import type { Page, PageRequest } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';

async function visibleRelease(
  deps: ServiceDeps,
  actor: Actor,
  idOrNumber: string,
): Promise<Release> {
  const release = /^\d+$/.test(idOrNumber)
    ? await deps.store.releases.getByNumber(Number(idOrNumber))
    : await deps.store.releases.get(idOrNumber);
  // A release carries the highest marking of its items: who may not read all of it sees none of it.
  if (!release || !canSee(viewerOf(actor), release.marking, null)) {
    throw new CivitasError('not_found', 'No release with that id or number.');
  }
  return release;
}

/**
 * Starts a release: a draft that freezes every object now on the NSL or RTL, marked with the
 * highest classification and the common releasability of its items.
 *
 * @example
 * const draft = await createDraftRelease(deps, actor, 'NSL/RTL for phase 2');
 */
export async function createDraftRelease(
  deps: ServiceDeps,
  actor: Actor | undefined,
  title: string,
): Promise<Release> {
  await authorize(deps, actor, 'release', 'create');
  const objects = await deps.store.objects.onLists();
  const items: ReleaseItem[] = objects.map((o) => ({
    objectId: o.id,
    source: o.source,
    sourceRef: o.sourceRef,
    name: o.name,
    nameLatin: o.nameLatin,
    category: o.category,
    protection: o.protection,
    list: o.list!,
    restriction: o.restriction,
    bufferMetres: o.bufferMetres,
    centroid: o.centroid,
    mgrs: o.mgrs,
    geometry: o.geometry,
    marking: o.marking,
  }));
  const at = deps.now();
  const release: Release = {
    id: deps.newId(),
    number: null,
    status: 'draft',
    title,
    author: actor!.id,
    approver: null,
    marking: combineMarkings(items.map((i) => i.marking)),
    objectCount: items.length,
    createdAt: at,
    submittedAt: null,
    releasedAt: null,
  };
  await deps.store.transaction(async (tx) => {
    await tx.releases.insert(release, items);
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'release.draft',
        recordType: 'release',
        recordId: release.id,
        detail: { objects: items.length },
      },
      at,
    );
  });
  return release;
}

/** Lists releases the actor may see, newest first. */
export async function listReleases(
  deps: ServiceDeps,
  actor: Actor | undefined,
  page: PageRequest,
): Promise<Page<Release>> {
  await authorize(deps, actor, 'release', 'read');
  const all = await deps.store.releases.list({ limit: 10_000, offset: 0 });
  const visible = all.items.filter((r) => canSee(viewerOf(actor!), r.marking, null));
  return { items: visible.slice(page.offset, page.offset + page.limit), total: visible.length };
}

/** One release. */
export async function getRelease(
  deps: ServiceDeps,
  actor: Actor | undefined,
  idOrNumber: string,
): Promise<Release> {
  await authorize(deps, actor, 'release', 'read');
  return visibleRelease(deps, actor!, idOrNumber);
}

/** The frozen items of a release. */
export async function releaseItems(
  deps: ServiceDeps,
  actor: Actor | undefined,
  idOrNumber: string,
): Promise<{ release: Release; items: ReleaseItem[] }> {
  const release = await getRelease(deps, actor, idOrNumber);
  return { release, items: await deps.store.releases.items(release.id) };
}

/** Sends a draft for review. */
export async function submitRelease(
  deps: ServiceDeps,
  actor: Actor | undefined,
  idOrNumber: string,
): Promise<Release> {
  await authorize(deps, actor, 'release', 'update');
  const release = await visibleRelease(deps, actor!, idOrNumber);
  if (release.status !== 'draft')
    throw new CivitasError('conflict', `The release is ${release.status}, not a draft.`);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.releases.setStatus(release.id, 'review', { submittedAt: at });
    await tx.audit.append(
      { actor: actor!.id, action: 'release.submit', recordType: 'release', recordId: release.id },
      at,
    );
  });
  return { ...release, status: 'review', submittedAt: at };
}

/**
 * Approves a release under review and gives it the next number. The approver must hold the
 * `approve` permission and must not be its author (two people sign off every release).
 */
export async function approveRelease(
  deps: ServiceDeps,
  actor: Actor | undefined,
  idOrNumber: string,
): Promise<Release> {
  await authorize(deps, actor, 'release', 'approve');
  const release = await visibleRelease(deps, actor!, idOrNumber);
  if (release.status !== 'review')
    throw new CivitasError('conflict', `The release is ${release.status}, not under review.`);
  if (release.author === actor!.id) {
    throw new CivitasError(
      'forbidden',
      'The author of a release cannot approve it: another authorised person must.',
    );
  }
  const at = deps.now();
  const number = await deps.store.transaction(async (tx) => {
    const n = await tx.releases.nextNumber();
    await tx.releases.setStatus(release.id, 'released', {
      number: n,
      approver: actor!.id,
      releasedAt: at,
    });
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'release.approve',
        recordType: 'release',
        recordId: release.id,
        detail: { number: n },
      },
      at,
    );
    return n;
  });
  return { ...release, status: 'released', number, approver: actor!.id, releasedAt: at };
}

/**
 * Compares a release with another (by default the latest released one before it, or nothing).
 */
export async function compareReleases(
  deps: ServiceDeps,
  actor: Actor | undefined,
  idOrNumber: string,
  against?: string,
): Promise<{ release: Release; against: Release | null; diff: ReleaseDiff }> {
  const { release, items } = await releaseItems(deps, actor, idOrNumber);
  let base: Release | undefined;
  if (against) base = await visibleRelease(deps, actor!, against);
  else {
    const all = (await deps.store.releases.list({ limit: 10_000, offset: 0 })).items
      .filter(
        (r) =>
          r.status === 'released' &&
          r.id !== release.id &&
          (release.number === null || (r.number ?? 0) < release.number),
      )
      .sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
    base = all[0];
    if (base && !canSee(viewerOf(actor!), base.marking, null)) base = undefined;
  }
  const baseItems = base ? await deps.store.releases.items(base.id) : [];
  return { release, against: base ?? null, diff: diffReleases(baseItems, items) };
}
