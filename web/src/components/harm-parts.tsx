// Small pieces the Track views share: a button that asks for a second press before it acts, a
// report's summary as the workbench and the incident page show it, and an estimate cell.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useSettings, useTaxonomies } from '../app-context.js';
import type { HarmReport } from '../contract.js';
import { formatDtg, formatIsoMinute, formatMgrs } from '../format.js';
import { estimateText } from '../harm-view.js';
import { t } from '../i18n.js';
import { codeLabel } from '../taxonomy-labels.js';
import { MarkingChip } from './marking-chip.js';

/** How long a first press waits for the second. */
const confirmMs = 6000;

/**
 * A button that acts on its second press: the first turns it into "Confirm: …" for a few seconds.
 *
 * @example <ConfirmButton label="Accept" confirmLabel="Confirm: merge the two incidents" onConfirm={accept} testId="accept" />
 */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  testId,
  disabled,
  danger,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  testId: string;
  disabled?: boolean;
  danger?: boolean;
}) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = window.setTimeout(() => setArmed(false), confirmMs);
    return () => window.clearTimeout(timer);
  }, [armed]);
  return (
    <button
      type="button"
      className={`button button-small${armed || danger ? ' button-danger' : ''}`}
      disabled={disabled}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        onConfirm();
      }}
      data-testid={testId}
      data-armed={armed ? 'true' : 'false'}
      aria-live="polite"
    >
      {armed ? confirmLabel : label}
    </button>
  );
}

/** A time as the user's notation reads it. */
export function useTimeFormat(): (iso: string) => string {
  const { notation } = useSettings();
  return (iso: string) => (notation === 'military' ? formatDtg(iso) : formatIsoMinute(iso));
}

/** A labelled value in a definition list. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="harm-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * A report's summary: source, reliability, receipt, place with its precision, dates, figures,
 * cause and the releasable narrative (`data-testid="harm-report-summary"`). Confidential fields
 * are never part of it.
 */
export function ReportSummary({ report, children }: { report: HarmReport; children?: ReactNode }) {
  const taxonomies = useTaxonomies();
  const { notation } = useSettings();
  const time = useTimeFormat();
  const { location, date } = report;
  const mgrs = formatMgrs(location.lon, location.lat);
  const where =
    notation === 'military' && mgrs
      ? mgrs
      : `${location.lat.toFixed(4)}, ${location.lon.toFixed(4)}`;
  return (
    <article className="harm-report-summary" data-testid="harm-report-summary" data-id={report.id}>
      <header className="harm-report-head">
        <strong>{report.sourceName}</strong>
        <span className="muted">
          {codeLabel(taxonomies, 'harmSourceType', report.sourceType)} ·{' '}
          {t('harm.reliabilityShort', { code: report.reliability })}
        </span>
        <MarkingChip marking={report.marking} exercise={false} compact />
      </header>
      <dl className="harm-facts">
        <Fact label={t('harm.receivedAt')}>{time(report.receivedAt)}</Fact>
        <Fact label={t('harm.where')}>
          <span className="mono">{where}</span>{' '}
          <span className="muted">
            {codeLabel(taxonomies, 'locationPrecision', location.precision)}
            {location.adminName || location.adminCode
              ? ` · ${[location.adminCode, location.adminName].filter(Boolean).join(' ')}`
              : ''}
            {location.place ? ` · ${location.place}` : ''}
          </span>
        </Fact>
        <Fact label={t('harm.when')}>
          {date.start === date.end ? date.start : `${date.start} – ${date.end}`}{' '}
          <span className="muted">{codeLabel(taxonomies, 'datePrecision', date.precision)}</span>
        </Fact>
        <Fact label={t('harm.killed')}>
          <span data-testid="harm-summary-killed">{estimateText(report.killed)}</span>
        </Fact>
        <Fact label={t('harm.injured')}>{estimateText(report.injured)}</Fact>
        <Fact label={t('harm.cause')}>
          {codeLabel(taxonomies, 'harmCause', report.cause)} ·{' '}
          {codeLabel(taxonomies, 'harmParty', report.suspectedParty)}
        </Fact>
      </dl>
      {report.narrative.releasable ? (
        <p className="harm-narrative">
          <span className="harm-releasable-tag">{t('harm.releasableTag')}</span>
          {report.narrative.releasable}
        </p>
      ) : null}
      {report.warnings.length > 0 ? (
        <ul className="harm-warnings">
          {report.warnings.map((w) => (
            <li key={`${w.code}-${w.path}`}>{w.message}</li>
          ))}
        </ul>
      ) : null}
      {children}
    </article>
  );
}
