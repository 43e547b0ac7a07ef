// The Factors tab of Understand: the area's PMESII × ASCOPE matrix, the factors the user may see
// (each with its own marking beside its title), a CSV export and the way into the "New factor"
// form. Every text a factor holds is rendered as text by React, never as HTML.
import { useId, useMemo } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { AreaSummary, Factor, FactorMatrix as Matrix, Problem } from '../contract.js';
import { t } from '../i18n.js';
import { codeLabel } from '../taxonomy-labels.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { FactorMatrix } from './factor-matrix.js';
import type { MatrixFilter } from './factor-matrix.js';
import { MarkingChip } from './marking-chip.js';
import { ProblemCard } from './problem-notice.js';

export interface FactorsPanelProps {
  area: AreaSummary;
  factors: Factor[] | null;
  total: number | null;
  problem: Problem | null;
  matrix: Matrix | null;
  matrixProblem: Problem | null;
  filter: MatrixFilter | null;
  onFilter: (filter: MatrixFilter | null) => void;
  selectedId: string | null;
  onSelect: (factor: Factor) => void;
  /** Opens the form; null when the user may not create factors. */
  onNew: (() => void) | null;
  hasDraft: boolean;
  mayExport: boolean;
  matrixOpen: boolean;
  onMatrixOpen: (open: boolean) => void;
}

/**
 * @example <FactorsPanel area={area} factors={items} matrix={matrix} ... />
 */
export function FactorsPanel(props: FactorsPanelProps) {
  const { area, factors } = props;
  const taxonomies = useTaxonomies();
  const matrixId = useId();
  const columns = useMemo<Column<Factor>[]>(
    () => [
      {
        id: 'title',
        header: t('column.title'),
        className: 'cell-wrap cell-title',
        value: (f) => f.title,
        render: (f) => (
          <span className="factor-title-cell">
            <span className="factor-title-text">{f.title}</span>
            <MarkingChip marking={f.marking} exercise={area.exercise} compact />
          </span>
        ),
      },
      {
        id: 'cell',
        header: t('column.analysis'),
        hint: t('column.analysisHint'),
        className: 'cell-wrap cell-analysis',
        value: (f) =>
          `${codeLabel(taxonomies, 'pmesiiDomain', f.pmesii)} · ${codeLabel(taxonomies, 'ascopeCategory', f.ascope)}`,
        render: (f) => (
          <span className="analysis-cell">
            <span>{codeLabel(taxonomies, 'pmesiiDomain', f.pmesii)}</span>
            <span className="muted">{codeLabel(taxonomies, 'ascopeCategory', f.ascope)}</span>
          </span>
        ),
      },
      {
        id: 'topics',
        header: t('column.topics'),
        className: 'cell-wrap',
        value: (f) => f.topics.join(', '),
        render: (f) =>
          f.topics.length === 0 ? (
            t('table.noValue')
          ) : (
            <span className="topic-list">
              {f.topics.map((topic) => (
                <span
                  key={topic}
                  className="topic-tag"
                  title={codeLabel(taxonomies, 'crossCuttingTopic', topic)}
                >
                  {topic}
                </span>
              ))}
            </span>
          ),
      },
      {
        id: 'compartment',
        header: t('column.compartment'),
        value: (f) => f.compartment,
        render: (f) =>
          f.compartment ? (
            <span
              className="compartment-tag"
              title={codeLabel(taxonomies, 'compartment', f.compartment)}
            >
              {f.compartment}
            </span>
          ) : (
            t('table.noValue')
          ),
      },
    ],
    [taxonomies, area.exercise],
  );

  const csv = `/api/areas/${encodeURIComponent(area.id)}/factors.csv`;
  const note =
    factors && props.total !== null && factors.length < props.total
      ? t('factors.partial', { shown: factors.length, count: props.total })
      : null;

  return (
    <div className="factors-panel">
      <div className="factors-toolbar">
        {props.onNew ? (
          <button
            type="button"
            className="button button-small button-primary"
            onClick={props.onNew}
            data-testid="factor-new"
          >
            {props.hasDraft ? t('factors.continueDraft') : t('factors.new')}
          </button>
        ) : null}
        {props.mayExport ? (
          <a
            className="button button-small"
            href={csv}
            download
            title={t('factors.exportHint')}
            data-testid="factor-export"
          >
            {t('factors.export')}
          </a>
        ) : null}
        <button
          type="button"
          className="link-button matrix-toggle"
          aria-expanded={props.matrixOpen}
          aria-controls={matrixId}
          onClick={() => props.onMatrixOpen(!props.matrixOpen)}
          data-testid="factor-matrix-toggle"
        >
          {props.matrixOpen ? t('factors.hideMatrix') : t('factors.showMatrix')}
        </button>
      </div>
      <div id={matrixId} hidden={!props.matrixOpen}>
        {props.matrixProblem ? (
          <ProblemCard problem={props.matrixProblem} />
        ) : (
          <FactorMatrix matrix={props.matrix} filter={props.filter} onFilter={props.onFilter} />
        )}
      </div>
      {props.problem ? (
        <ProblemCard problem={props.problem} />
      ) : (
        <DataTable<Factor>
          key="factors"
          label={t('understand.factors')}
          testId="factors-table"
          rows={factors}
          columns={columns}
          rowId={(f) => f.id}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
          initialSort={{ column: 'cell', descending: false }}
          note={note}
        />
      )}
    </div>
  );
}
