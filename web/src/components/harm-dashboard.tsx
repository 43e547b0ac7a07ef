// The harm dashboard: the totals and every chart come from one `GET /api/harm/stats` with the
// filters applied (date, area, grade, topic) — nothing is summed again in the browser. Harm over
// time by month or week with low–high bands; by admin area, cause and attribution; by sex and age
// group when the server gives those.
import { useCallback, useState } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { HarmStats } from '../contract.js';
import { harmQuery } from '../harm-view.js';
import type { HarmFilters } from '../harm-view.js';
import { formatNumber, t } from '../i18n.js';
import { codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import { HarmGroupChart, HarmTimeChart } from './harm-chart.js';
import { HarmExport } from './harm-extras.js';
import { HarmFilterBar } from './harm-filters.js';
import { useTimeFormat } from './harm-parts.js';
import { ProblemCard } from './problem-notice.js';

/**
 * `data-testid="harm-dashboard"`; totals in `harm-stat-<measure>[-low|-best|-high]`.
 *
 * @example <HarmDashboard filters={filters} onFilters={setFilters} />
 */
export function HarmDashboard({
  filters,
  onFilters,
}: {
  filters: HarmFilters;
  onFilters: (filters: HarmFilters) => void;
}) {
  const taxonomies = useTaxonomies();
  const time = useTimeFormat();
  const [step, setStep] = useState<'month' | 'week'>('month');
  const stats = useApi<HarmStats>('/api/harm/stats', harmQuery(filters));
  const [loadedAt, setLoadedAt] = useState({ data: null as HarmStats | null, at: '' });
  if (stats.data && loadedAt.data !== stats.data) {
    setLoadedAt({ data: stats.data, at: new Date().toISOString() });
  }
  const s = stats.data;
  const caption = (units: string) =>
    t('harm.chartCaption', {
      units,
      time: loadedAt.at ? time(loadedAt.at) : '',
      count: s?.incidents ?? 0,
    });
  const label = useCallback(
    (list: string) => (key: string) =>
      key === 'UNASSESSED'
        ? t('harm.unassessed')
        : key === 'UNKNOWN' && list === 'area'
          ? t('harm.unknownArea')
          : list === 'area' || list === 'time'
            ? key
            : codeLabel(taxonomies, list, key),
    [taxonomies],
  );
  const timeGroups = s ? (step === 'week' ? s.byWeek : s.byMonth) : [];
  const per = step === 'week' ? t('harm.perWeek') : t('harm.perMonth');

  return (
    <section className="harm-dashboard" data-testid="harm-dashboard" aria-labelledby="harm-dash">
      <header className="harm-section-head">
        <h2 id="harm-dash">{t('harm.dashboard')}</h2>
        <div className="harm-segmented" role="group" aria-label={t('harm.interval')}>
          {(['month', 'week'] as const).map((i) => (
            <button
              key={i}
              type="button"
              className="button button-small"
              aria-pressed={step === i}
              onClick={() => setStep(i)}
              data-testid={`harm-interval-${i}`}
            >
              {t(i === 'month' ? 'harm.byMonth' : 'harm.byWeek')}
            </button>
          ))}
        </div>
      </header>
      <HarmFilterBar value={filters} onApply={onFilters} />
      <HarmExport filters={filters} />
      {stats.problem ? <ProblemCard problem={stats.problem} /> : null}
      {s === null ? (
        <p className="muted panel-note">{t('app.loading')}</p>
      ) : (
        <>
          <dl className="harm-totals" data-testid="harm-totals">
            <div className="harm-total">
              <dt>{t('harm.incidents')}</dt>
              <dd data-testid="harm-stat-incidents">{formatNumber(s.incidents)}</dd>
            </div>
            <div className="harm-total">
              <dt>{t('harm.reports')}</dt>
              <dd data-testid="harm-stat-reports">{formatNumber(s.reports)}</dd>
            </div>
            {(['killed', 'injured'] as const).map((m) => (
              <div className="harm-total" key={m}>
                <dt>{t(m === 'killed' ? 'harm.civiliansKilled' : 'harm.civiliansInjured')}</dt>
                <dd>
                  <span className="harm-total-best" data-testid={`harm-stat-${m}-best`}>
                    {formatNumber(s[m].best)}
                  </span>{' '}
                  <span className="muted">
                    {t('harm.range', {
                      low: formatNumber(s[m].low),
                      high: formatNumber(s[m].high),
                    })}
                  </span>
                  <span className="sr-only" data-testid={`harm-stat-${m}-low`}>
                    {s[m].low}
                  </span>
                  <span className="sr-only" data-testid={`harm-stat-${m}-high`}>
                    {s[m].high}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
          <div className="harm-charts">
            <HarmTimeChart
              id="time-killed"
              measure="killed"
              title={t('harm.chartKilledOverTime', { per })}
              caption={caption(t('harm.unitsBand'))}
              groups={timeGroups}
              keyLabel={label('time')}
            />
            <HarmTimeChart
              id="time-injured"
              measure="injured"
              title={t('harm.chartInjuredOverTime', { per })}
              caption={caption(t('harm.unitsBand'))}
              groups={timeGroups}
              keyLabel={label('time')}
            />
            <HarmGroupChart
              id="area"
              title={t('harm.chartByArea')}
              caption={caption(t('harm.unitsBars'))}
              groups={s.byArea}
              keyLabel={label('area')}
            />
            <HarmGroupChart
              id="cause"
              title={t('harm.chartByCause')}
              caption={caption(t('harm.unitsBars'))}
              groups={s.byCause}
              keyLabel={label('harmCause')}
            />
            <HarmGroupChart
              id="attribution"
              title={t('harm.chartByAttribution')}
              caption={caption(t('harm.unitsBars'))}
              groups={s.byAttribution}
              keyLabel={label('harmParty')}
            />
            {s.bySex ? (
              <HarmGroupChart
                id="sex"
                title={t('harm.chartBySex')}
                caption={caption(t('harm.unitsBars'))}
                groups={s.bySex}
                keyLabel={label('sex')}
              />
            ) : null}
            {s.byAge ? (
              <HarmGroupChart
                id="age"
                title={t('harm.chartByAge')}
                caption={caption(t('harm.unitsBars'))}
                groups={s.byAge}
                keyLabel={label('ageGroup')}
              />
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
