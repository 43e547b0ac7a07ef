// A dense, sortable, filterable table whose selection follows the map and the other way round.
// Keyboard: Tab into the rows, arrow keys move and select, Home/End jump.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { formatNumber, t } from '../i18n.js';

/** A column: how to read a row's value (for sort and filter) and, optionally, how to show it. */
export interface Column<R> {
  id: string;
  header: string;
  hint?: string;
  value: (row: R) => string | number | null;
  render?: (row: R) => ReactNode;
  numeric?: boolean;
  mono?: boolean;
  /** Extra class of the column's cells (e.g. `cell-wrap` for text that wraps). */
  className?: string;
}

export interface DataTableProps<R> {
  /** Accessible name, and `data-testid` of the table. */
  label: string;
  testId: string;
  rows: R[] | null;
  columns: Column<R>[];
  rowId: (row: R) => string;
  selectedId: string | null;
  onSelect: (row: R) => void;
  initialSort: { column: string; descending: boolean };
  /** Rows outside the map view are hidden while "in map view only" is ticked. */
  inView?: (row: R) => boolean;
  /** A note under the toolbar (e.g. that the server returned part of the data). */
  note?: string | null;
  /** What an empty table says (default: none in this area). */
  emptyText?: string;
}

/** Rows drawn at most; the selected row is always drawn. Filtering narrows further. */
const maxRows = 1000;

/**
 * @example
 *   <DataTable label="Places" testId="places-table" rows={places} columns={columns}
 *     rowId={(p) => p.id} selectedId={selectedId} onSelect={select}
 *     initialSort={{ column: 'population', descending: true }} />
 */
export function DataTable<R>(props: DataTableProps<R>) {
  const { rows, columns, rowId, selectedId, onSelect, inView, label, testId } = props;
  const [sort, setSort] = useState(props.initialSort);
  const [filter, setFilter] = useState('');
  const [onlyInView, setOnlyInView] = useState(false);
  const filterId = useId();
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  const visible = useMemo(() => {
    if (!rows) return [];
    const needle = filter.trim().toLocaleLowerCase();
    const column = columns.find((c) => c.id === sort.column) ?? columns[0];
    const filtered = rows.filter(
      (row) =>
        (!onlyInView || !inView || inView(row)) &&
        (needle === '' ||
          columns.some((c) =>
            String(c.value(row) ?? '')
              .toLocaleLowerCase()
              .includes(needle),
          )),
    );
    if (!column) return filtered;
    return filtered.sort((a, b) => compare(column.value(a), column.value(b), sort.descending));
  }, [rows, columns, sort, filter, onlyInView, inView]);

  const drawn = useMemo(() => {
    if (visible.length <= maxRows) return visible;
    const head = visible.slice(0, maxRows);
    const chosen = visible.find((row) => rowId(row) === selectedId);
    return chosen && !head.includes(chosen) ? [...head, chosen] : head;
  }, [visible, rowId, selectedId]);

  // Bring the selected row into view when the selection comes from the map.
  useEffect(() => {
    if (!selectedId || !bodyRef.current) return;
    const row = bodyRef.current.querySelector<HTMLTableRowElement>(
      `tr[data-row-id="${CSS.escape(selectedId)}"]`,
    );
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, drawn]);

  const focusRow = (index: number) => {
    const row = drawn[Math.max(0, Math.min(drawn.length - 1, index))];
    if (!row) return;
    onSelect(row);
    const element = bodyRef.current?.querySelector<HTMLTableRowElement>(
      `tr[data-row-id="${CSS.escape(rowId(row))}"]`,
    );
    element?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: drawn.length - 1,
      PageDown: index + 10,
      PageUp: index - 10,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusRow(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const row = drawn[index];
      if (row) onSelect(row);
    }
  };

  const selectedIndex = drawn.findIndex((row) => rowId(row) === selectedId);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;

  return (
    <div className="data-table">
      <div className="table-toolbar">
        <label className="sr-only" htmlFor={filterId}>
          {t('table.filter')}
        </label>
        <input
          id={filterId}
          type="search"
          className="input input-small"
          placeholder={t('table.filterPlaceholder')}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          data-testid={`${testId}-filter`}
        />
        {inView ? (
          <label className="check">
            <input
              type="checkbox"
              checked={onlyInView}
              onChange={(event) => setOnlyInView(event.target.checked)}
              data-testid={`${testId}-in-view`}
            />
            {t('table.inView')}
          </label>
        ) : null}
        <span className="table-count" aria-live="polite">
          {rows ? t('table.showing', { shown: visible.length, total: rows.length }) : null}
        </span>
      </div>
      {props.note ? <p className="table-note">{props.note}</p> : null}
      <div className="table-scroll">
        <table
          role="grid"
          aria-label={label}
          data-testid={testId}
          aria-rowcount={visible.length + 1}
        >
          <thead>
            <tr>
              {columns.map((column) => {
                const sorted = sort.column === column.id;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    className={
                      [column.numeric ? 'num' : '', column.className ?? ''].join(' ').trim() ||
                      undefined
                    }
                    aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort-button"
                      title={column.hint}
                      onClick={() =>
                        setSort({
                          column: column.id,
                          descending: sorted ? !sort.descending : Boolean(column.numeric),
                        })
                      }
                      data-testid={`${testId}-sort-${column.id}`}
                    >
                      {column.header}
                      <span
                        className="sort-mark"
                        aria-hidden="true"
                        data-sort={sorted ? (sort.descending ? 'desc' : 'asc') : 'none'}
                      />
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {rows === null ? (
              <tr>
                <td colSpan={columns.length} className="table-empty">
                  {t('table.loading')}
                </td>
              </tr>
            ) : drawn.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="table-empty">
                  {rows.length === 0 ? (props.emptyText ?? t('table.none')) : t('table.empty')}
                </td>
              </tr>
            ) : (
              drawn.map((row, index) => {
                const id = rowId(row);
                const isSelected = id === selectedId;
                return (
                  <tr
                    key={id}
                    data-row-id={id}
                    tabIndex={index === tabStop ? 0 : -1}
                    aria-selected={isSelected}
                    className={isSelected ? 'is-selected' : undefined}
                    onClick={() => onSelect(row)}
                    onKeyDown={(event) => onKeyDown(event, index)}
                  >
                    {columns.map((column) => (
                      <td
                        key={column.id}
                        className={[
                          column.numeric ? 'num' : '',
                          column.mono ? 'mono' : '',
                          column.className ?? '',
                        ]
                          .join(' ')
                          .trim()}
                      >
                        {column.render ? column.render(row) : display(column.value(row))}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Orders two cell values; empty values go last in either direction. */
function compare(a: string | number | null, b: string | number | null, descending: boolean) {
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  return descending ? -order : order;
}

function display(value: string | number | null): string {
  if (value === null || value === '') return t('table.noValue');
  return typeof value === 'number' ? formatNumber(value) : value;
}
