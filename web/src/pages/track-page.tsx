// Track: civilian harm, beside one map.
// - `/track`: incidents, filterable by date, area, grade and topic, in a table and on the map
//   (clustered at low zoom, with a heat layer; both in the layer panel).
// - `/track/report`: the intake form; a click on the map places the report.
// - `/track/candidates`: the workbench of candidate matches, side by side.
// - `/track/incidents/:id`: one incident (timeline, sources, assessment, responses).
// - `/track/dashboard`: figures and charts from the statistics API.
// The intake draft and the filters live in the page, so changing view loses neither.
import { Suspense, lazy, useCallback, useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { AreaSummary, HarmIncident, HarmReport, Marking, Me, Page } from '../contract.js';
import { DataTable } from '../components/data-table.js';
import type { Column } from '../components/data-table.js';
import { HarmIncidentView } from '../components/harm-incident.js';
import {
  HarmReportForm,
  draftPosition,
  emptyHarmReportDraft,
} from '../components/harm-report-form.js';
import type { HarmReportDraft } from '../components/harm-report-form.js';
import { HarmFilterBar } from '../components/harm-filters.js';
import { HarmWorkbench } from '../components/harm-workbench.js';
import { Link } from '../components/link.js';
import { SectionHeader } from '../components/section-header.js';
import { MapView } from '../components/map-view.js';
import type { MapOverlay, MapSelection } from '../components/map-view.js';
import { useTaxonomies } from '../app-context.js';
import { bboxUnion } from '../geometry.js';
import {
  estimateText,
  harmQuery,
  incidentFeatures,
  noHarmFilters,
  trackRoute,
} from '../harm-view.js';
import type { HarmFilters } from '../harm-view.js';
import { t } from '../i18n.js';
import { useScreenMarking } from '../marking.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import { combineMarkings } from '../../../src/domain/taxonomy/index.js';

// The charting library loads only when the dashboard opens: other pages paint without it.
const HarmDashboard = lazy(() =>
  import('../components/harm-dashboard.js').then((m) => ({ default: m.HarmDashboard })),
);

const incidentsLayer = 'harm-incidents';
const heatLayer = 'harm-heat';
const pickedLayer = 'harm-picked';
const reportsLayer = 'harm-reports';
/** Incidents listed and mapped at most (the API's page limit). */
const pageLimit = 500;

/** The Track page (`/track[/...]`, `data-testid="page-track"`). */
export function TrackPage({
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
  const route = trackRoute(path);
  const taxonomies = useTaxonomies();
  const mayReport = can(me, 'harm_report', 'create');
  const [filters, setFilters] = useState<HarmFilters>(noHarmFilters);
  const [draft, setDraft] = useState<HarmReportDraft>(() => emptyHarmReportDraft());
  const [filed, setFiled] = useState<HarmReport | null>(null);

  const list = useApi<Page<HarmIncident>>(
    route.kind === 'incidents' || route.kind === 'report' ? '/api/harm/incidents' : null,
    { ...harmQuery(route.kind === 'report' ? noHarmFilters : filters), limit: pageLimit },
  );
  const openId = route.kind === 'incident' ? route.id : null;
  const incident = useApi<HarmIncident>(
    openId ? `/api/harm/incidents/${encodeURIComponent(openId)}` : null,
    undefined,
    false,
  );
  const reports = useApi<Page<HarmReport>>(openId ? '/api/harm/reports' : null, {
    incidentId: openId ?? undefined,
    limit: pageLimit,
  });
  const reportPoints = useMemo<FeatureCollection | null>(
    () =>
      reports.data
        ? {
            type: 'FeatureCollection',
            features: reports.data.items.map((r) => ({
              type: 'Feature',
              // `size` sizes the circle like a town of 50,000: visible beside the incident.
              properties: { id: r.id, name: r.sourceName, size: 50_000 },
              geometry: { type: 'Point', coordinates: [r.location.lon, r.location.lat] },
            })),
          }
        : null,
    [reports.data],
  );
  const incidents = useMemo(
    () =>
      route.kind === 'incident'
        ? incident.data
          ? [incident.data]
          : null
        : (list.data?.items ?? null),
    [route.kind, incident.data, list.data],
  );

  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<{ target: MapSelection; seq: number } | null>(null);
  const select = useCallback((next: MapSelection | null, fly: boolean) => {
    setSelection(next);
    if (next && fly) setFocus((f) => ({ target: next, seq: (f?.seq ?? 0) + 1 }));
  }, []);

  const features = useMemo(() => (incidents ? incidentFeatures(incidents) : null), [incidents]);
  const position = draftPosition(draft);
  const picked = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: position
        ? [
            {
              type: 'Feature',
              properties: { id: 'picked', name: t('harm.reportHere') },
              geometry: { type: 'Point', coordinates: [position.lon, position.lat] },
            },
          ]
        : [],
    }),
    [position?.lon, position?.lat], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const overlays = useMemo<MapOverlay[]>(() => {
    const base: MapOverlay[] = [
      { kind: 'heat', id: heatLayer, label: t('layers.harmHeat'), data: features },
      { kind: 'incidents', id: incidentsLayer, label: t('layers.harmIncidents'), data: features },
    ];
    if (route.kind === 'report')
      base.push({ kind: 'points', id: pickedLayer, label: t('layers.harmPicked'), data: picked });
    if (route.kind === 'incident')
      base.push({
        kind: 'points',
        id: reportsLayer,
        sizeBy: 'size',
        label: t('layers.harmReports'),
        data: reportPoints,
      });
    return base;
  }, [features, picked, route.kind, reportPoints]);

  const ownExtent = useMemo(() => {
    if (route.kind === 'incident' && incident.data) {
      // The incident and its reports, with room around them.
      const { lon, lat } = incident.data.location;
      const all = bboxUnion([
        [lon, lat, lon, lat],
        ...(reports.data?.items ?? []).map(
          (r) =>
            [r.location.lon, r.location.lat, r.location.lon, r.location.lat] as [
              number,
              number,
              number,
              number,
            ],
        ),
      ]) as [number, number, number, number];
      return [all[0] - 0.1, all[1] - 0.08, all[2] + 0.1, all[3] + 0.08] as [
        number,
        number,
        number,
        number,
      ];
    }
    if (!incidents || incidents.length === 0) return null;
    // One incident, or several at one place: show the place around them, not a street.
    const pad = ([w, so, e, n]: [number, number, number, number]) =>
      e - w < 0.05 && n - so < 0.05
        ? ([w - 0.1, so - 0.08, e + 0.1, n + 0.08] as [number, number, number, number])
        : ([w, so, e, n] as [number, number, number, number]);
    return pad(
      bboxUnion(
        incidents.map(
          (i) =>
            [i.location.lon, i.location.lat, i.location.lon, i.location.lat] as [
              number,
              number,
              number,
              number,
            ],
        ),
      ) as [number, number, number, number],
    );
  }, [route.kind, incident.data, incidents, reports.data]);
  const extent = ownExtent ?? (area ? area.bbox : null);
  const fitKey = `${route.kind}|${openId ?? ''}|${ownExtent ? 'data' : 'area'}|${reports.data?.total ?? ''}`;

  const screenMarking = useMemo(() => {
    const markings: Marking[] = [];
    for (const i of incidents ?? []) markings.push(i.marking);
    if (route.kind === 'report' && draft.sourceName.trim() !== '') markings.push(draft.marking);
    return markings.length > 0 ? combineMarkings(markings) : null;
  }, [incidents, route.kind, draft]);
  useScreenMarking(screenMarking ? { marking: screenMarking, exercise: false } : null);

  const onPick = useCallback(
    (lon: number, lat: number) =>
      setDraft((d) => ({ ...d, lat: lat.toFixed(5), lon: lon.toFixed(5), mgrs: '' })),
    [],
  );

  const columns = useMemo<Column<HarmIncident>[]>(
    () => [
      { id: 'date', header: t('harm.when'), value: (i) => i.date.start, mono: true },
      {
        id: 'title',
        header: t('harm.incident'),
        value: (i) => i.title,
        className: 'cell-wrap',
        render: (i) => (
          <Link
            to={`/track/incidents/${encodeURIComponent(i.id)}${search}`}
            data-testid="harm-incident-link"
          >
            {i.title}
          </Link>
        ),
      },
      {
        id: 'area',
        header: t('harm.area'),
        value: (i) => i.location.adminName ?? i.location.adminCode ?? '',
      },
      {
        id: 'killed',
        header: t('harm.killed'),
        value: (i) => i.killed.best,
        numeric: true,
        render: (i) => estimateText(i.killed),
      },
      {
        id: 'injured',
        header: t('harm.injured'),
        value: (i) => i.injured.best,
        numeric: true,
        render: (i) => estimateText(i.injured),
      },
      {
        id: 'grade',
        header: t('harm.grade'),
        value: (i) => (i.assessment ? codeLabel(taxonomies, 'harmGrade', i.assessment.grade) : ''),
      },
      { id: 'reports', header: t('harm.reports'), value: (i) => i.reportCount, numeric: true },
    ],
    [search, taxonomies],
  );

  if (route.kind === 'unknown') {
    return (
      <section className="page page-not-found" data-testid="page-track">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body', { path })}</p>
        <Link to={`/track${search}`}>{t('harm.backToIncidents')}</Link>
      </section>
    );
  }

  const tabs = [
    { id: 'incidents', to: '/track', label: t('harm.tabIncidents') },
    ...(mayReport ? [{ id: 'report', to: '/track/report', label: t('harm.tabReport') }] : []),
    { id: 'candidates', to: '/track/candidates', label: t('harm.tabCandidates') },
    { id: 'dashboard', to: '/track/dashboard', label: t('harm.tabDashboard') },
  ];
  const currentTab = route.kind === 'incident' ? 'incidents' : route.kind;
  const wide = route.kind === 'candidates' || route.kind === 'dashboard';
  const selectedIncident =
    selection?.layer === incidentsLayer
      ? (incidents?.find((i) => i.id === selection.id) ?? null)
      : null;

  const header = (
    <SectionHeader
      section="track"
      title={t('track.title')}
      subtitle={t('harm.subtitle')}
      viewsLabel={t('harm.viewsLabel')}
      tabs={tabs}
      current={currentTab}
      search={search}
      className="track-header"
    />
  );

  if (wide) {
    return (
      <section
        className="page page-track track-wide"
        data-testid="page-track"
        aria-labelledby="track-title"
      >
        {header}
        <div className="track-wide-body">
          {route.kind === 'candidates' ? (
            <HarmWorkbench me={me} search={search} />
          ) : (
            <Suspense fallback={<p className="muted panel-note">{t('app.loading')}</p>}>
              <HarmDashboard filters={filters} onFilters={setFilters} />
            </Suspense>
          )}
        </div>
      </section>
    );
  }

  return (
    <section
      className={`page page-protect page-track track-${route.kind}`}
      data-testid="page-track"
    >
      <div className="protect-layout track-layout">
        <div className="protect-map" data-testid="harm-map">
          <MapView
            label={t('harm.mapLabel')}
            overlays={overlays}
            extent={extent}
            fitKey={fitKey}
            selection={selection}
            onSelect={(next) => select(next, false)}
            focus={focus}
            focusZoom={12}
            onPick={route.kind === 'report' ? onPick : undefined}
            fitLabel={t('harm.fit')}
            fitHint={t('harm.fitHint')}
          />
        </div>
        <aside className="protect-side" aria-labelledby="track-title">
          {header}
          <div className="plan-panel track-panel">
            {route.kind === 'report' ? (
              mayReport ? (
                <HarmReportForm
                  me={me}
                  draft={draft}
                  onDraft={setDraft}
                  filed={filed}
                  onFiled={(report) => {
                    setFiled(report);
                    if (report) list.reload();
                  }}
                  search={search}
                />
              ) : (
                <p className="panel-note">{t('harm.mayNotReport')}</p>
              )
            ) : route.kind === 'incident' ? (
              <HarmIncidentView
                me={me}
                incident={incident.data}
                reports={reports}
                problem={incident.problem}
                search={search}
                onChanged={incident.reload}
              />
            ) : (
              <>
                <HarmFilterBar value={filters} onApply={setFilters} />
                {selectedIncident ? (
                  <div className="harm-selected" data-testid="harm-selected">
                    <strong>{selectedIncident.title}</strong>
                    <span>
                      {t('harm.killed')}: {estimateText(selectedIncident.killed)} ·{' '}
                      {t('harm.injured')}: {estimateText(selectedIncident.injured)}
                    </span>
                    <Link
                      to={`/track/incidents/${encodeURIComponent(selectedIncident.id)}${search}`}
                    >
                      {t('harm.openIncident')}
                    </Link>
                  </div>
                ) : null}
                <DataTable
                  label={t('harm.incidentsTable')}
                  testId="harm-incidents-table"
                  rows={list.data?.items ?? null}
                  columns={columns}
                  rowId={(i) => i.id}
                  selectedId={selectedIncident?.id ?? null}
                  onSelect={(i) => select({ layer: incidentsLayer, id: i.id }, true)}
                  initialSort={{ column: 'date', descending: true }}
                  note={
                    list.data && list.data.total > list.data.items.length
                      ? t('harm.partial', { shown: list.data.items.length, total: list.data.total })
                      : null
                  }
                  emptyText={t('harm.noIncidents')}
                />
              </>
            )}
          </div>
        </aside>
      </div>
    </section>
  );
}
