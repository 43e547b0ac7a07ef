// A selected feature's record, opened beside the map without leaving it: its kind, title, marking
// and fields, and any longer text below them; records that keep a history (who changed what,
// when) show it in a second tab. Links to other records arrive with the records that have them.
import { useId, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { Marking } from '../contract.js';
import { t } from '../i18n.js';
import { MarkingChip } from './marking-chip.js';

/** One field of a record. */
export interface RecordField {
  label: string;
  value: ReactNode;
  mono?: boolean;
}

export interface RecordPanelProps {
  kind: string;
  title: string;
  marking: Marking;
  exercise: boolean;
  /** What the marking chip says about the marking (default: inherited from the area). */
  markingTitle?: string;
  fields: RecordField[];
  /** Longer text under the fields (always rendered as text, never as HTML). */
  children?: ReactNode;
  onClose: () => void;
  /** Zooms the map to the record; no button when the record has no place on the map. */
  onZoom?: (() => void) | null;
  /** Buttons for the record (edit, take off a list...), under the marking. */
  actions?: ReactNode;
  /**
   * The record's history; when given, the panel has two tabs, Details and History, and the
   * history is rendered only while its tab is open (it may be loaded on demand).
   */
  history?: (() => ReactNode) | null;
}

/**
 * @example <RecordPanel kind="Place" title="Bangui" marking={m} exercise fields={[]} ... />
 */
export function RecordPanel(props: RecordPanelProps) {
  const [tab, setTab] = useState<'details' | 'history'>('details');
  const tabsId = useId();
  const hasHistory = Boolean(props.history);
  const shown = hasHistory ? tab : 'details';
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = tab === 'details' ? 'history' : 'details';
    setTab(next);
    document.getElementById(`${tabsId}-${next}`)?.focus();
  };
  const details = (
    <>
      <dl className="record-fields">
        {props.fields.map((field) => (
          <div key={field.label} className="record-field">
            <dt>{field.label}</dt>
            <dd className={field.mono ? 'mono' : undefined}>{field.value}</dd>
          </div>
        ))}
      </dl>
      {props.children}
    </>
  );
  return (
    <section className="record-panel" aria-label={t('record.label')} data-testid="record-panel">
      <header className="record-header">
        <div className="record-titles">
          <span className="record-kind">{props.kind}</span>
          <h2 className="record-title" data-testid="record-title">
            {props.title}
          </h2>
        </div>
        <div className="record-actions">
          {props.onZoom ? (
            <button type="button" className="button button-small" onClick={props.onZoom}>
              {t('record.zoomTo')}
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small button-icon"
            onClick={props.onClose}
            aria-label={t('record.close')}
            title={t('record.close')}
            data-testid="record-close"
          >
            <svg viewBox="0 0 12 12" aria-hidden="true">
              <path d="M2 2l8 8M10 2l-8 8" />
            </svg>
          </button>
        </div>
      </header>
      <div className="record-marking">
        <MarkingChip
          marking={props.marking}
          exercise={props.exercise}
          title={props.markingTitle ?? t('record.inherited')}
        />
      </div>
      {props.actions ? <div className="record-buttons">{props.actions}</div> : null}
      {hasHistory ? (
        <>
          <div className="record-tabs" role="tablist" aria-label={t('record.tabs')}>
            {(['details', 'history'] as const).map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`${tabsId}-${id}`}
                aria-selected={shown === id}
                aria-controls={`${tabsId}-${id}-panel`}
                tabIndex={shown === id ? 0 : -1}
                onClick={() => setTab(id)}
                onKeyDown={onTabKey}
                data-testid={`record-tab-${id}`}
              >
                {t(id === 'details' ? 'record.details' : 'record.history')}
              </button>
            ))}
          </div>
          <div
            role="tabpanel"
            id={`${tabsId}-${shown}-panel`}
            aria-labelledby={`${tabsId}-${shown}`}
            className="record-tab-panel"
          >
            {shown === 'history' && props.history ? props.history() : details}
          </div>
        </>
      ) : (
        details
      )}
    </section>
  );
}
