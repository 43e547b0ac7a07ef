// Plan: screening planned actions against the register of protected objects, beside one map.
// - `/plan`: a new screening. Aimpoints pasted or loaded from a file are read as the planner
//   types and drawn as rings at once; running it saves the screening and opens it.
// - `/plan/screenings`: earlier screenings, to reopen.
// - `/plan/screenings/:id`: one screening: its rings coloured by whether the aimpoint is
//   flagged, the objects hit with the register's symbols, and the flag sheet.
// - `/plan/effect-classes`: the effect classes, for the users allowed to set them.
// The banners combine the markings of everything on screen.
import { useCallback, useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type {
  AreaSummary,
  EffectClass,
  Marking,
  Me,
  Page,
  Release,
  Screening,
  ScreeningSummary,
} from '../contract.js';
import { EffectClassesEditor } from '../components/effect-classes-editor.js';
import { Link } from '../components/link.js';
import { SectionHeader } from '../components/section-header.js';
import { MapView } from '../components/map-view.js';
import type { MapOverlay, MapSelection } from '../components/map-view.js';
import { ScreeningForm, emptyDraft, useAimpointParse } from '../components/screening-form.js';
import type { ScreeningDraft } from '../components/screening-form.js';
import { ScreeningResult } from '../components/screening-result.js';
import { ScreeningsList } from '../components/screenings-list.js';
import { bboxUnion, geometryBbox } from '../geometry.js';
import { t } from '../i18n.js';
import { useScreenMarking } from '../marking.js';
import { useRegister } from '../register-data.js';
import { navigate } from '../router.js';
import { hitFeatures, planRoute, ringFeatures } from '../screening-view.js';
import { can } from '../session.js';
import { useApi } from '../use-api.js';
import { combineMarkings } from '../../../src/domain/taxonomy/index.js';

const ringsLayer = 'screening-rings';
const hitsLayer = 'screening-hits';
const emptyFc: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** Most releases offered, and earlier screenings listed (the API's page limit). */
const pageLimit = 500;

/** The Plan page (`/plan[/...]`, `data-testid="page-plan"`). */
export function PlanPage({
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
  const route = planRoute(path);
  const mayCreate = can(me, 'screening', 'create');
  const mayEditClasses = can(me, 'effect_class', 'update');

  const [draft, setDraft] = useState<ScreeningDraft>(emptyDraft);
  const effectClasses = useApi<{ items: EffectClass[] }>('/api/effect-classes');
  const classes = effectClasses.data?.items ?? null;
  // The default effect class: the one chosen, else a middle one once the classes are known.
  const defaultClass =
    draft.effectClass ||
    (classes?.find((c) => c.code === 'MEDIUM') ?? classes?.[Math.floor(classes.length / 2)])
      ?.code ||
    '';
  const effectiveDraft = useMemo(
    () => ({ ...draft, effectClass: defaultClass }),
    [draft, defaultClass],
  );
  const parse = useAimpointParse(effectiveDraft, mayCreate && classes !== null);

  const releases = useApi<Page<Release>>(
    route.kind === 'new' && mayCreate && can(me, 'release', 'read') ? '/api/releases' : null,
    { limit: pageLimit, offset: 0 },
    false,
  );
  const released = useMemo(
    () =>
      releases.data
        ? releases.data.items
            .filter((r) => r.status === 'released' && r.number !== null)
            .sort((a, b) => (b.number ?? 0) - (a.number ?? 0))
        : null,
    [releases.data],
  );

  const list = useApi<Page<ScreeningSummary>>(
    route.kind === 'list' ? '/api/screenings' : null,
    { limit: pageLimit, offset: 0 },
    false,
  );

  // The screening open: the one just run (no second fetch), else loaded from the server.
  const [created, setCreated] = useState<Screening | null>(null);
  const openId = route.kind === 'screening' ? route.id : null;
  const fromServer = useApi<Screening>(
    openId && created?.id !== openId ? `/api/screenings/${encodeURIComponent(openId)}` : null,
    undefined,
    false,
  );
  const screening = openId ? (created?.id === openId ? created : fromServer.data) : null;

  // Where the hits are: the register places the objects a screening found.
  const register = useRegister(route.kind === 'screening' && can(me, 'protected_object', 'read'));

  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<{ target: MapSelection; seq: number } | null>(null);
  const viewKey = route.kind === 'screening' ? `screening:${route.id}` : route.kind;
  const [selectionView, setSelectionView] = useState(viewKey);
  if (selectionView !== viewKey) {
    setSelectionView(viewKey);
    setSelection(null);
    setFocus(null);
  }

  const draftAimpoints =
    parse.status === 'read'
      ? parse.result.aimpoints
      : parse.status === 'reading'
        ? (parse.last?.aimpoints ?? null)
        : null;
  const rings = useMemo(() => {
    if (route.kind === 'screening') return screening ? ringFeatures(screening.aimpoints) : null;
    if (route.kind === 'new') return draftAimpoints ? ringFeatures(draftAimpoints) : emptyFc;
    return emptyFc;
  }, [route.kind, screening, draftAimpoints]);
  const hits = useMemo(() => {
    if (route.kind !== 'screening') return emptyFc;
    if (!screening) return null;
    // Without the register (not allowed, or it failed) the rings still show.
    if (register.problem || !can(me, 'protected_object', 'read')) return emptyFc;
    return register.objects ? hitFeatures(screening, register.objects) : null;
  }, [route.kind, screening, register.objects, register.problem, me]);

  const overlays = useMemo<MapOverlay[]>(
    () => [
      { kind: 'aimpoints', id: ringsLayer, label: t('layers.aimpoints'), data: rings },
      { kind: 'objects', id: hitsLayer, label: t('layers.hits'), data: hits },
    ],
    [rings, hits],
  );

  const ownExtent = useMemo(
    () =>
      rings && rings.features.length > 0
        ? bboxUnion(rings.features.map((f) => geometryBbox(f.geometry)))
        : null,
    [rings],
  );
  const extent = ownExtent ?? (area ? area.bbox : null);
  // Fit once per view on the area, then on the rings when they come (and when they change on a
  // draft: new aimpoints typed are brought into view).
  const fitKey = `${viewKey}|${ownExtent ? (route.kind === 'new' ? ownExtent.join(',') : 'data') : 'area'}`;

  const select = useCallback((next: MapSelection | null, fly: boolean) => {
    setSelection(next);
    if (next && fly) setFocus((f) => ({ target: next, seq: (f?.seq ?? 0) + 1 }));
  }, []);
  const onMapSelect = useCallback((next: MapSelection | null) => select(next, false), [select]);

  const screenMarking = useMemo(() => {
    const markings: Marking[] = [];
    if (screening) {
      markings.push(screening.marking);
      for (const a of screening.aimpoints) for (const h of a.hits) markings.push(h.marking);
    }
    if (route.kind === 'list') for (const s of list.data?.items ?? []) markings.push(s.marking);
    if (route.kind === 'new' && draft.text.trim() !== '')
      markings.push({ classification: draft.classification, releasability: draft.releasability });
    return markings.length > 0 ? combineMarkings(markings) : null;
  }, [screening, route.kind, list.data, draft]);
  useScreenMarking(screenMarking ? { marking: screenMarking, exercise: false } : null);

  if (route.kind === 'unknown' || (route.kind === 'effect-classes' && !mayEditClasses)) {
    return (
      <section className="page page-not-found" data-testid="page-plan">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body', { path })}</p>
        <Link to={`/plan${search}`}>{t('plan.backToNew')}</Link>
      </section>
    );
  }

  const tabs = [
    ...(mayCreate ? [{ id: 'new', to: '/plan', label: t('plan.tabNew') }] : []),
    { id: 'list', to: '/plan/screenings', label: t('plan.tabEarlier') },
    ...(mayEditClasses
      ? [{ id: 'effect-classes', to: '/plan/effect-classes', label: t('plan.tabClasses') }]
      : []),
  ];
  const currentTab = route.kind === 'screening' ? 'list' : route.kind;
  const selectedAimpoint =
    selection?.layer === ringsLayer ? selection.id.replace(/:centre$/, '') : null;

  return (
    <section className="page page-protect page-plan" data-testid="page-plan">
      <div className="protect-layout plan-layout">
        <div className="protect-map" data-testid="screening-map">
          <MapView
            label={t('plan.mapLabel')}
            overlays={overlays}
            extent={extent}
            fitKey={fitKey}
            selection={selectedAimpoint ? { layer: ringsLayer, id: selectedAimpoint } : selection}
            onSelect={onMapSelect}
            focus={focus}
            focusZoom={16}
            fitLabel={t('plan.fit')}
            fitHint={t('plan.fitHint')}
          />
        </div>
        <aside className="protect-side" aria-labelledby="plan-title">
          <SectionHeader
            section="plan"
            title={t('plan.title')}
            subtitle={t('plan.subtitle')}
            viewsLabel={t('plan.viewsLabel')}
            tabs={tabs}
            current={currentTab}
            search={search}
          />
          <div className="plan-panel">
            {route.kind === 'new' ? (
              mayCreate ? (
                <ScreeningForm
                  me={me}
                  draft={effectiveDraft}
                  onDraft={setDraft}
                  parse={parse}
                  effectClasses={classes}
                  releases={released}
                  onCreated={(s) => {
                    setCreated(s);
                    navigate(`/plan/screenings/${encodeURIComponent(s.id)}${search}`);
                  }}
                />
              ) : (
                <p className="panel-note">{t('plan.readOnly')}</p>
              )
            ) : route.kind === 'list' ? (
              <ScreeningsList page={list.data} problem={list.problem} search={search} />
            ) : route.kind === 'screening' ? (
              <ScreeningResult
                me={me}
                screening={screening}
                problem={created?.id === openId ? null : fromServer.problem}
                selectedId={selectedAimpoint}
                onSelect={(a) => select({ layer: ringsLayer, id: a.id }, true)}
              />
            ) : (
              <EffectClassesEditor
                me={me}
                classes={classes}
                problem={effectClasses.problem}
                onSaved={() => effectClasses.reload()}
              />
            )}
          </div>
        </aside>
      </div>
    </section>
  );
}
