// One release of the lists: its status, marking, author and approver, the actions its state and
// the user's role allow (submit a draft for review, approve one under review — never by its
// author), export links, and what changed since the release before it: counts that filter a
// table of the changes, while the map beside it shows them (see release-diff.ts).
import { useMemo, useState } from 'react';
import { useTaxonomies } from '../app-context.js';
import { apiSend, showProblem, toProblem } from '../api.js';
import type { Me, Problem, Release, ReleaseDiff } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { actorName, useWhen } from '../people.js';
import type { Change, DiffRow } from '../release-diff.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { Link } from './link.js';
import { MarkingChip } from './marking-chip.js';
import { ObjectSymbol } from './object-symbols.js';
import { ProblemCard } from './problem-notice.js';
import { ExportLinks } from './register-panel.js';
import { ReleaseStatus } from './releases-panel.js';

export interface ReleasePanelProps {
  me: Me;
  release: Release | null;
  problem: Problem | null;
  diff: ReleaseDiff | null;
  diffProblem: Problem | null;
  /** The diff's rows, null while loading. */
  rows: DiffRow[] | null;
  /** Whether the items could be loaded (else only moved objects are placed on the map). */
  itemsShown: boolean;
  selectedId: string | null;
  onSelect: (row: DiffRow) => void;
  /** Called with the release after it was submitted or approved. */
  onChanged: (release: Release) => void;
  search: string;
}

const changes: readonly Exclude<Change, 'same'>[] = ['added', 'removed', 'moved', 'changed'];

/**
 * @example <ReleasePanel me={me} release={r} diff={d} rows={rows} onChanged={reload} ... />
 */
export function ReleasePanel(props: ReleasePanelProps) {
  const { me, release, diff, rows } = props;
  const when = useWhen();
  const taxonomies = useTaxonomies();
  const [pending, setPending] = useState<'submit' | 'approve' | null>(null);
  const [only, setOnly] = useState<Change | null>(null);

  const columns = useMemo<Column<DiffRow>[]>(
    () => [
      {
        id: 'change',
        header: t('column.change'),
        value: (r) => changes.indexOf(r.change as Exclude<Change, 'same'>),
        render: (r) => (
          <span className={`diff-tag diff-${r.change}`} data-change={r.change}>
            {t(`diff.${r.change}`)}
          </span>
        ),
      },
      {
        id: 'name',
        header: t('column.name'),
        value: (r) => r.name,
        render: (r) => (
          <span className="object-name-cell">
            {r.category ? <ObjectSymbol category={r.category} size={14} /> : null}
            <span className="object-name-text">{r.name}</span>
          </span>
        ),
      },
      {
        id: 'category',
        header: t('column.category'),
        value: (r) => (r.category ? codeLabel(taxonomies, 'objectCategory', r.category) : null),
      },
      { id: 'list', header: t('column.list'), value: (r) => r.list },
      {
        id: 'detail',
        header: t('column.what'),
        className: 'cell-wrap',
        value: (r) => diffDetail(r),
      },
    ],
    [taxonomies],
  );

  if (props.problem) {
    return (
      <div className="release-panel">
        <BackLink search={props.search} />
        <ProblemCard problem={props.problem} />
      </div>
    );
  }
  if (!release) return <p className="muted release-loading">{t('app.loading')}</p>;

  const act = async (action: 'submit' | 'approve') => {
    setPending(action);
    try {
      const changed = await apiSend<Release>(
        'POST',
        `/api/releases/${encodeURIComponent(release.id)}/${action}`,
      );
      props.onChanged(changed);
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setPending(null);
    }
  };

  const isAuthor = release.author === me.id;
  const maySubmit = release.status === 'draft' && can(me, 'release', 'update');
  const mayApprove = release.status === 'review' && can(me, 'release', 'approve');
  const counts = {
    added: diff?.diff.added.length ?? 0,
    removed: diff?.diff.removed.length ?? 0,
    moved: diff?.diff.moved.length ?? 0,
    changed: diff?.diff.changed.length ?? 0,
  };
  const against = diff?.against ?? null;
  const shownRows = rows
    ? rows.filter((r) => (only ? r.change === only : r.change !== 'same'))
    : null;
  const ref = release.number === null ? release.id : String(release.number);

  return (
    <div className="release-panel" data-testid="release-panel" data-status={release.status}>
      <header className="release-header">
        <BackLink search={props.search} />
        <div className="release-title-row">
          <h2 className="release-title" data-testid="release-heading">
            <span className="release-kicker">
              {release.number === null
                ? t('release.unnumbered')
                : t('release.number', { number: release.number })}
            </span>
            <span>{release.title}</span>
          </h2>
          <MarkingChip
            marking={release.marking}
            exercise={false}
            title={t('release.markingTitle')}
          />
        </div>
        <dl className="release-facts">
          <div>
            <dt>{t('release.status')}</dt>
            <dd>
              <ReleaseStatus status={release.status} />
            </dd>
          </div>
          <div>
            <dt>{t('release.objects')}</dt>
            <dd>{formatNumber(release.objectCount)}</dd>
          </div>
          <div>
            <dt>{t('release.author')}</dt>
            <dd>{actorName(me, release.author)}</dd>
          </div>
          <div>
            <dt>{t('release.approver')}</dt>
            <dd>{release.approver ? actorName(me, release.approver) : t('table.noValue')}</dd>
          </div>
          <div>
            <dt>{t('release.created')}</dt>
            <dd className="mono">{when(release.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('release.submitted')}</dt>
            <dd className="mono">{when(release.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('release.released')}</dt>
            <dd className="mono">{when(release.releasedAt)}</dd>
          </div>
        </dl>
        <div className="release-actions">
          {maySubmit ? (
            <button
              type="button"
              className="button button-primary button-small"
              disabled={pending !== null}
              onClick={() => void act('submit')}
              data-testid="release-submit"
            >
              {pending === 'submit' ? t('release.submitting') : t('release.submit')}
            </button>
          ) : null}
          {mayApprove ? (
            <>
              <button
                type="button"
                className="button button-primary button-small"
                disabled={pending !== null || isAuthor}
                aria-describedby={isAuthor ? 'release-approve-reason' : undefined}
                onClick={() => void act('approve')}
                data-testid="release-approve"
              >
                {pending === 'approve' ? t('release.approving') : t('release.approve')}
              </button>
              {isAuthor ? (
                <span
                  id="release-approve-reason"
                  className="release-reason"
                  data-testid="release-approve-reason"
                >
                  {t('release.authorCannotApprove')}
                </span>
              ) : null}
            </>
          ) : null}
          {release.status === 'draft' && !maySubmit ? (
            <span className="release-reason">{t('release.draftNote')}</span>
          ) : null}
          {release.status === 'review' && !mayApprove ? (
            <span className="release-reason">{t('release.reviewNote')}</span>
          ) : null}
          {can(me, 'protected_object', 'export') ? (
            <ExportLinks
              query={`&release=${encodeURIComponent(ref)}`}
              testPrefix="release-export"
            />
          ) : null}
        </div>
      </header>

      <section className="release-diff" aria-labelledby="release-diff-title">
        <div className="release-diff-head">
          <h3 id="release-diff-title">
            {against
              ? t('release.diffAgainst', {
                  number: against.number ?? 0,
                  title: against.title,
                })
              : diff
                ? t('release.diffFirst')
                : t('release.diffTitle')}
          </h3>
          <div className="diff-counts" role="group" aria-label={t('release.diffFilter')}>
            {changes.map((change) => (
              <button
                key={change}
                type="button"
                className={`diff-count diff-${change}`}
                aria-pressed={only === change}
                disabled={!diff}
                onClick={() => setOnly(only === change ? null : change)}
                data-testid={`diff-${change}`}
                data-count={counts[change]}
              >
                <span className="diff-dot" aria-hidden="true" />
                <span className="diff-count-label">{t(`diff.${change}`)}</span>
                <span className="diff-count-number">{formatNumber(counts[change])}</span>
              </button>
            ))}
          </div>
        </div>
        {props.diffProblem ? <ProblemCard problem={props.diffProblem} /> : null}
        {!props.itemsShown && diff ? <p className="table-note">{t('release.noItems')}</p> : null}
        <DataTable<DiffRow>
          key="diff"
          label={t('release.diffTable')}
          testId="release-diff-table"
          rows={shownRows}
          columns={columns}
          rowId={(r) => r.id}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
          initialSort={{ column: 'change', descending: false }}
          emptyText={t('release.noChanges')}
        />
      </section>
    </div>
  );
}

function BackLink({ search }: { search: string }) {
  return (
    <Link to={`/protect/releases${search}`} className="back-link" data-testid="release-back">
      {t('release.back')}
    </Link>
  );
}

/** What changed about one object, in words. */
function diffDetail(row: DiffRow): string {
  const parts: string[] = [];
  if (row.change === 'moved' && row.metres !== null) {
    parts.push(t('diff.movedBy', { metres: formatNumber(Math.round(row.metres)) }));
  }
  if (row.fields.length > 0) parts.push(t('diff.fields', { fields: row.fields.join(', ') }));
  if (row.change === 'added') parts.push(t('diff.addedDetail'));
  if (row.change === 'removed') parts.push(t('diff.removedDetail'));
  return parts.join(' · ');
}
