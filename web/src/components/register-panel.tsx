// The register of protected objects beside the map: filters by category and list (which narrow
// the map too), the open object's record, and a dense sortable table with a name search and
// "in map view only". Import and export sit in the toolbar for the roles that may use them.
import { useId, useMemo } from 'react';
import { useSettings, useTaxonomies } from '../app-context.js';
import type { ListCode, Me, ObjectCategoryCode, Problem, ProtectedObject } from '../contract.js';
import { formatMgrs } from '../format.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { codeEntries, codeLabel } from '../taxonomy-labels.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { MarkingChip } from './marking-chip.js';
import { ObjectSymbol } from './object-symbols.js';
import { ProblemCard } from './problem-notice.js';

/** The filters that narrow both the map and the table. */
export interface RegisterFilter {
  category: ObjectCategoryCode | '';
  list: ListCode | 'none' | '';
}

export interface RegisterPanelProps {
  me: Me;
  /** The objects after the filters; null while loading. */
  objects: ProtectedObject[] | null;
  /** How many objects the register holds, and how many were loaded. */
  total: number | null;
  loaded: number;
  problem: Problem | null;
  filter: RegisterFilter;
  onFilter: (filter: RegisterFilter) => void;
  selectedId: string | null;
  onSelect: (object: ProtectedObject) => void;
  inView: (object: ProtectedObject) => boolean;
  onImport: () => void;
}

/**
 * Whether an object passes the register filters.
 *
 * @example objects.filter((o) => matchesFilter(o, { category: 'medical', list: 'NSL' }));
 */
export function matchesFilter(object: ProtectedObject, filter: RegisterFilter): boolean {
  if (filter.category && object.category !== filter.category) return false;
  if (filter.list === 'none') return object.list === null;
  if (filter.list) return object.list === filter.list;
  return true;
}

/**
 * @example <RegisterPanel me={me} objects={shown} filter={filter} onFilter={setFilter} ... />
 */
export function RegisterPanel(props: RegisterPanelProps) {
  const { me, objects, filter, onFilter } = props;
  const taxonomies = useTaxonomies();
  const { notation } = useSettings();
  const formId = useId();
  const mayImport = can(me, 'protected_object', 'create') && can(me, 'protected_object', 'update');
  const mayExport = can(me, 'protected_object', 'export');

  const columns = useMemo<Column<ProtectedObject>[]>(
    () => [
      {
        id: 'name',
        header: t('column.name'),
        className: 'cell-name',
        value: (o) => (o.nameLatin ? `${o.name} ${o.nameLatin}` : o.name),
        render: (o) => (
          <span className="object-name-cell" title={o.nameLatin ?? undefined}>
            <ObjectSymbol category={o.category} size={14} />
            <span className="object-name-text">{o.name}</span>
            <MarkingChip marking={o.marking} exercise={false} compact />
          </span>
        ),
      },
      {
        id: 'category',
        header: t('column.category'),
        value: (o) => codeLabel(taxonomies, 'objectCategory', o.category),
      },
      {
        id: 'list',
        header: t('column.list'),
        value: (o) => o.list ?? '',
        render: (o) =>
          o.list ? <span className={`list-tag list-${o.list}`}>{o.list}</span> : t('table.noValue'),
      },
      {
        id: 'buffer',
        header: t('column.buffer'),
        hint: t('column.bufferHint'),
        value: (o) => o.bufferMetres,
        numeric: true,
      },
      {
        id: 'position',
        header: t('column.position'),
        value: (o) =>
          notation === 'military'
            ? (formatMgrs(o.centroid[0], o.centroid[1], 3) ?? o.mgrs ?? '')
            : // 4 decimals (about 10 m) keep the column narrow; the record shows 5.
              `${o.centroid[1].toFixed(4)}, ${o.centroid[0].toFixed(4)}`,
        mono: true,
      },
    ],
    [taxonomies, notation],
  );

  const partial =
    props.total !== null && props.loaded < props.total
      ? t('register.partial', { shown: props.loaded, count: props.total })
      : null;

  return (
    <div className="register-panel" data-testid="register-panel">
      <div className="register-toolbar">
        <div className="field field-inline">
          <label htmlFor={`${formId}-category`}>{t('register.category')}</label>
          <select
            id={`${formId}-category`}
            className="input input-small"
            value={filter.category}
            onChange={(event) =>
              onFilter({ ...filter, category: event.target.value as RegisterFilter['category'] })
            }
            data-testid="register-category"
          >
            <option value="">{t('register.allCategories')}</option>
            {codeEntries(taxonomies, 'objectCategory').map((entry) => (
              <option key={entry.code} value={entry.code}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={`${formId}-list`}>{t('register.list')}</label>
          <select
            id={`${formId}-list`}
            className="input input-small"
            value={filter.list}
            onChange={(event) =>
              onFilter({ ...filter, list: event.target.value as RegisterFilter['list'] })
            }
            data-testid="register-list"
          >
            <option value="">{t('register.allLists')}</option>
            <option value="NSL">{t('register.onNsl')}</option>
            <option value="RTL">{t('register.onRtl')}</option>
            <option value="none">{t('register.onNoList')}</option>
          </select>
        </div>
        <div className="register-actions">
          {mayImport ? (
            <button
              type="button"
              className="button button-small"
              onClick={props.onImport}
              data-testid="import-open"
            >
              {t('import.open')}
            </button>
          ) : null}
          {mayExport ? <ExportLinks query="" testPrefix="register-export" /> : null}
        </div>
      </div>
      {props.problem ? (
        <ProblemCard problem={props.problem} />
      ) : (
        <DataTable<ProtectedObject>
          key="register"
          label={t('register.table')}
          testId="register-table"
          rows={objects}
          columns={columns}
          rowId={(o) => o.id}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
          initialSort={{ column: 'name', descending: false }}
          inView={props.inView}
          note={partial}
          emptyText={mayImport ? t('register.empty') : t('register.emptyReadOnly')}
        />
      )}
    </div>
  );
}

/**
 * Download links of the register or a release, as GeoJSON, CSV (with HXL) and KML; every file
 * carries the marking of what it holds.
 *
 * @example <ExportLinks query="&release=3" testPrefix="release-export" />
 */
export function ExportLinks({ query, testPrefix }: { query: string; testPrefix: string }) {
  return (
    <span className="export-links">
      <span className="export-label">{t('export.label')}</span>
      {(['geojson', 'csv', 'kml'] as const).map((format) => (
        <a
          key={format}
          className="button button-small"
          href={`/api/objects/export?format=${format}${query}`}
          download
          title={t('export.hint', { format: t(`export.${format}`) })}
          data-testid={`${testPrefix}-${format}`}
        >
          {t(`export.${format}`)}
        </a>
      ))}
    </span>
  );
}

/**
 * How many objects are on each list, for the releases panel.
 *
 * @example listCounts(register.objects); // { nsl: 78, rtl: 2 }
 */
export function listCounts(objects: readonly ProtectedObject[] | null): {
  nsl: number;
  rtl: number;
} {
  let nsl = 0;
  let rtl = 0;
  for (const o of objects ?? []) {
    if (o.list === 'NSL') nsl += 1;
    if (o.list === 'RTL') rtl += 1;
  }
  return { nsl, rtl };
}
