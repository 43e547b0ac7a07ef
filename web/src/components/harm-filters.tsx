// The filters of the incident list and the dashboard: start date from/to, admin area (P-code or
// name), assessment grade and cross-cutting topic. Applied on the server (the same query for
// both), so the figures shown are the API's.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTaxonomies } from '../app-context.js';
import { noHarmFilters } from '../harm-view.js';
import type { HarmFilters } from '../harm-view.js';
import { t } from '../i18n.js';
import { codeEntries } from '../taxonomy-labels.js';

/**
 * `data-testid="harm-filters"`; each field `harm-filter-<name>`.
 *
 * @example <HarmFilterBar value={filters} onApply={setFilters} />
 */
export function HarmFilterBar({
  value,
  onApply,
}: {
  value: HarmFilters;
  onApply: (filters: HarmFilters) => void;
}) {
  const id = useId();
  const taxonomies = useTaxonomies();
  const [draft, setDraft] = useState(value);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const input = (name: 'from' | 'to' | 'area', label: string, type: string) => (
    <div className="field field-inline">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        className="input input-small"
        type={type}
        value={draft[name]}
        maxLength={200}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        data-testid={`harm-filter-${name}`}
      />
    </div>
  );
  const choose = (name: 'grade' | 'topic', label: string, list: string) => (
    <div className="field field-inline">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select
        id={`${id}-${name}`}
        className="input input-small"
        value={draft[name]}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        data-testid={`harm-filter-${name}`}
      >
        <option value="">{t('harm.any')}</option>
        {codeEntries(taxonomies, list).map((e) => (
          <option key={e.code} value={e.code}>
            {e.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="harm-filters" onSubmit={apply} data-testid="harm-filters">
      {input('from', t('harm.from'), 'date')}
      {input('to', t('harm.to'), 'date')}
      {input('area', t('harm.area'), 'text')}
      {choose('grade', t('harm.grade'), 'harmGrade')}
      {choose('topic', t('harm.topic'), 'crossCuttingTopic')}
      <div className="harm-filter-actions">
        <button type="submit" className="button button-small" data-testid="harm-filter-apply">
          {t('audit.apply')}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => {
            setDraft(noHarmFilters);
            onApply(noHarmFilters);
          }}
        >
          {t('audit.clear')}
        </button>
      </div>
    </form>
  );
}
