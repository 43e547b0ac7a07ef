// The PMESII × ASCOPE matrix of an area: how many factors the user can see in each cell, shaded
// by count; choosing a cell (or a row total) narrows the factor list to it. Factors hidden in
// compartments the user is not in appear only as a count per compartment ("<5" when small).
import { useTaxonomies } from '../app-context.js';
import type { FactorMatrix as Matrix } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { codeEntries, codeLabel } from '../taxonomy-labels.js';

/** A narrowing of the factor list: one PMESII domain, and optionally one ASCOPE category. */
export interface MatrixFilter {
  pmesii: string;
  ascope: string | null;
}

/**
 * `data-testid="factor-matrix"`; the restricted line is `factor-restricted`.
 *
 * @example <FactorMatrix matrix={matrix} filter={null} onFilter={setFilter} />
 */
export function FactorMatrix({
  matrix,
  filter,
  onFilter,
}: {
  matrix: Matrix | null;
  filter: MatrixFilter | null;
  onFilter: (filter: MatrixFilter | null) => void;
}) {
  const taxonomies = useTaxonomies();
  const rows = codeEntries(taxonomies, 'pmesiiDomain');
  const columns = codeEntries(taxonomies, 'ascopeCategory');
  const counts = new Map<string, number>();
  for (const cell of matrix?.cells ?? []) counts.set(`${cell.pmesii}|${cell.ascope}`, cell.count);
  const max = Math.max(1, ...counts.values());
  const level = (n: number) => (n === 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4)));
  const toggle = (next: MatrixFilter) =>
    onFilter(
      filter && filter.pmesii === next.pmesii && filter.ascope === next.ascope ? null : next,
    );

  return (
    <div className="factor-matrix-wrap">
      <table className="factor-matrix" data-testid="factor-matrix">
        <caption className="sr-only">{t('matrix.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="matrix-corner">
              <span aria-hidden="true">{t('matrix.corner')}</span>
              <span className="sr-only">{t('matrix.cornerLong')}</span>
            </th>
            {columns.map((column) => (
              <th key={column.code} scope="col" title={column.label}>
                <span aria-hidden="true">{column.code.charAt(0)}</span>
                <span className="sr-only">{column.label}</span>
              </th>
            ))}
            <th scope="col" className="matrix-total">
              {t('matrix.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const total = columns.reduce(
              (sum, column) => sum + (counts.get(`${row.code}|${column.code}`) ?? 0),
              0,
            );
            const rowOn = filter?.pmesii === row.code && filter.ascope === null;
            return (
              <tr key={row.code}>
                <th scope="row" title={row.description}>
                  {row.label}
                </th>
                {columns.map((column) => {
                  const n = counts.get(`${row.code}|${column.code}`) ?? 0;
                  const on = filter?.pmesii === row.code && filter.ascope === column.code;
                  return (
                    <td key={column.code} data-level={matrix ? level(n) : 0}>
                      <button
                        type="button"
                        aria-pressed={on}
                        disabled={matrix === null || (n === 0 && !on)}
                        aria-label={t('matrix.cell', {
                          count: n,
                          pmesii: row.label,
                          ascope: column.label,
                        })}
                        onClick={() => toggle({ pmesii: row.code, ascope: column.code })}
                        data-testid={`matrix-${row.code}-${column.code}`}
                      >
                        {matrix === null ? '' : n === 0 ? '·' : formatNumber(n)}
                      </button>
                    </td>
                  );
                })}
                <td className="matrix-total">
                  <button
                    type="button"
                    aria-pressed={rowOn}
                    disabled={matrix === null || (total === 0 && !rowOn)}
                    aria-label={t('matrix.rowTotal', { count: total, pmesii: row.label })}
                    onClick={() => toggle({ pmesii: row.code, ascope: null })}
                  >
                    {matrix === null ? '' : formatNumber(total)}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <RestrictedLine matrix={matrix} />
      {filter ? (
        <div className="filter-chip-row">
          <span className="filter-chip" data-testid="factor-filter">
            {filter.ascope
              ? t('matrix.filterCell', {
                  pmesii: codeLabel(taxonomies, 'pmesiiDomain', filter.pmesii),
                  ascope: codeLabel(taxonomies, 'ascopeCategory', filter.ascope),
                })
              : t('matrix.filterRow', {
                  pmesii: codeLabel(taxonomies, 'pmesiiDomain', filter.pmesii),
                })}
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => onFilter(null)}
            data-testid="factor-filter-clear"
          >
            {t('matrix.showAll')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** "CRSV: <5 further factors in a compartment you are not in", one line per compartment. */
function RestrictedLine({ matrix }: { matrix: Matrix | null }) {
  const hidden = (matrix?.restricted ?? []).filter((r) => r.count !== 0);
  if (hidden.length === 0) return null;
  return (
    <ul className="factor-restricted" data-testid="factor-restricted">
      {hidden.map((r) => (
        <li key={r.compartment}>
          <svg className="lock-icon" viewBox="0 0 12 12" aria-hidden="true">
            <rect x="2" y="5.5" width="8" height="5.5" rx="1" />
            <path d="M4 5.5V4a2 2 0 014 0v1.5" />
          </svg>
          {t('matrix.restricted', {
            compartment: r.compartment,
            count: r.count,
          })}
        </li>
      ))}
    </ul>
  );
}
