// Charts of harm figures drawn with Observable Plot: over time as a low–high band with the best
// estimate as a line, and by group as bars of the best estimate with low–high whiskers. Each chart
// is a figure with a title saying what it shows, its units, the data's date and source, and the
// numbers themselves in a table under it (for screen readers, and to check against the API).
// Plot adds a <style> element to each chart; the app's CSP allows no inline styles, so it is
// removed before the chart reaches the page and styles.css gives the same rules.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import * as Plot from '@observablehq/plot';
import { useSettings } from '../app-context.js';
import type { HarmStatsGroup } from '../contract.js';
import { statsKeyDate } from '../harm-view.js';
import { formatNumber, t } from '../i18n.js';

type Measure = 'killed' | 'injured';

/** A group of the statistics: its key, how many incidents, and the people killed and injured. */
export type ChartGroup = Pick<HarmStatsGroup, 'key' | 'incidents' | 'killed' | 'injured'>;

/** Colours from the theme's custom properties (styles.css), read when the chart is drawn. */
function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Renders a Plot chart into a container, without Plot's inline <style>. */
function usePlot(draw: (width: number) => Element, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  const { theme } = useSettings();
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const chart = draw(Math.max(280, container.clientWidth || 480));
    for (const style of chart.querySelectorAll('style')) style.remove();
    container.replaceChildren(chart);
    return () => container.replaceChildren();
    // The caller lists what the chart depends on; the theme recolours it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, theme]);
  return ref;
}

export interface ChartFrameProps {
  id: string;
  title: string;
  /** Units, date and source of the data. */
  caption: string;
  groups: readonly ChartGroup[];
  /** How a group's key reads in the table (a code's label, a month). */
  keyLabel: (key: string) => string;
}

/**
 * Killed or injured over time: the low–high band and the best estimate
 * (`data-testid="harm-chart-<id>"`).
 *
 * @example <HarmTimeChart id="time-killed" measure="killed" groups={stats.byMonth} ... />
 */
export function HarmTimeChart(props: ChartFrameProps & { measure: Measure }) {
  const { groups, measure } = props;
  const ref = usePlot(
    (width) => {
      const colour = themeColour(
        measure === 'killed' ? '--map-incident' : '--map-heat-mid',
        '#b42318',
      );
      const rows = groups.flatMap((g) => {
        const date = statsKeyDate(g.key);
        return date
          ? [{ date, low: g[measure].low, best: g[measure].best, high: g[measure].high }]
          : [];
      });
      return Plot.plot({
        width,
        height: 220,
        marginLeft: 48,
        className: 'harm-plot',
        x: { type: 'utc', label: null },
        y: { grid: true, label: t('harm.chartPeople'), zero: true },
        marks: [
          Plot.areaY(rows, { x: 'date', y1: 'low', y2: 'high', fill: colour, fillOpacity: 0.2 }),
          // The range at each date too: a band needs two dates to show.
          Plot.ruleX(rows, {
            x: 'date',
            y1: 'low',
            y2: 'high',
            stroke: colour,
            strokeOpacity: 0.45,
            strokeWidth: 3,
          }),
          Plot.lineY(rows, { x: 'date', y: 'best', stroke: colour, strokeWidth: 2 }),
          Plot.dot(rows, { x: 'date', y: 'best', fill: colour, r: 2.5 }),
          Plot.ruleY([0]),
        ],
      });
    },
    [groups, measure],
  );
  return (
    <ChartFrame {...props} measures={[measure]}>
      <div ref={ref} className="harm-chart-canvas" aria-hidden="true" />
    </ChartFrame>
  );
}

/**
 * Killed by group: bars of the best estimate with low–high whiskers, largest first
 * (`data-testid="harm-chart-<id>"`).
 */
export function HarmGroupChart(props: ChartFrameProps) {
  const { groups, keyLabel } = props;
  const ref = usePlot(
    (width) => {
      const colour = themeColour('--map-incident', '#b42318');
      const ink = themeColour('--text', '#17202a');
      const rows = [...groups]
        .sort((a, b) => b.killed.best - a.killed.best || a.key.localeCompare(b.key))
        .slice(0, 15)
        .map((g) => ({
          label: keyLabel(g.key),
          low: g.killed.low,
          best: g.killed.best,
          high: g.killed.high,
        }));
      return Plot.plot({
        width,
        height: 40 + rows.length * 24,
        marginLeft: 140,
        className: 'harm-plot',
        x: { grid: true, label: t('harm.chartKilled'), zero: true },
        y: { label: null, domain: rows.map((r) => r.label) },
        marks: [
          Plot.barX(rows, { y: 'label', x: 'best', fill: colour, fillOpacity: 0.75 }),
          Plot.ruleY(rows, { y: 'label', x1: 'low', x2: 'high', stroke: ink, strokeWidth: 1.5 }),
          Plot.tickX(rows, { y: 'label', x: 'low', stroke: ink }),
          Plot.tickX(rows, { y: 'label', x: 'high', stroke: ink }),
        ],
      });
    },
    [groups, keyLabel],
  );
  return (
    <ChartFrame {...props} measures={['killed', 'injured']}>
      <div ref={ref} className="harm-chart-canvas" aria-hidden="true" />
    </ChartFrame>
  );
}

function ChartFrame(
  props: ChartFrameProps & {
    measures: Measure[];
    children: ReactNode;
  },
) {
  const { id, title, caption, groups, keyLabel, measures } = props;
  return (
    <figure className="harm-chart" data-testid={`harm-chart-${id}`} aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`} className="harm-chart-title">
        {title}
      </h3>
      {groups.length === 0 ? <p className="muted">{t('harm.noData')}</p> : props.children}
      <figcaption className="field-hint">{caption}</figcaption>
      <details className="harm-chart-data">
        <summary>{t('harm.chartTable')}</summary>
        <table className="data-table harm-table" data-testid={`harm-table-${id}`}>
          <thead>
            <tr>
              <th>{t('harm.group')}</th>
              <th className="num">{t('harm.incidents')}</th>
              {measures.map((m) => (
                <th key={m} className="num">
                  {t(m === 'killed' ? 'harm.killedRange' : 'harm.injuredRange')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key} data-key={g.key}>
                <td>{keyLabel(g.key)}</td>
                <td className="num" data-cell="incidents">
                  {formatNumber(g.incidents)}
                </td>
                {measures.map((m) => (
                  <td key={m} className="num" data-cell={m}>
                    {`${formatNumber(g[m].best)} (${formatNumber(g[m].low)}–${formatNumber(g[m].high)})`}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
