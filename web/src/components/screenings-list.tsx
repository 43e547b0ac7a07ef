// Earlier screenings the user may see, newest first, to reopen with their flag sheet: the arrow
// keys move through the rows, the title (or Enter on it) opens one.
import { useMemo, useState } from 'react';
import type { Page, Problem, ScreeningSummary } from '../contract.js';
import { t } from '../i18n.js';
import { useWhen } from '../people.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { MarkingChip } from './marking-chip.js';
import { Link } from './link.js';
import { ProblemCard } from './problem-notice.js';

/**
 * @example <ScreeningsList page={list.data} problem={list.problem} search="?area=ao-1" />
 */
export function ScreeningsList(props: {
  page: Page<ScreeningSummary> | null;
  problem: Problem | null;
  search: string;
}) {
  const when = useWhen();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { search } = props;
  const columns = useMemo<Column<ScreeningSummary>[]>(
    () => [
      {
        id: 'title',
        header: t('column.title'),
        className: 'cell-name',
        value: (s) => `${s.title} ${s.plan_reference ?? ''}`.trim(),
        render: (s) => (
          <span className="object-name-cell">
            <Link
              to={`/plan/screenings/${encodeURIComponent(s.id)}${search}`}
              className="object-name-text"
              data-testid="screening-open"
            >
              {s.title}
            </Link>
            <MarkingChip marking={s.marking} exercise={false} compact />
          </span>
        ),
      },
      {
        id: 'created',
        header: t('column.date'),
        value: (s) => s.created_at,
        render: (s) => when(s.created_at),
        mono: true,
      },
      { id: 'author', header: t('column.author'), value: (s) => s.created_by.username },
      {
        id: 'release',
        header: t('screening.against'),
        value: (s) => (s.release ? s.release.number : 0),
        render: (s) =>
          s.release
            ? t('screening.releaseNumber', { number: s.release.number })
            : t('screening.currentShort'),
      },
      {
        id: 'aimpoints',
        header: t('screening.aimpointCount'),
        value: (s) => s.aimpoint_count,
        numeric: true,
      },
      {
        id: 'flagged',
        header: t('screening.flagged'),
        value: (s) => s.flagged_count,
        numeric: true,
      },
    ],
    [when, search],
  );
  if (props.problem) return <ProblemCard problem={props.problem} />;
  const note =
    props.page && props.page.total > props.page.items.length
      ? t('screening.listPartial', { shown: props.page.items.length, count: props.page.total })
      : null;
  return (
    <DataTable<ScreeningSummary>
      key="screenings"
      label={t('screening.earlier')}
      testId="screenings-table"
      rows={props.page?.items ?? null}
      columns={columns}
      rowId={(s) => s.id}
      selectedId={selectedId}
      onSelect={(s) => setSelectedId(s.id)}
      initialSort={{ column: 'created', descending: true }}
      note={note}
      emptyText={t('screening.none')}
    />
  );
}
