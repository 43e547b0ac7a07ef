// The releases of the no-strike and restricted target lists: each a frozen snapshot with its
// number, status, marking and author. "New draft" freezes the objects now on the lists; a draft
// is then submitted for review and approved by a second person (see release-panel.tsx).
import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { apiSend, showProblem, toProblem } from '../api.js';
import type { Me, Page, Problem, Release } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { actorName, useWhen } from '../people.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { MarkingChip } from './marking-chip.js';
import { ProblemCard } from './problem-notice.js';

export interface ReleasesPanelProps {
  me: Me;
  releases: Page<Release> | null;
  problem: Problem | null;
  /** Objects now on the NSL and the RTL: what a new draft would freeze. */
  onLists: { nsl: number; rtl: number } | null;
  search: string;
  onCreated: (release: Release) => void;
}

/** Longest release title the API accepts. */
const titleMax = 200;

/**
 * @example <ReleasesPanel me={me} releases={page} onLists={{ nsl: 70, rtl: 2 }} ... />
 */
export function ReleasesPanel({
  me,
  releases,
  problem,
  onLists,
  search,
  onCreated,
}: ReleasesPanelProps) {
  const when = useWhen();
  const formId = useId();
  const [formOpen, setFormOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState(false);
  const mayCreate = can(me, 'release', 'create');

  const titleError =
    title.trim() === ''
      ? t('releases.titleRequired')
      : title.length > titleMax
        ? t('factorForm.tooLong', { count: title.length, max: titleMax })
        : null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (titleError) return;
    setPending(true);
    try {
      const release = await apiSend<Release>('POST', '/api/releases', { title: title.trim() });
      setTitle('');
      setTried(false);
      setFormOpen(false);
      onCreated(release);
      navigate(`/protect/releases/${encodeURIComponent(release.id)}${search}`);
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  };

  const columns = useMemo<Column<Release>[]>(
    () => [
      {
        id: 'number',
        header: t('column.releaseNumber'),
        value: (r) => r.number,
        render: (r) => (r.number === null ? t('releases.noNumber') : formatNumber(r.number)),
        numeric: true,
      },
      { id: 'title', header: t('column.title'), value: (r) => r.title, className: 'cell-wrap' },
      {
        id: 'status',
        header: t('column.status'),
        value: (r) => r.status,
        render: (r) => <ReleaseStatus status={r.status} />,
      },
      {
        id: 'marking',
        header: t('column.marking'),
        value: (r) => r.marking.classification,
        render: (r) => <MarkingChip marking={r.marking} exercise={false} compact />,
      },
      {
        id: 'objects',
        header: t('column.objects'),
        value: (r) => r.objectCount,
        numeric: true,
      },
      {
        id: 'date',
        header: t('column.date'),
        hint: t('column.dateHint'),
        value: (r) => r.releasedAt ?? r.submittedAt ?? r.createdAt,
        render: (r) => when(r.releasedAt ?? r.submittedAt ?? r.createdAt),
        mono: true,
      },
      {
        id: 'author',
        header: t('column.author'),
        value: (r) => actorName(me, r.author),
      },
    ],
    [me, when],
  );

  return (
    <div className="releases-panel" data-testid="releases-panel">
      <div className="releases-intro">
        <p>
          {onLists
            ? t('releases.intro', { nsl: onLists.nsl, rtl: onLists.rtl })
            : t('releases.introLoading')}
        </p>
        {mayCreate && !formOpen ? (
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => setFormOpen(true)}
            data-testid="release-new"
          >
            {t('releases.new')}
          </button>
        ) : null}
      </div>
      {mayCreate && formOpen ? (
        <form
          className="release-form"
          onSubmit={(event) => void create(event)}
          noValidate
          data-testid="release-form"
        >
          <div className={`field${tried && titleError ? ' has-error' : ''}`}>
            <label htmlFor={`${formId}-title`}>{t('releases.title')}</label>
            <input
              id={`${formId}-title`}
              className="input"
              value={title}
              maxLength={titleMax + 50}
              onChange={(event) => setTitle(event.target.value)}
              aria-invalid={tried && titleError ? true : undefined}
              aria-describedby={`${formId}-title-note`}
              // The form opens on request: focus goes where the typing starts.
              autoFocus
              data-testid="release-title"
            />
            {tried && titleError ? (
              <span id={`${formId}-title-note`} className="field-error" data-testid="field-error">
                {titleError}
              </span>
            ) : (
              <span id={`${formId}-title-note`} className="field-hint">
                {t('releases.titleHint')}
              </span>
            )}
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={pending}
              data-testid="release-create"
            >
              {pending ? t('releases.creating') : t('releases.create')}
            </button>
            <button type="button" className="button" onClick={() => setFormOpen(false)}>
              {t('releases.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {problem ? (
        <ProblemCard problem={problem} />
      ) : (
        <DataTable<Release>
          key="releases"
          label={t('releases.table')}
          testId="releases-table"
          rows={releases?.items ?? null}
          columns={columns}
          rowId={(r) => r.id}
          selectedId={null}
          onSelect={(r) => navigate(`/protect/releases/${encodeURIComponent(r.id)}${search}`)}
          initialSort={{ column: 'date', descending: true }}
          emptyText={t('releases.empty')}
          note={
            releases && releases.total > releases.items.length
              ? t('releases.partial', { shown: releases.items.length, count: releases.total })
              : null
          }
        />
      )}
    </div>
  );
}

/**
 * A release's status as a tag: draft, under review, released.
 *
 * @example <ReleaseStatus status="review" />
 */
export function ReleaseStatus({ status }: { status: Release['status'] }) {
  return (
    <span className={`release-status is-${status}`} data-status={status}>
      {t(`releases.status.${status}`)}
    </span>
  );
}
