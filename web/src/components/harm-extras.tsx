// Panels for harm endpoints that newer servers offer (docs/harm.md): the screenings whose
// aimpoint and time fit an incident (estimated against reported harm), the civilian objects
// damaged with their register matches, lessons raised from an incident, and exports. Each panel
// asks its endpoint quietly and is not shown at all when the server does not have it (404) or the
// user may not use it (403).
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiProblem, apiSend, toProblem } from '../api.js';
import type { Marking, Me, Problem } from '../contract.js';
import { estimateText, harmQuery } from '../harm-view.js';
import type { HarmFilters } from '../harm-view.js';
import { formatNumber, t } from '../i18n.js';
import { useApi } from '../use-api.js';
import { useTimeFormat } from './harm-parts.js';
import { Link } from './link.js';
import { MarkingFields } from './marking-fields.js';
import { ProblemCard } from './problem-notice.js';

type Estimate = { low: number; best: number; high: number };

interface IncidentScreenings {
  reported: { killed: Estimate; injured: Estimate };
  items: {
    screeningId: string;
    title: string;
    createdAt: string;
    aimpoints: {
      id: string;
      distanceM: number;
      estimated: { population: number | null; hits: number; withheldHits: number; flags: string[] };
    }[];
  }[];
  withheld: number;
}

/**
 * Screenings that fit the incident, with estimated exposure against reported harm
 * (`data-testid="harm-screenings"`); nothing when the server has no such endpoint.
 */
export function IncidentScreenings({ incidentId, search }: { incidentId: string; search: string }) {
  const time = useTimeFormat();
  const data = useApi<IncidentScreenings>(
    `/api/harm/incidents/${encodeURIComponent(incidentId)}/screenings`,
    undefined,
    false,
  ).data;
  if (!data) return null;
  return (
    <section className="harm-section" aria-labelledby="harm-scr" data-testid="harm-screenings">
      <h3 id="harm-scr">{t('harm.screenings')}</h3>
      <p className="field-hint">
        {t('harm.screeningsReported', {
          killed: estimateText(data.reported.killed),
          injured: estimateText(data.reported.injured),
        })}
      </p>
      {data.items.length === 0 ? <p className="muted">{t('harm.noScreenings')}</p> : null}
      <ul className="harm-source-list">
        {data.items.map((s) => (
          <li key={s.screeningId} className="harm-response">
            <div className="harm-response-head">
              <Link to={`/plan/screenings/${encodeURIComponent(s.screeningId)}${search}`}>
                {s.title}
              </Link>
              <span className="muted">{time(s.createdAt)}</span>
            </div>
            {s.aimpoints.map((a) => (
              <p key={a.id} className="harm-response-note">
                {t('harm.screeningAimpoint', {
                  id: a.id,
                  distance: formatNumber(Math.round(a.distanceM)),
                  population:
                    a.estimated.population === null
                      ? t('table.noValue')
                      : formatNumber(a.estimated.population),
                  hits: a.estimated.hits,
                })}
              </p>
            ))}
          </li>
        ))}
      </ul>
      {data.withheld > 0 ? (
        <p className="muted">{t('harm.screeningsWithheld', { count: data.withheld })}</p>
      ) : null}
    </section>
  );
}

interface DamagedObjects {
  items: {
    reportId?: string;
    description: string;
    category: string | null;
    match: null | { objectId: string; name: string; list: string | null; distanceM: number | null };
  }[];
}

/** Civilian objects damaged, with the register objects they match (`harm-objects`). */
export function IncidentObjects({ incidentId }: { incidentId: string }) {
  const data = useApi<DamagedObjects>(
    `/api/harm/incidents/${encodeURIComponent(incidentId)}/objects`,
    undefined,
    false,
  ).data;
  if (!data || data.items.length === 0) return null;
  return (
    <section className="harm-section" aria-labelledby="harm-obj" data-testid="harm-objects">
      <h3 id="harm-obj">{t('harm.damagedObjects')}</h3>
      <ul className="harm-cited">
        {data.items.map((o, i) => (
          <li key={i}>
            {o.description}
            {o.match ? (
              <>
                {' — '}
                <strong>{o.match.name}</strong>
                {o.match.list ? ` (${o.match.list})` : ''}
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Lesson {
  id: string;
  title: string;
  observation: string;
  createdAt: string;
}

/** Lessons raised from the incident, and a form to raise one (`harm-lessons`). */
export function IncidentLessons({ me, incidentId }: { me: Me; incidentId: string }) {
  const id = useId();
  const time = useTimeFormat();
  const lessons = useApi<{ items: Lesson[] }>(
    `/api/harm/incidents/${encodeURIComponent(incidentId)}/lessons`,
    undefined,
    false,
  );
  const [draft, setDraft] = useState({ title: '', observation: '' });
  const [marking, setMarking] = useState<Marking>({ classification: 'NU', releasability: [] });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  if (!lessons.data) return null;
  const raise = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setProblem(null);
    try {
      await apiSend('POST', `/api/harm/incidents/${encodeURIComponent(incidentId)}/lessons`, {
        ...draft,
        marking,
      });
      setDraft({ title: '', observation: '' });
      lessons.reload();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.problem : toProblem(error));
    } finally {
      setPending(false);
    }
  };
  return (
    <section className="harm-section" aria-labelledby={`${id}-h`} data-testid="harm-lessons">
      <h3 id={`${id}-h`}>{t('harm.lessons')}</h3>
      <ul className="harm-cited">
        {lessons.data.items.map((l) => (
          <li key={l.id}>
            <strong>{l.title}</strong> <span className="muted">{time(l.createdAt)}</span> —{' '}
            {l.observation}
          </li>
        ))}
      </ul>
      <form className="harm-assess-form" onSubmit={(e) => void raise(e)}>
        <div className="field">
          <label htmlFor={`${id}-title`}>{t('harm.lessonTitle')}</label>
          <input
            id={`${id}-title`}
            className="input"
            maxLength={200}
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-obs`}>{t('harm.lessonObservation')}</label>
          <textarea
            id={`${id}-obs`}
            className="input textarea"
            rows={3}
            value={draft.observation}
            onChange={(e) => setDraft({ ...draft, observation: e.target.value })}
          />
        </div>
        <MarkingFields
          me={me}
          marking={marking}
          onChange={setMarking}
          legend={t('harm.marking')}
          testPrefix="harm-lesson"
        />
        {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-small"
            disabled={pending || draft.title.trim() === '' || draft.observation.trim() === ''}
          >
            {t('harm.raiseLesson')}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Export links for the incidents the filters select (`harm-export`); shown once the server
 * answers the export endpoint for an empty day.
 */
export function HarmExport({ filters }: { filters: HarmFilters }) {
  const probe = useApi<unknown>(
    '/api/harm/export',
    { format: 'geojson', from: '1900-01-01', to: '1900-01-01' },
    false,
  );
  if (probe.data === null) return null;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(harmQuery(filters))) if (v) query.set(k, v);
  return (
    <div className="harm-export" data-testid="harm-export">
      <span className="muted">{t('harm.export')}</span>
      {(['csv', 'hxl', 'geojson'] as const).map((format) => {
        query.set('format', format);
        return (
          <a
            key={format}
            className="button button-small"
            href={`/api/harm/export?${query}`}
            download
          >
            {t(`harm.export.${format}`)}
          </a>
        );
      })}
      <span className="field-hint">{t('harm.exportHint')}</span>
    </div>
  );
}
