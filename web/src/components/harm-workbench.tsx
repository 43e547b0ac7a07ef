// The incident workbench: candidate pairs of reports that may describe one event, side by side
// with the distance, the gap in days and each report's precision between them. Analysts accept
// (the two incidents merge), reject (never proposed again) or reopen; each action takes a second
// press, and the last one can be undone as the API allows (an accept by splitting the moved
// reports off again and reopening the candidate, a reject by reopening it).
import { useState } from 'react';
import { useTaxonomies } from '../app-context.js';
import { apiGet, apiSend, showProblem, toProblem } from '../api.js';
import type { HarmCandidate, HarmIncident, HarmReport, Me, Page } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import { ConfirmButton, ReportSummary, useTimeFormat } from './harm-parts.js';
import { Link } from './link.js';
import { ProblemCard } from './problem-notice.js';

type Status = 'open' | 'accepted' | 'rejected';

/** What the last action did, and how to take it back. */
interface Undo {
  candidateId: string;
  text: string;
  run: () => Promise<void>;
}

/**
 * `data-testid="harm-workbench"`; each pair `harm-candidate` with `data-id`.
 *
 * @example <HarmWorkbench me={me} search="?area=ao-1" />
 */
export function HarmWorkbench({ me, search }: { me: Me; search: string }) {
  const mayDecide = can(me, 'harm_incident', 'update');
  const [status, setStatus] = useState<Status>('open');
  const list = useApi<Page<HarmCandidate>>('/api/harm/candidates', { status, limit: 100 });
  const [busy, setBusy] = useState(false);
  const [undo, setUndo] = useState<Undo | null>(null);
  const [found, setFound] = useState<number | null>(null);

  const act = async (work: () => Promise<Undo | null>) => {
    setBusy(true);
    try {
      const next = await work();
      setUndo(next);
      list.reload();
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const find = () =>
    act(async () => {
      const result = await apiSend<{ added: number }>('POST', '/api/harm/candidates/find');
      setFound(result.added);
      return null;
    });

  const accept = (c: HarmCandidate) =>
    act(async () => {
      // The reports of both incidents, so an undo can split back exactly those that moved.
      const before = await Promise.all(
        [...new Set(c.reports.map((r) => r.incidentId))].map((incidentId) =>
          apiGet<Page<HarmReport>>('/api/harm/reports', { query: { incidentId, limit: 500 } }),
        ),
      );
      const merged = await apiSend<HarmIncident>(
        'POST',
        `/api/harm/candidates/${encodeURIComponent(c.id)}/accept`,
      );
      const moved = before
        .flatMap((p) => p.items)
        .filter((r) => r.incidentId !== merged.id)
        .map((r) => r.id);
      return {
        candidateId: c.id,
        text: t('harm.acceptedInto', { title: merged.title }),
        run: async () => {
          if (moved.length > 0) {
            await apiSend('POST', `/api/harm/incidents/${encodeURIComponent(merged.id)}/split`, {
              reportIds: moved,
            });
          }
          await apiSend('POST', `/api/harm/candidates/${encodeURIComponent(c.id)}/reopen`);
        },
      };
    });

  const reject = (c: HarmCandidate) =>
    act(async () => {
      await apiSend('POST', `/api/harm/candidates/${encodeURIComponent(c.id)}/reject`);
      return {
        candidateId: c.id,
        text: t('harm.rejected'),
        run: async () => {
          await apiSend('POST', `/api/harm/candidates/${encodeURIComponent(c.id)}/reopen`);
        },
      };
    });

  const reopen = (c: HarmCandidate) =>
    act(async () => {
      await apiSend('POST', `/api/harm/candidates/${encodeURIComponent(c.id)}/reopen`);
      return null;
    });

  const items = list.data?.items ?? null;
  return (
    <section className="harm-workbench" data-testid="harm-workbench" aria-labelledby="harm-wb">
      <header className="harm-section-head">
        <h2 id="harm-wb">{t('harm.workbench')}</h2>
        <div className="harm-segmented" role="group" aria-label={t('harm.candidateStatus')}>
          {(['open', 'accepted', 'rejected'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className="button button-small"
              aria-pressed={status === s}
              onClick={() => setStatus(s)}
              data-testid={`harm-candidates-${s}`}
            >
              {t(`harm.candidates.${s}`)}
            </button>
          ))}
        </div>
        {mayDecide ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => void find()}
            disabled={busy}
            data-testid="harm-find-candidates"
          >
            {t('harm.findCandidates')}
          </button>
        ) : null}
      </header>
      <p className="panel-note">{t('harm.workbenchHint')}</p>
      {found !== null ? (
        <p className="harm-note" role="status" data-testid="harm-found">
          {t('harm.found', { count: found })}
        </p>
      ) : null}
      {undo ? (
        <div className="harm-undo" role="status" data-testid="harm-undo-bar">
          <span>{undo.text}</span>
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                await undo.run();
                return null;
              })
            }
            data-testid="harm-undo"
          >
            {t('harm.undo')}
          </button>
        </div>
      ) : null}
      {list.problem ? <ProblemCard problem={list.problem} /> : null}
      {items === null ? (
        <p className="muted panel-note">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted panel-note" data-testid="harm-no-candidates">
          {t('harm.noCandidates')}
        </p>
      ) : (
        <ol className="harm-candidates">
          {items.map((c) => (
            <CandidatePair
              key={c.id}
              candidate={c}
              search={search}
              mayDecide={mayDecide}
              busy={busy}
              onAccept={() => void accept(c)}
              onReject={() => void reject(c)}
              onReopen={() => void reopen(c)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function CandidatePair(props: {
  candidate: HarmCandidate;
  search: string;
  mayDecide: boolean;
  busy: boolean;
  onAccept: () => void;
  onReject: () => void;
  onReopen: () => void;
}) {
  const { candidate: c, search, mayDecide, busy } = props;
  const taxonomies = useTaxonomies();
  const time = useTimeFormat();
  const a = c.reports.find((r) => r.id === c.reportA);
  const b = c.reports.find((r) => r.id === c.reportB);
  const side = (r: HarmReport | undefined) =>
    r ? (
      <ReportSummary report={r}>
        <Link
          to={`/track/incidents/${encodeURIComponent(r.incidentId)}${search}`}
          className="harm-link"
        >
          {t('harm.openIncident')}
        </Link>
      </ReportSummary>
    ) : (
      <p className="muted">{t('harm.reportHidden')}</p>
    );
  return (
    <li className="harm-candidate" data-testid="harm-candidate" data-id={c.id}>
      <div className="harm-pair">
        {side(a)}
        <div className="harm-pair-gap" data-testid="harm-candidate-gap">
          <div className="harm-gap-figure">
            <span className="harm-gap-value">
              {t('harm.km', { km: formatNumber(Math.round(c.distanceKm * 10) / 10) })}
            </span>
            <span className="muted">{t('harm.distance')}</span>
          </div>
          <div className="harm-gap-figure">
            <span className="harm-gap-value">{t('harm.days', { count: c.dayGap })}</span>
            <span className="muted">{t('harm.timeGap')}</span>
          </div>
          <div className="harm-gap-figure">
            <span className="harm-gap-value">{Math.round(c.score * 100)}%</span>
            <span className="muted">{t('harm.score')}</span>
          </div>
          <div className="harm-gap-figure harm-gap-precision">
            <span>
              {a ? codeLabel(taxonomies, 'locationPrecision', a.location.precision) : '—'}
              {' / '}
              {b ? codeLabel(taxonomies, 'locationPrecision', b.location.precision) : '—'}
            </span>
            <span className="muted">{t('harm.precision')}</span>
          </div>
          {c.status !== 'open' && c.decidedAt ? (
            <p className="muted harm-decided">
              {t(c.status === 'accepted' ? 'harm.acceptedAt' : 'harm.rejectedAt', {
                time: time(c.decidedAt),
              })}
            </p>
          ) : null}
          {mayDecide ? (
            <div className="harm-pair-actions">
              {c.status === 'open' ? (
                <>
                  <ConfirmButton
                    label={t('harm.accept')}
                    confirmLabel={t('harm.confirmAccept')}
                    onConfirm={props.onAccept}
                    disabled={busy || !a || !b}
                    testId="harm-accept"
                  />
                  <ConfirmButton
                    label={t('harm.reject')}
                    confirmLabel={t('harm.confirmReject')}
                    onConfirm={props.onReject}
                    disabled={busy}
                    testId="harm-reject"
                  />
                </>
              ) : (
                <ConfirmButton
                  label={t('harm.reopen')}
                  confirmLabel={t('harm.confirmReopen')}
                  onConfirm={props.onReopen}
                  disabled={busy}
                  testId="harm-reopen"
                />
              )}
            </div>
          ) : null}
        </div>
        {side(b)}
      </div>
    </li>
  );
}
