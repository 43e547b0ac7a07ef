// One saved screening: who ran it, when, against which release, its digest and marking; the flag
// sheet as a table (one row per aimpoint: its flags as words, the objects inside its radius with
// their list, restriction and distance, the objects withheld from this reader, the people
// likely exposed); choosing a row shows its ring on the map. The flag sheet downloads as CSV or
// PDF, each carrying the marking.
import { useMemo } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { Me, Problem, Screening } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { useWhen } from '../people.js';
import { flagLabelKey, isFlagged, spacedMgrs } from '../screening-view.js';
import type { FlagCode, ScreenedAimpoint } from '../screening-view.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { DataTable } from './data-table.js';
import type { Column } from './data-table.js';
import { MarkingChip } from './marking-chip.js';
import { ObjectSymbol } from './object-symbols.js';
import { ProblemCard } from './problem-notice.js';

export interface ScreeningResultProps {
  me: Me;
  screening: Screening | null;
  problem: Problem | null;
  selectedId: string | null;
  onSelect: (aimpoint: ScreenedAimpoint) => void;
}

/**
 * @example <ScreeningResult me={me} screening={s} problem={null} selectedId={id} onSelect={pick} />
 */
export function ScreeningResult({
  me,
  screening,
  problem,
  selectedId,
  onSelect,
}: ScreeningResultProps) {
  const taxonomies = useTaxonomies();
  const when = useWhen();

  const columns = useMemo<Column<ScreenedAimpoint>[]>(
    () => [
      {
        id: 'aimpoint',
        header: t('flagSheet.aimpoint'),
        className: 'cell-aimpoint',
        hint: t('flagSheet.aimpointHint'),
        // The MGRS is searchable too; the id sorts.
        value: (a) => `${a.id} ${a.label ?? ''} ${mgrsOf(a)}`,
        render: (a) => (
          <span className="aimpoint-cell" title={t('flagSheet.input', { input: a.input })}>
            <span
              className={`ring-dot ring-${isFlagged(a) ? 'flagged' : 'clear'}`}
              aria-hidden="true"
            />
            <span className="aimpoint-text">
              <span className="mono aimpoint-id">{a.id}</span>
              {a.label ? <span className="muted">{a.label}</span> : null}
              <span className="mono aimpoint-mgrs" data-testid="aimpoint-mgrs">
                {mgrsOf(a)}
              </span>
            </span>
          </span>
        ),
      },
      {
        id: 'flags',
        header: t('flagSheet.flags'),
        className: 'cell-wrap',
        value: (a) => a.flags.map((f) => t(flagLabelKey(f))).join(', '),
        render: (a) => <FlagChips flags={a.flags} />,
      },
      {
        id: 'hits',
        header: t('flagSheet.hits'),
        className: 'cell-wrap cell-hits',
        value: (a) => a.hits.map((h) => h.name).join(', '),
        render: (a) =>
          a.hits.length === 0 ? (
            t('table.noValue')
          ) : (
            <ul className="hit-list">
              {a.hits.map((h) => (
                <li key={h.object_id} data-object-id={h.object_id}>
                  <ObjectSymbol category={h.category} size={13} />
                  <span className="hit-name">{h.name}</span>
                  <span className="muted">
                    {codeLabel(taxonomies, 'objectCategory', h.category)}
                  </span>
                  {h.list ? <span className={`list-tag list-${h.list}`}>{h.list}</span> : null}
                  <span
                    className="hit-distance"
                    title={t('flagSheet.distanceHint', { buffer: h.buffer_m })}
                  >
                    {t('flagSheet.distance', { metres: Math.round(h.distance_m) })}
                  </span>
                  {h.restriction ? (
                    <span className="hit-restriction">
                      {t('flagSheet.restriction', { text: h.restriction })}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ),
      },
      {
        id: 'radius',
        header: t('flagSheet.radius'),
        hint: t('flagSheet.radiusHint'),
        value: (a) => a.radius_m,
        numeric: true,
        render: (a) => (
          <span title={a.effect_class ?? undefined}>
            {formatNumber(a.radius_m)}
            {a.effect_class ? <span className="muted">{` ${a.effect_class}`}</span> : null}
          </span>
        ),
      },
      {
        id: 'withheld',
        header: t('flagSheet.withheld'),
        hint: t('flagSheet.withheldHint'),
        value: (a) => a.withheld_hits,
        numeric: true,
      },
      {
        id: 'population',
        header: t('flagSheet.population'),
        hint: t('flagSheet.populationHint'),
        value: (a) => a.population?.best ?? null,
        numeric: true,
      },
    ],
    [taxonomies],
  );

  if (problem) return <ProblemCard problem={problem} />;
  if (!screening) return <p className="muted panel-note">{t('app.loading')}</p>;

  const base = `/api/screenings/${encodeURIComponent(screening.id)}/flag-sheet`;
  return (
    <div
      className="screening-result"
      data-testid="screening-result"
      data-screening-id={screening.id}
    >
      <header className="screening-head">
        <h2 className="screening-title" data-testid="screening-title-shown">
          {screening.title}
        </h2>
        <MarkingChip marking={screening.marking} exercise={false} />
      </header>
      <dl className="release-facts screening-facts">
        <div>
          <dt>{t('screening.against')}</dt>
          <dd>
            {screening.release
              ? t('screening.releaseNumber', { number: screening.release.number })
              : t('screening.currentRegister')}
          </dd>
        </div>
        <div>
          <dt>{t('screening.by')}</dt>
          <dd>
            {screening.created_by.id === me.id
              ? t('people.you', { name: me.username })
              : screening.created_by.username}
            {' · '}
            {when(screening.created_at)}
          </dd>
        </div>
        <div>
          <dt>{t('screening.flagged')}</dt>
          <dd data-testid="screening-flagged">
            {t('screening.flaggedOf', {
              flagged: screening.flagged_count,
              count: screening.aimpoint_count,
            })}
          </dd>
        </div>
        <div>
          <dt title={t('screening.digestHint')}>{t('screening.digest')}</dt>
          <dd className="mono" title={screening.result_digest}>
            {screening.result_digest.slice(0, 12)}…
          </dd>
        </div>
      </dl>
      <div className="register-toolbar screening-toolbar">
        {can(me, 'screening', 'export') ? (
          <span className="export-links">
            <span className="export-label">{t('flagSheet.download')}</span>
            <a
              className="button button-small"
              href={`${base}.csv`}
              download
              data-testid="flag-sheet-csv"
              title={t('flagSheet.csvHint')}
            >
              {t('export.csv')}
            </a>
            <a
              className="button button-small"
              href={`${base}.pdf`}
              download
              data-testid="flag-sheet-pdf"
              title={t('flagSheet.pdfHint')}
            >
              {t('flagSheet.pdf')}
            </a>
          </span>
        ) : null}
        <span className="form-note">{t('screening.notCde')}</span>
      </div>
      <DataTable<ScreenedAimpoint>
        key={screening.id}
        label={t('flagSheet.table')}
        testId="flag-sheet"
        rows={screening.aimpoints}
        columns={columns}
        rowId={(a) => a.id}
        selectedId={selectedId}
        onSelect={onSelect}
        initialSort={{ column: 'aimpoint', descending: false }}
        emptyText={t('flagSheet.empty')}
      />
    </div>
  );
}

/** Where an aimpoint is, in MGRS groups (or lat, lon where MGRS has no square, near the poles). */
function mgrsOf(a: ScreenedAimpoint): string {
  return a.mgrs ? spacedMgrs(a.mgrs) : `${a.lat.toFixed(5)}, ${a.lon.toFixed(5)}`;
}

/** An aimpoint's flags as short words, the serious ones marked. */
export function FlagChips({ flags }: { flags: readonly FlagCode[] }) {
  return (
    <span className="flag-chips">
      {flags.map((flag) => (
        <span
          key={flag}
          className={`flag-chip flag-${flag === 'NO_HITS' ? 'none' : flag === 'WITHHELD_INSIDE' ? 'withheld' : 'hit'}`}
          title={t(`${flagLabelKey(flag)}Hint` as Parameters<typeof t>[0])}
          data-flag={flag}
        >
          {t(flagLabelKey(flag))}
        </span>
      ))}
    </span>
  );
}
