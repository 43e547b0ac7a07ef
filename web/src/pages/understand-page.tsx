// Understand: the human environment of the area of operations. The map and, beside it, the area's
// summary, the selected record and tables of regions, places, own units and human security
// factors (with the PMESII × ASCOPE matrix); selecting on either side selects on the other.
import { useCallback, useMemo, useState } from 'react';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { useSettings, useTaxonomies } from '../app-context.js';
import type {
  AreaDetail,
  AreaSummary,
  BBox,
  Factor,
  FactorMatrix as Matrix,
  Marking,
  Me,
  Page,
  PlaceCollection,
  PlaceProperties,
  RegionCollection,
  RegionProperties,
  UnitCollection,
  UnitProperties,
} from '../contract.js';
import { DataTable } from '../components/data-table.js';
import { FactorForm } from '../components/factor-form.js';
import type { MatrixFilter } from '../components/factor-matrix.js';
import { FactorsPanel } from '../components/factors-panel.js';
import type { Column } from '../components/data-table.js';
import { MapView } from '../components/map-view.js';
import type { MapOverlay, MapSelection } from '../components/map-view.js';
import { MarkingChip } from '../components/marking-chip.js';
import { ProblemCard } from '../components/problem-notice.js';
import { RecordPanel } from '../components/record-panel.js';
import type { RecordField } from '../components/record-panel.js';
import { formatDtg, formatIsoMinute, formatLatLon, formatMgrs } from '../format.js';
import { bboxContains, geometryBbox, polygonContains } from '../geometry.js';
import { newFactorDraft, validateFactor } from '../factor-rules.js';
import type { FactorDraft } from '../factor-rules.js';
import { formatNumber, t } from '../i18n.js';
import { useScreenMarking } from '../marking.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import { combineMarkings } from '../../../src/domain/taxonomy/index.js';

/** Most places asked for at once; the table says when the area holds more. */
const placeLimit = 5000;

type Tab = 'regions' | 'places' | 'units' | 'factors';

/** Most factors listed at once (the API's page limit); the table says when the area holds more. */
const factorLimit = 500;

const emptyFc: FeatureCollection = { type: 'FeatureCollection', features: [] };

interface PlaceRow extends PlaceProperties {
  lon: number;
  lat: number;
  region: RegionProperties | null;
}

interface RegionRow extends RegionProperties {
  places: number;
  population: number;
}

interface UnitRow extends UnitProperties {
  lon: number;
  lat: number;
}

/** The Understand page (`/understand`, `data-testid="page-understand"`). */
export function UnderstandPage({
  me,
  area,
  areasLoaded,
}: {
  me: Me;
  area: AreaSummary | null;
  areasLoaded: boolean;
}) {
  const { notation } = useSettings();
  const taxonomies = useTaxonomies();
  const areaPath = area ? `/api/areas/${encodeURIComponent(area.id)}` : null;
  // Failures are shown in place (summary, tab), not in the global notice.
  const detail = useApi<AreaDetail>(areaPath, undefined, false);
  const regions = useApi<RegionCollection>(areaPath && `${areaPath}/regions`, undefined, false);
  const places = useApi<PlaceCollection>(
    areaPath && `${areaPath}/places`,
    area ? { bbox: area.bbox.join(','), limit: placeLimit } : undefined,
    false,
  );
  const units = useApi<UnitCollection>(areaPath && `${areaPath}/units`, undefined, false);

  // Factors: the matrix (counts) loads with the page; the list only once the tab is opened, since
  // listing compartmented factors is an audited access.
  const mayReadFactors = can(me, 'factor', 'read');
  const factorsPath = mayReadFactors && areaPath ? `${areaPath}/factors` : null;
  const [factorsWanted, setFactorsWanted] = useState(false);
  const [factorFilter, setFactorFilter] = useState<MatrixFilter | null>(null);
  const factors = useApi<Page<Factor>>(
    factorsWanted ? factorsPath : null,
    {
      limit: factorLimit,
      offset: 0,
      pmesii: factorFilter?.pmesii,
      ascope: factorFilter?.ascope ?? undefined,
    },
    false,
  );
  const matrix = useApi<Matrix>(factorsPath && `${factorsPath}/matrix`, undefined, false);
  const [factorRecord, setFactorRecord] = useState<Factor | null>(null);
  // Drafts of new factors, per area, in memory only: kept when the form closes or the tab changes.
  const [drafts, setDrafts] = useState<Readonly<Record<string, FactorDraft>>>({});
  const [formOpen, setFormOpen] = useState(false);
  const [matrixOpen, setMatrixOpen] = useState(true);

  const failed = {
    regions: regions.problem !== null,
    places: places.problem !== null,
    units: units.problem !== null,
    factors: factors.problem !== null || matrix.problem !== null,
  };

  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<{ target: MapSelection; seq: number } | null>(null);
  const [tab, setTabState] = useState<Tab>('regions');
  const setTab = useCallback((next: Tab) => {
    setTabState(next);
    if (next === 'factors') setFactorsWanted(true);
  }, []);
  const [view, setView] = useState<BBox | null>(null);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [regionFilter, setRegionFilter] = useState<string | null>(null);
  // A selection belongs to one area; switching areas clears it.
  const [selectionArea, setSelectionArea] = useState(area?.id);
  if (selectionArea !== area?.id) {
    setSelectionArea(area?.id);
    setSelection(null);
    setFocus(null);
    setRegionFilter(null);
    setFactorFilter(null);
    setFactorRecord(null);
    setFormOpen(false);
  }

  // Rows for the tables, with each place joined to its region (by admin code, else by geometry).
  const regionRows = useMemo(() => regionFeatures(regions.data), [regions.data]);
  const placeRows = useMemo(
    () => placeFeatures(places.data, regions.data),
    [places.data, regions.data],
  );
  const regionTable = useMemo<RegionRow[] | null>(() => {
    if (!regionRows) return null;
    const stats = new Map<string, { places: number; population: number }>();
    for (const place of placeRows ?? []) {
      if (!place.region) continue;
      const s = stats.get(place.region.id) ?? { places: 0, population: 0 };
      s.places += 1;
      s.population += place.population || 0;
      stats.set(place.region.id, s);
    }
    return regionRows.map((r) => ({ ...r, ...(stats.get(r.id) ?? { places: 0, population: 0 }) }));
  }, [regionRows, placeRows]);
  const unitRows = useMemo<UnitRow[] | null>(
    () =>
      units.data
        ? units.data.features.map((f) => ({
            ...f.properties,
            lon: f.geometry.coordinates[0] ?? 0,
            lat: f.geometry.coordinates[1] ?? 0,
          }))
        : null,
    [units.data],
  );

  const outline = useMemo<FeatureCollection | null>(
    () =>
      detail.data
        ? {
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { id: detail.data.id, name: detail.data.name },
                geometry: detail.data.outline,
              },
            ],
          }
        : null,
    [detail.data],
  );

  // A failed load shows an empty layer, not an endless spinner: the problem is shown separately.
  const settled = <T,>(resource: { data: T | null; problem: unknown }, empty: T): T | null =>
    resource.data ?? (resource.problem ? empty : null);
  const outlineData = outline ?? (detail.problem ? emptyFc : null);
  const regionData = settled<FeatureCollection>(regions, emptyFc);
  const placeData = settled<FeatureCollection>(places, emptyFc);
  const unitData = settled<FeatureCollection>(units, emptyFc);
  const overlays = useMemo<MapOverlay[]>(
    () =>
      area
        ? [
            { kind: 'polygons', id: 'regions', label: t('layers.regions'), data: regionData },
            { kind: 'outline', id: 'area', label: t('layers.area'), data: outlineData },
            {
              kind: 'points',
              id: 'places',
              label: t('layers.places'),
              data: placeData,
              sizeBy: 'population',
              labelTop: 12,
            },
            { kind: 'units', id: 'units', label: t('layers.units'), data: unitData },
          ]
        : [],
    [area, regionData, outlineData, placeData, unitData],
  );

  const select = useCallback(
    (next: MapSelection | null, fly: boolean) => {
      setSelection(next);
      // Choosing a region narrows the places table to it until cleared (selecting a place in it
      // keeps the narrowing, so the table does not jump).
      if (next?.layer === 'regions') setRegionFilter(next.id);
      if (
        next &&
        (next.layer === 'regions' ||
          next.layer === 'places' ||
          next.layer === 'units' ||
          next.layer === 'factors')
      ) {
        setTab(next.layer);
      }
      if (next && fly) setFocus((f) => ({ target: next, seq: (f?.seq ?? 0) + 1 }));
    },
    [setTab],
  );
  const onMapSelect = useCallback(
    (next: MapSelection | null) => select(next?.layer === 'area' ? null : next, false),
    [select],
  );

  const inView = useCallback(
    (row: { lon: number; lat: number }) => !view || bboxContains(view, row.lon, row.lat),
    [view],
  );
  const regionInView = useCallback(
    (row: RegionRow) => {
      if (!view) return true;
      const box = geometryBbox(
        regions.data?.features.find((f) => f.properties.id === row.id)?.geometry ?? null,
      );
      return (
        !box || !(box[0] > view[2] || box[2] < view[0] || box[1] > view[3] || box[3] < view[1])
      );
    },
    [view, regions.data],
  );

  const columns = useColumns(notation);

  // The factor open in the record panel: as listed now, else as it was when chosen.
  const factorItems = factors.data?.items ?? null;
  const shownFactor =
    selection?.layer === 'factors'
      ? (factorItems?.find((f) => f.id === selection.id) ??
        (factorRecord?.id === selection.id ? factorRecord : null))
      : null;
  const draft = area ? (drafts[area.id] ?? null) : null;

  // The banners count every factor on screen: the list (on its tab), the open record, and a draft
  // being written at its chosen marking.
  const factorMarkings = useMemo(() => {
    const list: Marking[] = [];
    if (tab === 'factors' && !formOpen) list.push(...(factorItems ?? []).map((f) => f.marking));
    if (shownFactor) list.push(shownFactor.marking);
    if (formOpen && draft) {
      const errors = validateFactor(draft, me);
      if (!errors.classification && !errors.releasability) {
        list.push({
          classification: draft.classification,
          releasability: draft.releasability,
        } as Marking);
      }
    }
    return list.length > 0 ? combineMarkings(list) : null;
  }, [tab, formOpen, factorItems, shownFactor, draft, me]);
  useScreenMarking(
    area && factorMarkings ? { marking: factorMarkings, exercise: area.exercise } : null,
  );

  const setDraft = useCallback(
    (next: FactorDraft | null) => {
      if (!area) return;
      setDrafts((all) => {
        const { [area.id]: _old, ...rest } = all;
        return next ? { ...rest, [area.id]: next } : rest;
      });
    },
    [area],
  );

  if (!area) {
    return (
      <section className="page page-understand" data-testid="page-understand">
        <div className="understand-layout">
          <MapView
            label={t('map.label')}
            overlays={overlays}
            extent={null}
            selection={null}
            onSelect={onMapSelect}
          />
          <aside className="understand-side">
            <div className="empty-state" data-testid="no-areas">
              {areasLoaded ? (
                <>
                  <h1>{t('understand.noAreasTitle')}</h1>
                  <p>{t('understand.noAreasBody')}</p>
                </>
              ) : (
                <p className="muted">{t('app.loading')}</p>
              )}
            </div>
          </aside>
        </div>
      </section>
    );
  }

  const record = selectedRecord(selection, { regionTable, placeRows, unitRows }, notation);
  const counts: Record<Tab, number | null> = {
    regions: regionTable?.length ?? area.regionCount,
    places: area.placeCount,
    units: unitRows?.length ?? area.unitCount,
    factors: matrix.data ? matrix.data.cells.reduce((sum, c) => sum + c.count, 0) : null,
  };
  const tabs: Tab[] = mayReadFactors
    ? ['regions', 'places', 'units', 'factors']
    : ['regions', 'places', 'units'];
  const filterRegion = regionFilter
    ? (regionTable?.find((r) => r.id === regionFilter) ?? null)
    : null;
  const placeTableRows =
    filterRegion && placeRows
      ? placeRows.filter((p) => p.region?.id === filterRegion.id)
      : placeRows;
  const placeTotal = places.data?.total ?? area.placeCount;
  const placesNote =
    !filterRegion && placeRows && placeRows.length < placeTotal
      ? t('understand.placesPartial', { shown: placeRows.length, count: placeTotal })
      : null;

  return (
    <section className="page page-understand" data-testid="page-understand">
      <div className="understand-layout">
        <MapView
          label={t('map.label')}
          overlays={overlays}
          extent={area.bbox}
          selection={selection}
          onSelect={onMapSelect}
          focus={focus}
          onViewChange={setView}
        />
        <aside className="understand-side" aria-label={t('understand.tablesLabel')}>
          <header className="area-summary" data-testid="area-summary">
            <div className="area-title-row">
              <h1 className="area-title">
                <span className="area-title-kicker">{t('understand.title')}</span>
                <span data-testid="area-title">{area.name}</span>
              </h1>
              <MarkingChip marking={area.marking} exercise={area.exercise} />
            </div>
            {area.description ? (
              <p className="area-description" data-expanded={aboutOpen}>
                {area.description}
              </p>
            ) : null}
            <dl className="area-facts" data-expanded={aboutOpen}>
              <div>
                <dt>{t('understand.created')}</dt>
                <dd className="mono">
                  {notation === 'military'
                    ? formatDtg(area.createdAt)
                    : formatIsoMinute(area.createdAt)}
                </dd>
              </div>
              {detail.data?.source ? (
                <div className="area-source">
                  <dt>{t('understand.source')}</dt>
                  <dd>{detail.data.source}</dd>
                </div>
              ) : null}
            </dl>
            <button
              type="button"
              className="link-button"
              aria-expanded={aboutOpen}
              onClick={() => setAboutOpen(!aboutOpen)}
              data-testid="area-about-toggle"
            >
              {aboutOpen ? t('understand.less') : t('understand.more')}
            </button>
            {detail.problem ? <ProblemCard problem={detail.problem} /> : null}
          </header>

          {shownFactor ? (
            <RecordPanel
              kind={t('record.factor')}
              title={shownFactor.title}
              marking={shownFactor.marking}
              exercise={area.exercise}
              markingTitle={t('record.ownMarking')}
              fields={factorFields(shownFactor, regionTable, notation, taxonomies)}
              onClose={() => setSelection(null)}
              onZoom={
                shownFactor.regionId && regionTable?.some((r) => r.id === shownFactor.regionId)
                  ? () =>
                      setFocus((f) => ({
                        target: { layer: 'regions', id: shownFactor.regionId ?? '' },
                        seq: (f?.seq ?? 0) + 1,
                      }))
                  : null
              }
            >
              <FactorText
                label={t('record.summary')}
                text={shownFactor.summary}
                testId="factor-record-summary"
              />
              <FactorText
                label={t('record.details')}
                text={shownFactor.details}
                testId="factor-record-details"
              />
            </RecordPanel>
          ) : null}

          {record ? (
            <RecordPanel
              kind={record.kind}
              title={record.title}
              marking={area.marking}
              exercise={area.exercise}
              fields={record.fields}
              onClose={() => setSelection(null)}
              onZoom={() => selection && select(selection, true)}
            />
          ) : null}

          <div className="tabs" role="tablist" aria-label={t('understand.tablesLabel')}>
            {tabs.map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`tabpanel-${id}`}
                tabIndex={tab === id ? 0 : -1}
                onClick={() => setTab(id)}
                onKeyDown={(event) => {
                  const order = tabs;
                  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                  if (step === 0) return;
                  const next =
                    order[(order.indexOf(id) + step + order.length) % order.length] ?? id;
                  setTab(next);
                  document.getElementById(`tab-${next}`)?.focus();
                }}
                data-testid={`tab-${id}`}
              >
                {t(`understand.${id}`)}
                {id === 'factors' && counts.factors === null && !failed.factors ? null : failed[
                    id
                  ] ? (
                  <span className="tab-failed" title={t('understand.loadFailed')}>
                    {t('understand.loadFailedMark')}
                  </span>
                ) : (
                  <span className="tab-count">{formatNumber(counts[id] ?? 0)}</span>
                )}
              </button>
            ))}
          </div>
          <div
            className="tab-panel"
            role="tabpanel"
            id={`tabpanel-${tab}`}
            aria-labelledby={`tab-${tab}`}
          >
            {tab === 'factors' && mayReadFactors ? (
              formOpen && draft ? (
                <FactorForm
                  me={me}
                  area={area}
                  regions={regionRows}
                  draft={draft}
                  onDraft={setDraft}
                  onClose={() => setFormOpen(false)}
                  onDiscard={() => {
                    setDraft(null);
                    setFormOpen(false);
                  }}
                  onCreated={(factor) => {
                    setDraft(null);
                    setFormOpen(false);
                    setFactorFilter(null);
                    factors.reload();
                    matrix.reload();
                    setFactorRecord(factor);
                    setSelection({ layer: 'factors', id: factor.id });
                  }}
                />
              ) : (
                <FactorsPanel
                  area={area}
                  factors={factorItems}
                  total={factors.data?.total ?? null}
                  problem={factors.problem}
                  matrix={matrix.data}
                  matrixProblem={matrix.problem}
                  filter={factorFilter}
                  onFilter={setFactorFilter}
                  selectedId={selection?.layer === 'factors' ? selection.id : null}
                  onSelect={(f) => {
                    setFactorRecord(f);
                    select({ layer: 'factors', id: f.id }, false);
                  }}
                  onNew={
                    can(me, 'factor', 'create')
                      ? () => {
                          if (!draft) setDraft(newFactorDraft(area, me));
                          // The form needs the height the record panel takes.
                          if (selection?.layer === 'factors') setSelection(null);
                          setFormOpen(true);
                        }
                      : null
                  }
                  hasDraft={draft !== null}
                  mayExport={can(me, 'factor', 'export')}
                  matrixOpen={matrixOpen}
                  onMatrixOpen={setMatrixOpen}
                />
              )
            ) : tab === 'regions' ? (
              <>
                {regions.problem ? (
                  <ProblemCard problem={regions.problem} />
                ) : (
                  <DataTable<RegionRow>
                    key="regions"
                    label={t('understand.regions')}
                    testId="regions-table"
                    rows={regionTable}
                    columns={columns.regions}
                    rowId={(r) => r.id}
                    selectedId={selection?.layer === 'regions' ? selection.id : null}
                    onSelect={(r) => select({ layer: 'regions', id: r.id }, true)}
                    initialSort={{ column: 'name', descending: false }}
                    inView={regionInView}
                  />
                )}
              </>
            ) : tab === 'places' ? (
              <>
                {filterRegion ? (
                  <div className="filter-chip-row">
                    <span className="filter-chip" data-testid="places-region-filter">
                      {t('understand.inRegion', { region: filterRegion.name })}
                    </span>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setRegionFilter(null)}
                      data-testid="places-region-filter-clear"
                    >
                      {t('understand.showAllPlaces')}
                    </button>
                  </div>
                ) : null}
                {places.problem ? (
                  <ProblemCard problem={places.problem} />
                ) : (
                  <DataTable<PlaceRow>
                    key="places"
                    label={t('understand.places')}
                    testId="places-table"
                    rows={placeTableRows}
                    columns={columns.places}
                    rowId={(r) => r.id}
                    selectedId={selection?.layer === 'places' ? selection.id : null}
                    onSelect={(r) => select({ layer: 'places', id: r.id }, true)}
                    initialSort={{ column: 'population', descending: true }}
                    inView={inView}
                    note={placesNote}
                  />
                )}
              </>
            ) : (
              <>
                {units.problem ? (
                  <ProblemCard problem={units.problem} />
                ) : (
                  <DataTable<UnitRow>
                    key="units"
                    label={t('understand.units')}
                    testId="units-table"
                    rows={unitRows}
                    columns={columns.units}
                    rowId={(r) => r.id}
                    selectedId={selection?.layer === 'units' ? selection.id : null}
                    onSelect={(r) => select({ layer: 'units', id: r.id }, true)}
                    initialSort={{ column: 'name', descending: false }}
                    inView={inView}
                  />
                )}
              </>
            )}
          </div>
        </aside>
      </div>
    </section>
  );
}

function regionFeatures(collection: RegionCollection | null): RegionProperties[] | null {
  return collection ? collection.features.map((f) => f.properties) : null;
}

function placeFeatures(
  collection: PlaceCollection | null,
  regions: RegionCollection | null,
): PlaceRow[] | null {
  if (!collection) return null;
  const byCode = new Map<string, RegionProperties>();
  const boxes = (regions?.features ?? []).map((f) => ({
    feature: f,
    box: geometryBbox(f.geometry),
  }));
  for (const { feature } of boxes) byCode.set(feature.properties.code, feature.properties);
  return collection.features
    .filter((f): f is Feature<Point, PlaceProperties> => f.geometry?.type === 'Point')
    .map((f) => {
      const [lon = 0, lat = 0] = f.geometry.coordinates;
      let region = (f.properties.adminCode && byCode.get(f.properties.adminCode)) || null;
      if (!region) {
        const hit = boxes.find(
          ({ feature, box }) =>
            box && bboxContains(box, lon, lat) && polygonContains(feature.geometry, lon, lat),
        );
        region = hit?.feature.properties ?? null;
      }
      return { ...f.properties, lon, lat, region };
    });
}

function position(lon: number, lat: number, notation: 'military' | 'civil'): string {
  return notation === 'military'
    ? (formatMgrs(lon, lat, 3) ?? formatLatLon(lon, lat))
    : formatLatLon(lon, lat);
}

function placeKind(kind: PlaceProperties['kind']): string {
  return kind === 'city' ? t('place.city') : kind === 'town' ? t('place.town') : t('place.village');
}

function useColumns(notation: 'military' | 'civil') {
  return useMemo(() => {
    const regions: Column<RegionRow>[] = [
      { id: 'name', header: t('column.name'), value: (r) => r.name },
      { id: 'code', header: t('column.code'), value: (r) => r.code, mono: true },
      { id: 'places', header: t('column.places'), value: (r) => r.places, numeric: true },
      {
        id: 'population',
        header: t('column.listedPopulation'),
        hint: t('column.listedPopulationHint'),
        value: (r) => r.population,
        numeric: true,
      },
    ];
    const places: Column<PlaceRow>[] = [
      { id: 'name', header: t('column.name'), value: (r) => r.name },
      { id: 'kind', header: t('column.kind'), value: (r) => placeKind(r.kind) },
      {
        id: 'population',
        header: t('column.population'),
        value: (r) => r.population,
        numeric: true,
      },
      { id: 'region', header: t('column.region'), value: (r) => r.region?.name ?? r.adminCode },
      {
        id: 'position',
        header: t('column.position'),
        value: (r) => position(r.lon, r.lat, notation),
        mono: true,
      },
    ];
    const units: Column<UnitRow>[] = [
      { id: 'name', header: t('column.name'), value: (r) => r.name },
      { id: 'role', header: t('column.role'), value: (r) => r.role },
      {
        id: 'position',
        header: t('column.position'),
        value: (r) => position(r.lon, r.lat, notation),
        mono: true,
      },
    ];
    // The SIDC is military notation; civil users read the role.
    if (notation === 'military') {
      units.splice(2, 0, {
        id: 'sidc',
        header: t('column.sidc'),
        value: (r) => r.sidc,
        mono: true,
      });
    }
    return { regions, places, units };
  }, [notation]);
}

function pointFields(lon: number, lat: number): RecordField[] {
  const mgrs = formatMgrs(lon, lat, 5);
  return [
    ...(mgrs ? [{ label: t('record.mgrs'), value: mgrs, mono: true }] : []),
    { label: t('record.latLon'), value: formatLatLon(lon, lat), mono: true },
  ];
}

function selectedRecord(
  selection: MapSelection | null,
  data: {
    regionTable: RegionRow[] | null;
    placeRows: PlaceRow[] | null;
    unitRows: UnitRow[] | null;
  },
  notation: 'military' | 'civil',
): { kind: string; title: string; fields: RecordField[] } | null {
  if (!selection) return null;
  if (selection.layer === 'regions') {
    const r = data.regionTable?.find((row) => row.id === selection.id);
    if (!r) return null;
    return {
      kind: t('record.region'),
      title: r.name,
      fields: [
        { label: t('record.code'), value: r.code, mono: true },
        { label: t('record.placesIn'), value: formatNumber(r.places) },
        { label: t('record.listedPopulation'), value: formatNumber(r.population) },
        { label: t('record.source'), value: r.source },
      ],
    };
  }
  if (selection.layer === 'places') {
    const p = data.placeRows?.find((row) => row.id === selection.id);
    if (!p) return null;
    return {
      kind: t('record.place'),
      title: p.name,
      fields: [
        { label: t('record.kind'), value: placeKind(p.kind) },
        { label: t('record.population'), value: formatNumber(p.population) },
        {
          label: t('record.region.in'),
          value: p.region?.name ?? p.adminCode ?? t('table.noValue'),
        },
        ...orderedPoint(p.lon, p.lat, notation),
      ],
    };
  }
  if (selection.layer === 'units') {
    const u = data.unitRows?.find((row) => row.id === selection.id);
    if (!u) return null;
    return {
      kind: t('record.unit'),
      title: u.name,
      fields: [
        { label: t('record.role'), value: u.role },
        { label: t('record.sidc'), value: u.sidc, mono: true },
        ...orderedPoint(u.lon, u.lat, notation),
      ],
    };
  }
  return null;
}

/** Both position notations, the user's own first. */
function orderedPoint(lon: number, lat: number, notation: 'military' | 'civil'): RecordField[] {
  const fields = pointFields(lon, lat);
  return notation === 'military' ? fields : [...fields].reverse();
}

/** The fields of a factor's record panel. */
function factorFields(
  factor: Factor,
  regions: RegionRow[] | null,
  notation: 'military' | 'civil',
  taxonomies: ReturnType<typeof useTaxonomies>,
): RecordField[] {
  const when = (iso: string) => (notation === 'military' ? formatDtg(iso) : formatIsoMinute(iso));
  const region = factor.regionId ? regions?.find((r) => r.id === factor.regionId) : null;
  return [
    { label: t('record.pmesii'), value: codeLabel(taxonomies, 'pmesiiDomain', factor.pmesii) },
    { label: t('record.ascope'), value: codeLabel(taxonomies, 'ascopeCategory', factor.ascope) },
    {
      label: t('record.topics'),
      value:
        factor.topics.length === 0
          ? t('table.noValue')
          : factor.topics
              .map((topic) => codeLabel(taxonomies, 'crossCuttingTopic', topic))
              .join(', '),
    },
    {
      label: t('record.compartment'),
      value: factor.compartment ? (
        <span className="compartment-tag" data-testid="factor-record-compartment">
          {factor.compartment}
        </span>
      ) : (
        t('record.noCompartment')
      ),
    },
    {
      label: t('record.region.in'),
      value: factor.regionId ? (region?.name ?? factor.regionId) : t('record.wholeArea'),
    },
    { label: t('record.updated'), value: when(factor.updatedAt), mono: true },
  ];
}

/** A factor's longer text, as text: line breaks kept, markup shown as typed. */
function FactorText({ label, text, testId }: { label: string; text: string; testId: string }) {
  return (
    <section className="record-text">
      <h3>{label}</h3>
      {text.trim() === '' ? (
        <p className="muted">{t('record.noText')}</p>
      ) : (
        <p className="record-text-body" data-testid={testId}>
          {text}
        </p>
      )}
    </section>
  );
}
