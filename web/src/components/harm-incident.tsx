// One incident: its reconciled figures, a timeline (reports received, correlation decisions, the
// assessment, responses), its sources (the reports, each openable in full for those with
// need-to-know), the assessment with the grade definitions of docs/harm.md, the responses with
// their status and due date, casualty records when the API returns any, and merge and split —
// each confirmed by a second press and undoable (a merge by splitting the moved reports off, a
// split by merging back).
import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useTaxonomies } from '../app-context.js';
import { ApiProblem, apiGet, apiSend, showProblem, toProblem } from '../api.js';
import type {
  Casualty,
  HarmCandidate,
  HarmIncident,
  HarmReport,
  HarmResponse,
  Me,
  NewHarmResponseBody,
  Page,
  Problem,
} from '../contract.js';
import { errorsFor, estimateText, fieldErrors } from '../harm-view.js';
import { formatNumber, t } from '../i18n.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { codeEntries, codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import type { Resource } from '../use-api.js';
import { IncidentLessons, IncidentObjects, IncidentScreenings } from './harm-extras.js';
import { ConfirmButton, Fact, ReportSummary, useTimeFormat } from './harm-parts.js';
import { MarkingChip } from './marking-chip.js';
import { ProblemCard } from './problem-notice.js';

export interface HarmIncidentViewProps {
  me: Me;
  incident: HarmIncident | null;
  /** The incident's reports (the page loads them, to map them too). */
  reports: Resource<Page<HarmReport>>;
  problem: Problem | null;
  search: string;
  /** Called after a change, to load the incident (and the map) again. */
  onChanged: () => void;
}

/**
 * `data-testid="harm-incident"`.
 *
 * @example <HarmIncidentView me={me} incident={incident} problem={null} search="" onChanged={reload} />
 */
export function HarmIncidentView(props: HarmIncidentViewProps) {
  const { me, incident, problem, search } = props;
  const taxonomies = useTaxonomies();
  const id = incident?.id ?? null;
  const reports = props.reports;
  const candidates = useApi<Page<HarmCandidate>>(
    id ? '/api/harm/candidates' : null,
    { limit: 500 },
    false,
  );
  const responses = useApi<HarmResponse[]>(
    id && can(me, 'harm_response', 'read')
      ? `/api/harm/incidents/${encodeURIComponent(id)}/responses`
      : null,
    undefined,
    false,
  );
  const casualties = useApi<Casualty[]>(
    id && can(me, 'casualty', 'read')
      ? `/api/harm/incidents/${encodeURIComponent(id)}/casualties`
      : null,
    undefined,
    false,
  );
  const [undo, setUndo] = useState<{ text: string; run: () => Promise<string | null> } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);

  const changed = () => {
    reports.reload();
    candidates.reload();
    responses.reload();
    casualties.reload();
    props.onChanged();
  };
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      changed();
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  if (problem) return <ProblemCard problem={problem} />;
  if (!incident) return <p className="muted panel-note">{t('app.loading')}</p>;

  const reportIds = new Set((reports.data?.items ?? []).map((r) => r.id));
  const mayUpdate = can(me, 'harm_incident', 'update');

  return (
    <article className="harm-incident" data-testid="harm-incident" data-id={incident.id}>
      <header className="harm-incident-head">
        <h2 data-testid="harm-incident-title">{incident.title}</h2>
        <MarkingChip marking={incident.marking} exercise={false} />
      </header>
      <dl className="harm-facts">
        <Fact label={t('harm.when')}>
          {incident.date.start === incident.date.end
            ? incident.date.start
            : `${incident.date.start} – ${incident.date.end}`}
        </Fact>
        <Fact label={t('harm.where')}>
          {[
            incident.location.place,
            incident.location.adminName,
            incident.location.adminCode,
            codeLabel(taxonomies, 'locationPrecision', incident.location.precision),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Fact>
        <Fact label={t('harm.cause')}>{codeLabel(taxonomies, 'harmCause', incident.cause)}</Fact>
        <Fact label={t('harm.reports')}>{formatNumber(incident.reportCount)}</Fact>
      </dl>
      <Figures incident={incident} />

      {undo ? (
        <div className="harm-undo" role="status" data-testid="harm-undo-bar">
          <span>{undo.text}</span>
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const goTo = await undo.run();
                setUndo(null);
                if (goTo) navigate(`/track/incidents/${encodeURIComponent(goTo)}${search}`);
              })
            }
            data-testid="harm-undo"
          >
            {t('harm.undo')}
          </button>
        </div>
      ) : null}

      <Timeline
        incident={incident}
        reports={reports.data?.items ?? []}
        candidates={(candidates.data?.items ?? []).filter(
          (c) => c.status !== 'open' && (reportIds.has(c.reportA) || reportIds.has(c.reportB)),
        )}
        responses={responses.data ?? []}
      />

      <Assessment me={me} incident={incident} onSaved={changed} />

      <Sources
        me={me}
        incident={incident}
        reports={reports.data?.items ?? null}
        busy={busy}
        onSplit={(ids) =>
          void act(async () => {
            const result = await apiSend<{ kept: HarmIncident; split: HarmIncident }>(
              'POST',
              `/api/harm/incidents/${encodeURIComponent(incident.id)}/split`,
              { reportIds: ids },
            );
            setUndo({
              text: t('harm.splitDone', { count: ids.length, title: result.split.title }),
              run: async () => {
                await apiSend(
                  'POST',
                  `/api/harm/incidents/${encodeURIComponent(incident.id)}/merge`,
                  {
                    incidentIds: [result.split.id],
                  },
                );
                return null;
              },
            });
          })
        }
      />

      {mayUpdate ? (
        <Merge
          incident={incident}
          busy={busy}
          onMerge={(otherId) =>
            void act(async () => {
              const moving = await apiGet<Page<HarmReport>>('/api/harm/reports', {
                query: { incidentId: otherId, limit: 500 },
              });
              await apiSend(
                'POST',
                `/api/harm/incidents/${encodeURIComponent(incident.id)}/merge`,
                {
                  incidentIds: [otherId],
                },
              );
              const moved = moving.items.map((r) => r.id);
              setUndo({
                text: t('harm.mergeDone', { count: moved.length }),
                run: async () => {
                  await apiSend(
                    'POST',
                    `/api/harm/incidents/${encodeURIComponent(incident.id)}/split`,
                    { reportIds: moved },
                  );
                  return null;
                },
              });
            })
          }
        />
      ) : null}

      {can(me, 'harm_response', 'read') ? (
        <Responses
          me={me}
          incident={incident}
          responses={responses.data}
          problem={responses.problem}
          onChanged={changed}
        />
      ) : null}

      <IncidentObjects incidentId={incident.id} />
      <IncidentScreenings incidentId={incident.id} search={search} />
      <IncidentLessons me={me} incidentId={incident.id} />

      {casualties.data && casualties.data.length > 0 ? (
        <Casualties casualties={casualties.data} />
      ) : null}
    </article>
  );
}

/**
 * An incident's reconciled breakdown by sex and age group, when the server gives one (newer
 * servers add `killedBreakdown` / `injuredBreakdown` to incidents).
 */
type Breakdowns = Partial<
  Record<
    'killedBreakdown' | 'injuredBreakdown',
    { sex?: Record<string, Estimate>; age?: Record<string, Estimate> }
  >
>;
type Estimate = { low: number; best: number; high: number };

/** The reconciled figures: best with low–high, as people read estimates. */
function Figures({ incident }: { incident: HarmIncident }) {
  const taxonomies = useTaxonomies();
  const breakdown = (k: 'killed' | 'injured') => {
    const b = (incident as HarmIncident & Breakdowns)[`${k}Breakdown`];
    if (!b) return null;
    const parts = [
      ...Object.entries(b.sex ?? {}).map(
        ([code, e]) => `${codeLabel(taxonomies, 'sex', code)} ${estimateText(e)}`,
      ),
      ...Object.entries(b.age ?? {}).map(
        ([code, e]) => `${codeLabel(taxonomies, 'ageGroup', code)} ${estimateText(e)}`,
      ),
    ];
    return parts.length > 0 ? (
      <span className="harm-figure-range" data-testid={`harm-figure-${k}-breakdown`}>
        {t('harm.ofWhom', { parts: parts.join(' · ') })}
      </span>
    ) : null;
  };
  return (
    <section className="harm-figures" aria-label={t('harm.figures')} data-testid="harm-figures">
      {(['killed', 'injured'] as const).map((k) => (
        <div className="harm-figure" key={k} data-testid={`harm-figure-${k}`}>
          <span className="harm-figure-label">
            {t(k === 'killed' ? 'harm.killed' : 'harm.injured')}
          </span>
          <span className="harm-figure-best" data-testid={`harm-figure-${k}-best`}>
            {formatNumber(incident[k].best)}
          </span>
          <span className="harm-figure-range" data-testid={`harm-figure-${k}-range`}>
            {t('harm.range', {
              low: formatNumber(incident[k].low),
              high: formatNumber(incident[k].high),
            })}
          </span>
          {breakdown(k)}
        </div>
      ))}
      <p className="field-hint harm-figures-note">{t('harm.reconciledHint')}</p>
    </section>
  );
}

interface TimelineEntry {
  at: string;
  kind: 'report' | 'decision' | 'assessment' | 'response';
  text: string;
}

function Timeline(props: {
  incident: HarmIncident;
  reports: HarmReport[];
  candidates: HarmCandidate[];
  responses: HarmResponse[];
}) {
  const taxonomies = useTaxonomies();
  const time = useTimeFormat();
  const entries = useMemo(() => {
    const out: TimelineEntry[] = [];
    for (const r of props.reports) {
      out.push({
        at: r.receivedAt,
        kind: 'report',
        text: t('harm.tlReport', {
          source: r.sourceName,
          type: codeLabel(taxonomies, 'harmSourceType', r.sourceType),
          killed: estimateText(r.killed),
        }),
      });
    }
    for (const c of props.candidates) {
      if (!c.decidedAt) continue;
      out.push({
        at: c.decidedAt,
        kind: 'decision',
        text: t(c.status === 'accepted' ? 'harm.tlAccepted' : 'harm.tlRejected', {
          km: formatNumber(Math.round(c.distanceKm * 10) / 10),
          days: c.dayGap,
        }),
      });
    }
    const a = props.incident.assessment;
    if (a) {
      out.push({
        at: a.assessedAt,
        kind: 'assessment',
        text: t('harm.tlAssessed', {
          grade: codeLabel(taxonomies, 'harmGrade', a.grade),
          attribution: codeLabel(taxonomies, 'harmParty', a.attribution),
          investigation: codeLabel(taxonomies, 'harmInvestigation', a.investigation),
        }),
      });
    }
    for (const r of props.responses) {
      out.push({
        at: r.createdAt,
        kind: 'response',
        text: t('harm.tlResponse', { type: codeLabel(taxonomies, 'harmResponse', r.type) }),
      });
      if (r.updatedAt !== r.createdAt) {
        out.push({
          at: r.updatedAt,
          kind: 'response',
          text: t('harm.tlResponseStatus', {
            type: codeLabel(taxonomies, 'harmResponse', r.type),
            status: codeLabel(taxonomies, 'harmResponseStatus', r.status),
          }),
        });
      }
    }
    return out.sort((x, y) => x.at.localeCompare(y.at));
  }, [props.reports, props.candidates, props.incident.assessment, props.responses, taxonomies]);
  return (
    <section className="harm-section" aria-labelledby="harm-tl">
      <h3 id="harm-tl">{t('harm.timeline')}</h3>
      <ol className="harm-timeline" data-testid="harm-timeline">
        {entries.map((e, i) => (
          <li key={`${e.at}-${i}`} className={`harm-tl-${e.kind}`} data-kind={e.kind}>
            <span className="harm-tl-time mono">{time(e.at)}</span>
            <span>{e.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Assessment({
  me,
  incident,
  onSaved,
}: {
  me: Me;
  incident: HarmIncident;
  onSaved: () => void;
}) {
  const id = useId();
  const taxonomies = useTaxonomies();
  const time = useTimeFormat();
  const mayApprove = can(me, 'harm_incident', 'approve');
  const current = incident.assessment;
  const [draft, setDraft] = useState({
    grade: current?.grade ?? '',
    attribution: current?.attribution ?? 'UNKNOWN',
    investigation: current?.investigation ?? 'NOT-STARTED',
    rationale: current?.rationale ?? '',
  });
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setProblem(null);
    try {
      await apiSend(
        'PUT',
        `/api/harm/incidents/${encodeURIComponent(incident.id)}/assessment`,
        draft,
      );
      onSaved();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.problem : toProblem(error));
    } finally {
      setPending(false);
    }
  };
  const grades = codeEntries(taxonomies, 'harmGrade');
  return (
    <section className="harm-section" aria-labelledby={`${id}-h`} data-testid="harm-assessment">
      <h3 id={`${id}-h`}>{t('harm.assessment')}</h3>
      {current ? (
        <dl className="harm-facts" data-testid="harm-assessment-current">
          <Fact label={t('harm.grade')}>
            <strong data-testid="harm-current-grade">
              {codeLabel(taxonomies, 'harmGrade', current.grade)}
            </strong>
          </Fact>
          <Fact label={t('harm.attribution')}>
            {codeLabel(taxonomies, 'harmParty', current.attribution)}
          </Fact>
          <Fact label={t('harm.investigation')}>
            {codeLabel(taxonomies, 'harmInvestigation', current.investigation)}
          </Fact>
          <Fact label={t('harm.assessedAt')}>{time(current.assessedAt)}</Fact>
          {current.rationale ? <Fact label={t('harm.rationale')}>{current.rationale}</Fact> : null}
        </dl>
      ) : (
        <p className="muted">{t('harm.notAssessed')}</p>
      )}
      {mayApprove ? (
        <form className="harm-assess-form" onSubmit={(e) => void save(e)}>
          <fieldset className="field-group">
            <legend>{t('harm.grade')}</legend>
            {grades.map((g) => (
              <label key={g.code} className="harm-grade-option">
                <input
                  type="radio"
                  name={`${id}-grade`}
                  value={g.code}
                  checked={draft.grade === g.code}
                  onChange={() => setDraft({ ...draft, grade: g.code })}
                  data-testid={`harm-grade-${g.code}`}
                />
                <span>
                  <strong>{g.label}</strong> <span className="muted">{g.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="field-row">
            {(
              [
                ['attribution', 'harmParty', 'harm.attribution'],
                ['investigation', 'harmInvestigation', 'harm.investigation'],
              ] as const
            ).map(([field, list, label]) => (
              <div className="field" key={field}>
                <label htmlFor={`${id}-${field}`}>{t(label)}</label>
                <select
                  id={`${id}-${field}`}
                  className="input"
                  value={draft[field]}
                  onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
                  data-testid={`harm-${field}`}
                >
                  {codeEntries(taxonomies, list).map((e) => (
                    <option key={e.code} value={e.code}>
                      {e.label}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <div className="field">
            <label htmlFor={`${id}-why`}>{t('harm.rationale')}</label>
            <textarea
              id={`${id}-why`}
              className="input textarea"
              rows={2}
              value={draft.rationale}
              onChange={(e) => setDraft({ ...draft, rationale: e.target.value })}
              data-testid="harm-rationale"
            />
          </div>
          {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary button-small"
              disabled={pending || draft.grade === ''}
              data-testid="harm-assess"
            >
              {t('harm.saveAssessment')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function Sources(props: {
  me: Me;
  incident: HarmIncident;
  reports: HarmReport[] | null;
  busy: boolean;
  onSplit: (reportIds: string[]) => void;
}) {
  const { me, reports, busy } = props;
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<Map<string, HarmReport>>(new Map());
  const mayUpdate = can(me, 'harm_incident', 'update');
  const mayRead = can(me, 'harm_report', 'read');
  const splittable = mayUpdate && (reports?.length ?? 0) > 1;
  const show = async (r: HarmReport) => {
    try {
      const full = await apiGet<HarmReport>(`/api/harm/reports/${encodeURIComponent(r.id)}`);
      setOpen((m) => new Map(m).set(r.id, full));
    } catch (error) {
      showProblem(toProblem(error));
    }
  };
  return (
    <section className="harm-section" aria-labelledby="harm-sources" data-testid="harm-sources">
      <h3 id="harm-sources">{t('harm.sources')}</h3>
      {!mayRead ? <p className="muted">{t('harm.noReportAccess')}</p> : null}
      {reports === null && mayRead ? <p className="muted">{t('app.loading')}</p> : null}
      <ul className="harm-source-list">
        {(reports ?? []).map((r) => {
          const full = open.get(r.id);
          return (
            <li key={r.id}>
              <ReportSummary report={r}>
                {r.sources.length > 0 ? (
                  <ul className="harm-cited">
                    {r.sources.map((s, i) => (
                      <li key={i}>{[s.name, s.date, s.title].filter(Boolean).join(' · ')}</li>
                    ))}
                  </ul>
                ) : null}
                {full ? (
                  <div className="harm-sensitive-block" data-testid="harm-report-full">
                    <p>
                      <span className="harm-sensitive-tag">{t('harm.confidential')}</span>{' '}
                      {full.narrative.confidential ? (
                        <span data-testid="harm-full-confidential">
                          {full.narrative.confidential}
                        </span>
                      ) : (
                        <span className="muted">{t('harm.withheld')}</span>
                      )}
                    </p>
                    <p>
                      <span className="harm-sensitive-tag">{t('harm.reporterContact')}</span>{' '}
                      {full.reporterContact ? (
                        <span data-testid="harm-full-contact">{full.reporterContact}</span>
                      ) : (
                        <span className="muted">{t('harm.withheld')}</span>
                      )}
                    </p>
                  </div>
                ) : null}
                <div className="harm-source-actions">
                  {full ? null : (
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      onClick={() => void show(r)}
                      data-testid="harm-open-report"
                    >
                      {t('harm.openReport')}
                    </button>
                  )}
                  {splittable ? (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={chosen.has(r.id)}
                        onChange={(e) => {
                          const next = new Set(chosen);
                          if (e.target.checked) next.add(r.id);
                          else next.delete(r.id);
                          setChosen(next);
                        }}
                        data-testid="harm-split-choose"
                      />
                      <span>{t('harm.chooseToSplit')}</span>
                    </label>
                  ) : null}
                </div>
              </ReportSummary>
            </li>
          );
        })}
      </ul>
      {splittable ? (
        <div className="form-actions">
          <ConfirmButton
            label={
              chosen.size === 0 ? t('harm.splitNone') : t('harm.split', { count: chosen.size })
            }
            confirmLabel={t('harm.confirmSplit', { count: chosen.size })}
            disabled={busy || chosen.size === 0 || chosen.size === reports?.length}
            onConfirm={() => {
              props.onSplit([...chosen]);
              setChosen(new Set());
            }}
            testId="harm-split"
          />
        </div>
      ) : null}
    </section>
  );
}

function Merge({
  incident,
  busy,
  onMerge,
}: {
  incident: HarmIncident;
  busy: boolean;
  onMerge: (otherId: string) => void;
}) {
  const id = useId();
  const [other, setOther] = useState('');
  // Incidents within a week either side are the likely duplicates; any id can be typed too.
  const near = useApi<Page<HarmIncident>>('/api/harm/incidents', {
    from: shiftDay(incident.date.start, -7),
    to: shiftDay(incident.date.end, 7),
    limit: 100,
  });
  const options = (near.data?.items ?? []).filter((i) => i.id !== incident.id);
  return (
    <section className="harm-section" aria-labelledby={`${id}-h`} data-testid="harm-merge">
      <h3 id={`${id}-h`}>{t('harm.merge')}</h3>
      <p className="field-hint">{t('harm.mergeHint')}</p>
      <div className="harm-inline-form">
        <label className="sr-only" htmlFor={`${id}-other`}>
          {t('harm.mergeWhich')}
        </label>
        <select
          id={`${id}-other`}
          className="input"
          value={other}
          onChange={(e) => setOther(e.target.value)}
          data-testid="harm-merge-other"
        >
          <option value="">{t('harm.mergeWhich')}</option>
          {options.map((i) => (
            <option key={i.id} value={i.id}>
              {`${i.date.start} · ${i.title} · ${estimateText(i.killed)}`}
            </option>
          ))}
        </select>
        <ConfirmButton
          label={t('harm.mergeInto')}
          confirmLabel={t('harm.confirmMerge')}
          disabled={busy || other === ''}
          onConfirm={() => {
            onMerge(other);
            setOther('');
          }}
          testId="harm-merge-run"
        />
      </div>
    </section>
  );
}

function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const emptyResponse = {
  type: 'ACKNOWLEDGEMENT',
  status: 'PLANNED',
  dueDate: '',
  amount: '',
  currency: '',
  recipientRef: '',
  note: '',
};

function Responses(props: {
  me: Me;
  incident: HarmIncident;
  responses: HarmResponse[] | null;
  problem: Problem | null;
  onChanged: () => void;
}) {
  const { me, incident, responses } = props;
  const id = useId();
  const taxonomies = useTaxonomies();
  const mayCreate = can(me, 'harm_response', 'create');
  const mayUpdate = can(me, 'harm_response', 'update');
  const [draft, setDraft] = useState(emptyResponse);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  const types = codeEntries(taxonomies, 'harmResponse');
  const payment = Boolean(
    (types.find((e) => e.code === draft.type) as { payment?: boolean } | undefined)?.payment,
  );
  const errors = fieldErrors(problem?.errors ?? []);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setProblem(null);
    const body: NewHarmResponseBody = {
      type: draft.type as NewHarmResponseBody['type'],
      status: draft.status as NonNullable<NewHarmResponseBody['status']>,
      dueDate: draft.dueDate || null,
      amount: payment && draft.amount !== '' ? Number(draft.amount) : null,
      currency: payment && draft.currency !== '' ? draft.currency.trim().toUpperCase() : null,
      recipientRef: draft.recipientRef,
      note: draft.note,
    };
    try {
      await apiSend(
        'POST',
        `/api/harm/incidents/${encodeURIComponent(incident.id)}/responses`,
        body,
      );
      setDraft(emptyResponse);
      props.onChanged();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.problem : toProblem(error));
    } finally {
      setPending(false);
    }
  };
  const update = async (r: HarmResponse, patch: { status?: string; dueDate?: string | null }) => {
    try {
      await apiSend('PATCH', `/api/harm/responses/${encodeURIComponent(r.id)}`, patch);
      props.onChanged();
    } catch (error) {
      showProblem(toProblem(error));
    }
  };
  const fieldError = (field: string) =>
    errorsFor(errors, field).map((m) => (
      <p key={m} className="field-error" data-testid="field-error">
        {m}
      </p>
    ));
  return (
    <section className="harm-section" aria-labelledby={`${id}-h`} data-testid="harm-responses">
      <h3 id={`${id}-h`}>{t('harm.responses')}</h3>
      {props.problem ? <ProblemCard problem={props.problem} /> : null}
      {responses && responses.length === 0 ? (
        <p className="muted">{t('harm.noResponses')}</p>
      ) : null}
      <ul className="harm-response-list">
        {(responses ?? []).map((r) => (
          <li
            key={r.id}
            className="harm-response"
            data-testid="harm-response"
            data-status={r.status}
          >
            <div className="harm-response-head">
              <strong>{codeLabel(taxonomies, 'harmResponse', r.type)}</strong>
              {r.amount !== null ? (
                <span className="mono">
                  {formatNumber(r.amount)} {r.currency}
                </span>
              ) : null}
              {r.recipientRef ? (
                <span className="muted">{t('harm.recipientShown', { ref: r.recipientRef })}</span>
              ) : null}
            </div>
            {r.note ? <p className="harm-response-note">{r.note}</p> : null}
            <div className="harm-inline-form">
              <label className="field field-inline">
                <span>{t('harm.status')}</span>
                <select
                  className="input input-small"
                  value={r.status}
                  disabled={!mayUpdate}
                  onChange={(e) => void update(r, { status: e.target.value })}
                  data-testid="harm-response-status"
                >
                  {codeEntries(taxonomies, 'harmResponseStatus').map((e) => (
                    <option key={e.code} value={e.code}>
                      {e.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field field-inline">
                <span>{t('harm.dueDate')}</span>
                <input
                  className="input input-small"
                  type="date"
                  value={r.dueDate ?? ''}
                  disabled={!mayUpdate}
                  onChange={(e) => void update(r, { dueDate: e.target.value || null })}
                  data-testid="harm-response-due"
                />
              </label>
            </div>
          </li>
        ))}
      </ul>
      {mayCreate ? (
        <form
          className="harm-response-form"
          onSubmit={(e) => void add(e)}
          data-testid="harm-response-form"
        >
          <fieldset className="field-group">
            <legend>{t('harm.addResponse')}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-type`}>{t('harm.responseType')}</label>
                <select
                  id={`${id}-type`}
                  className="input"
                  value={draft.type}
                  onChange={(e) => setDraft({ ...draft, type: e.target.value })}
                  data-testid="harm-response-type"
                >
                  {types.map((e) => (
                    <option key={e.code} value={e.code} title={e.description}>
                      {e.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-due`}>{t('harm.dueDate')}</label>
                <input
                  id={`${id}-due`}
                  className="input"
                  type="date"
                  value={draft.dueDate}
                  onChange={(e) => setDraft({ ...draft, dueDate: e.target.value })}
                  data-testid="harm-response-new-due"
                />
                {fieldError('dueDate')}
              </div>
            </div>
            {payment ? (
              <div className="field-row">
                <div className="field">
                  <label htmlFor={`${id}-amount`}>{t('harm.amount')}</label>
                  <input
                    id={`${id}-amount`}
                    className="input"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    value={draft.amount}
                    onChange={(e) => setDraft({ ...draft, amount: e.target.value })}
                    data-testid="harm-response-amount"
                  />
                  {fieldError('amount')}
                </div>
                <div className="field">
                  <label htmlFor={`${id}-currency`}>{t('harm.currency')}</label>
                  <input
                    id={`${id}-currency`}
                    className="input"
                    maxLength={3}
                    value={draft.currency}
                    placeholder="USD"
                    onChange={(e) => setDraft({ ...draft, currency: e.target.value })}
                    data-testid="harm-response-currency"
                  />
                  {fieldError('currency')}
                </div>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={`${id}-recipient`}>
                {t('harm.recipientRef')}
                <span className="harm-sensitive-tag">{t('harm.encrypted')}</span>
              </label>
              <input
                id={`${id}-recipient`}
                className="input"
                maxLength={200}
                value={draft.recipientRef}
                onChange={(e) => setDraft({ ...draft, recipientRef: e.target.value })}
                data-testid="harm-response-recipient"
              />
              <p className="field-hint">{t('harm.recipientHint')}</p>
            </div>
            <div className="field">
              <label htmlFor={`${id}-note`}>{t('harm.note')}</label>
              <textarea
                id={`${id}-note`}
                className="input textarea"
                rows={2}
                value={draft.note}
                onChange={(e) => setDraft({ ...draft, note: e.target.value })}
                data-testid="harm-response-note"
              />
            </div>
            {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary button-small"
                disabled={pending}
                data-testid="harm-response-add"
              >
                {t('harm.addResponse')}
              </button>
            </div>
          </fieldset>
        </form>
      ) : null}
    </section>
  );
}

function Casualties({ casualties }: { casualties: Casualty[] }) {
  const taxonomies = useTaxonomies();
  return (
    <section className="harm-section" aria-labelledby="harm-cas" data-testid="harm-casualties">
      <h3 id="harm-cas">{t('harm.casualties')}</h3>
      <p className="field-hint">{t('harm.casualtiesHint')}</p>
      <table className="data-table harm-table">
        <thead>
          <tr>
            <th>{t('harm.name')}</th>
            <th>{t('harm.outcome')}</th>
            <th>{t('harm.sex')}</th>
            <th>{t('harm.age')}</th>
            <th>{t('harm.civilianStatus')}</th>
            <th>{t('harm.when')}</th>
          </tr>
        </thead>
        <tbody>
          {casualties.map((c) => (
            <tr key={c.id}>
              <td>{c.name ?? <span className="muted">{t('harm.withheld')}</span>}</td>
              <td>{t(c.outcome === 'KILLED' ? 'harm.killed' : 'harm.injured')}</td>
              <td>{codeLabel(taxonomies, 'sex', c.sex)}</td>
              <td>
                {c.ageYears ?? ''} {codeLabel(taxonomies, 'ageGroup', c.ageGroup)}
              </td>
              <td>{codeLabel(taxonomies, 'civilianStatus', c.civilianStatus)}</td>
              <td>{c.date ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
