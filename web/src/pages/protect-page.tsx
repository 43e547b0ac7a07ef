// Protect: the register of protected objects and the releases of the no-strike and restricted
// target lists, beside one map that stays put while the side changes.
// - `/protect`: the register, drawn by category (clustered at low zoom) with the open object's
//   standoff buffer, and its table; import from a file.
// - `/protect/releases`: the releases, and a new draft from the objects now on the lists.
// - `/protect/releases/:id`: one release, its approval and what changed since the one before,
//   on the map and as a table.
// The banners combine the markings of everything on screen.
import { useCallback, useMemo, useState } from 'react';
import type { FeatureCollection, Geometry } from 'geojson';
import type {
  AreaSummary,
  BBox,
  Marking,
  Me,
  Page,
  ProtectedObject,
  Release,
  ReleaseDiff,
} from '../contract.js';
import { ImportDialog } from '../components/import-dialog.js';
import { Link } from '../components/link.js';
import { SectionHeader } from '../components/section-header.js';
import { MapView } from '../components/map-view.js';
import type { MapOverlay, MapSelection } from '../components/map-view.js';
import { ObjectRecord } from '../components/object-record.js';
import { RegisterPanel, listCounts, matchesFilter } from '../components/register-panel.js';
import type { RegisterFilter } from '../components/register-panel.js';
import { ReleasePanel } from '../components/release-panel.js';
import { ReleasesPanel } from '../components/releases-panel.js';
import {
  bboxContains,
  bboxUnion,
  circlePolygon,
  geometryBbox,
  geometryReachMetres,
} from '../geometry.js';
import { t } from '../i18n.js';
import { useScreenMarking } from '../marking.js';
import { objectFeatures, useRegister } from '../register-data.js';
import type { ReleaseItems } from '../register-data.js';
import { diffFeatures, diffRows } from '../release-diff.js';
import type { DiffRow } from '../release-diff.js';
import { can } from '../session.js';
import { useApi } from '../use-api.js';
import { combineMarkings } from '../../../src/domain/taxonomy/index.js';

/** Which part of Protect the URL path opens. */
type Route =
  | { kind: 'register' }
  | { kind: 'releases' }
  | { kind: 'release'; id: string }
  | { kind: 'unknown' };

/**
 * The part of Protect a path opens.
 *
 * @example protectRoute('/protect/releases/3'); // { kind: 'release', id: '3' }
 */
export function protectRoute(path: string): Route {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '/protect') return { kind: 'register' };
  if (trimmed === '/protect/releases') return { kind: 'releases' };
  const match = /^\/protect\/releases\/([^/]+)$/.exec(trimmed);
  if (match?.[1]) return { kind: 'release', id: decodeURIComponent(match[1]) };
  return { kind: 'unknown' };
}

const objectsLayer = 'objects';
const bufferLayer = 'object-buffer';
const diffLayer = 'release-diff';
const emptyFc: FeatureCollection = { type: 'FeatureCollection', features: [] };
const noFilter: RegisterFilter = { category: '', list: '' };
/** Most releases listed (the API's page limit); the table says when there are more. */
const releasesLimit = 500;

/** The Protect page (`/protect`, `/protect/releases[/:id]`, `data-testid="page-protect"`). */
export function ProtectPage({
  me,
  path,
  search,
  area,
}: {
  me: Me;
  path: string;
  search: string;
  area: AreaSummary | null;
}) {
  const route = protectRoute(path);
  const releaseId = route.kind === 'release' ? route.id : null;
  const mayExport = can(me, 'protected_object', 'export');

  // The register: every object the user may see (the map of all three views).
  const register = useRegister(can(me, 'protected_object', 'read'));
  const [filter, setFilter] = useState<RegisterFilter>(noFilter);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<{ target: MapSelection; seq: number } | null>(null);
  const [view, setView] = useState<BBox | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  // The object open in the record, as last returned by the server (after a change here).
  const [changedObject, setChangedObject] = useState<ProtectedObject | null>(null);

  const all = register.objects;
  const shown = useMemo(
    () => (all ? all.filter((o) => matchesFilter(o, filter)) : null),
    [all, filter],
  );

  // Releases: the list, and the open release with its diff and the items of both releases.
  const releases = useApi<Page<Release>>(
    route.kind === 'releases' ? '/api/releases' : null,
    { limit: releasesLimit, offset: 0 },
    false,
  );
  const releasePath = releaseId ? `/api/releases/${encodeURIComponent(releaseId)}` : null;
  const release = useApi<Release>(releasePath, undefined, false);
  const diff = useApi<ReleaseDiff>(releasePath && `${releasePath}/diff`, undefined, false);
  const currentItems = useApi<ReleaseItems>(
    releaseId && mayExport ? '/api/objects/export' : null,
    releaseId ? { format: 'geojson', release: releaseId } : undefined,
    false,
  );
  const againstId = diff.data?.against?.id ?? null;
  const previousItems = useApi<ReleaseItems>(
    againstId && mayExport ? '/api/objects/export' : null,
    againstId ? { format: 'geojson', release: againstId } : undefined,
    false,
  );

  // A selection belongs to one view; changing view clears it.
  const viewKey = route.kind === 'release' ? `release:${route.id}` : 'register';
  const [selectionView, setSelectionView] = useState(viewKey);
  if (selectionView !== viewKey) {
    setSelectionView(viewKey);
    setSelection(null);
    setFocus(null);
  }

  const selectedObject = useMemo(() => {
    if (selection?.layer !== objectsLayer) return null;
    const listed = all?.find((o) => o.id === selection.id) ?? null;
    const changed = changedObject?.id === selection.id ? changedObject : null;
    // The newer of the register's copy and the one a change here returned.
    return changed && (!listed || changed.version > listed.version) ? changed : listed;
  }, [selection, all, changedObject]);

  // Diff rows: once the diff and (for users who may export) the items of both releases are in.
  const itemsWanted = mayExport;
  const itemsReady =
    !itemsWanted ||
    ((currentItems.data !== null || currentItems.problem !== null) &&
      (againstId === null || previousItems.data !== null || previousItems.problem !== null));
  const rows = useMemo<DiffRow[] | null>(
    () =>
      diff.data && itemsReady
        ? diffRows(diff.data.diff, currentItems.data, againstId ? previousItems.data : null)
        : null,
    [diff.data, itemsReady, currentItems.data, previousItems.data, againstId],
  );
  const diffData = useMemo(() => (rows ? diffFeatures(rows) : null), [rows]);

  // The open object's standoff buffer: a ring at the buffer distance beyond its footprint.
  const bufferData = useMemo<FeatureCollection>(() => {
    if (!selectedObject) return emptyFc;
    const centre = selectedObject.centroid;
    const reach = geometryReachMetres(selectedObject.geometry as Geometry, centre);
    return {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: selectedObject.id, name: selectedObject.name },
          geometry: circlePolygon(centre, reach + selectedObject.bufferMetres),
        },
      ],
    };
  }, [selectedObject]);

  const objectData = useMemo(
    () => (shown ? objectFeatures(shown) : register.problem ? emptyFc : null),
    [shown, register.problem],
  );
  const overlays = useMemo<MapOverlay[]>(
    () =>
      route.kind === 'release'
        ? [
            {
              kind: 'diff',
              id: diffLayer,
              label: t('layers.releaseDiff'),
              data: diffData ?? (diff.problem ? emptyFc : null),
            },
          ]
        : [
            { kind: 'rings', id: bufferLayer, label: t('layers.buffer'), data: bufferData },
            { kind: 'objects', id: objectsLayer, label: t('layers.objects'), data: objectData },
          ],
    [route.kind, diffData, diff.problem, bufferData, objectData],
  );

  // The map fits all objects of the register (or the changes of a release), else the area.
  const registerExtent = useMemo(
    () => (all ? bboxUnion(all.map((o) => geometryBbox(o.geometry as Geometry))) : null),
    [all],
  );
  // A release opens on its changes (all of it when nothing changed).
  const diffExtent = useMemo(() => {
    if (!diffData) return null;
    const changed = diffData.features.filter((f) => f.properties?.change !== 'same');
    const shown = changed.length > 0 ? changed : diffData.features;
    return bboxUnion(shown.map((f) => geometryBbox(f.geometry)));
  }, [diffData]);
  const ownExtent = route.kind === 'release' ? diffExtent : registerExtent;
  const extent = ownExtent ?? (area ? area.bbox : null);
  // Fit once per view on the area, then once on the data when it arrives; reloads keep the view.
  const fitKey = `${viewKey}|${ownExtent ? 'data' : 'area'}`;

  const select = useCallback((next: MapSelection | null, fly: boolean) => {
    setSelection(next);
    if (next && fly) setFocus((f) => ({ target: next, seq: (f?.seq ?? 0) + 1 }));
  }, []);
  const onMapSelect = useCallback(
    (next: MapSelection | null) => {
      if (next?.layer === bufferLayer) return;
      // Clicking the line or arrow of a move selects the moved object.
      if (next?.layer === diffLayer) {
        select({ layer: diffLayer, id: next.id.replace(/:(move|from|arrow)$/, '') }, false);
        return;
      }
      select(next, false);
    },
    [select],
  );

  const inView = useCallback(
    (o: ProtectedObject) => !view || bboxContains(view, o.centroid[0], o.centroid[1]),
    [view],
  );

  // Banners: every object listed, the open record, the releases listed, the open release.
  const screenMarking = useMemo(() => {
    const list: Marking[] = [];
    if (route.kind === 'register') {
      for (const o of shown ?? []) list.push(o.marking);
    }
    if (selectedObject) list.push(selectedObject.marking);
    if (route.kind === 'releases') {
      for (const r of releases.data?.items ?? []) list.push(r.marking);
    }
    if (route.kind === 'release') {
      if (release.data) list.push(release.data.marking);
      if (diff.data?.against) list.push(diff.data.against.marking);
    }
    return list.length > 0 ? combineMarkings(list) : null;
  }, [route.kind, shown, selectedObject, releases.data, release.data, diff.data]);
  useScreenMarking(screenMarking ? { marking: screenMarking, exercise: false } : null);

  const counts = useMemo(() => (all ? listCounts(all) : null), [all]);

  if (route.kind === 'unknown') {
    return (
      <section className="page page-not-found" data-testid="page-protect">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body', { path })}</p>
        <Link to={`/protect${search}`}>{t('protect.backToRegister')}</Link>
      </section>
    );
  }

  const tab = route.kind === 'register' ? 'register' : 'releases';

  return (
    <section className="page page-protect" data-testid="page-protect">
      <div className="protect-layout">
        <div
          className="protect-map"
          data-testid={route.kind === 'release' ? 'release-diff-map' : 'register-map'}
        >
          <MapView
            label={route.kind === 'release' ? t('protect.diffMapLabel') : t('protect.mapLabel')}
            overlays={overlays}
            extent={extent}
            fitKey={fitKey}
            selection={selection}
            onSelect={onMapSelect}
            focus={focus}
            onViewChange={setView}
            focusZoom={15}
            fitLabel={t('protect.fit')}
            fitHint={
              route.kind === 'release' ? t('protect.fitDiffHint') : t('protect.fitRegisterHint')
            }
          />
        </div>
        <aside className="protect-side" aria-labelledby="protect-title">
          <SectionHeader
            section="protect"
            title={t('protect.title')}
            subtitle={t('protect.subtitle')}
            viewsLabel={t('protect.viewsLabel')}
            tabs={[
              { id: 'register', to: '/protect', label: t('protect.register') },
              { id: 'releases', to: '/protect/releases', label: t('protect.releases') },
            ]}
            current={tab}
            search={search}
          />

          {route.kind !== 'release' && selectedObject ? (
            <ObjectRecord
              key={selectedObject.id}
              me={me}
              object={selectedObject}
              onClose={() => setSelection(null)}
              onZoom={() => selection && select(selection, true)}
              onChanged={(object) => {
                setChangedObject(object);
                register.reload();
              }}
            />
          ) : null}

          {route.kind === 'register' ? (
            <RegisterPanel
              me={me}
              objects={shown}
              total={register.total}
              loaded={all?.length ?? 0}
              problem={register.problem}
              filter={filter}
              onFilter={setFilter}
              selectedId={selection?.layer === objectsLayer ? selection.id : null}
              onSelect={(o) => select({ layer: objectsLayer, id: o.id }, true)}
              inView={inView}
              onImport={() => setImportOpen(true)}
            />
          ) : route.kind === 'releases' ? (
            <ReleasesPanel
              me={me}
              releases={releases.data}
              problem={releases.problem}
              onLists={counts}
              search={search}
              onCreated={() => releases.reload()}
            />
          ) : (
            <ReleasePanel
              key={route.id}
              me={me}
              release={release.data}
              problem={release.problem}
              diff={diff.data}
              diffProblem={diff.problem}
              rows={rows}
              itemsShown={mayExport && currentItems.problem === null}
              selectedId={selection?.layer === diffLayer ? selection.id : null}
              onSelect={(r) => {
                select({ layer: diffLayer, id: r.id }, false);
                // A moved object is shown with the way it moved.
                const target = {
                  layer: diffLayer,
                  id: r.change === 'moved' ? `${r.id}:move` : r.id,
                };
                setFocus((f) => ({ target, seq: (f?.seq ?? 0) + 1 }));
              }}
              onChanged={() => {
                release.reload();
                diff.reload();
              }}
              search={search}
            />
          )}
        </aside>
      </div>
      <ImportDialog
        open={importOpen}
        onClose={() => setImportOpen(false)}
        onImported={() => register.reload()}
      />
    </section>
  );
}
