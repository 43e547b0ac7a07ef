// The map's layer panel: one switch per data layer plus the country borders, with a legend under
// the layers whose symbols need one (protected objects by category, the changes of a release).
import { useId, useState } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { ObjectCategoryCode } from '../contract.js';
import { t } from '../i18n.js';
import { codeEntries } from '../taxonomy-labels.js';
import type { MapOverlay } from './map-view.js';
import { ObjectSymbol } from './object-symbols.js';

export interface LayerPanelProps {
  overlays: MapOverlay[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
  /** Id used for the basemap's country borders. */
  basemapId: string;
}

/**
 * A collapsible panel over the map with a checkbox per layer (`data-testid="layer-toggle-<id>"`).
 *
 * @example <LayerPanel overlays={overlays} hidden={hidden} onToggle={toggle} basemapId="borders" />
 */
export function LayerPanel({ overlays, hidden, onToggle, basemapId }: LayerPanelProps) {
  // Open on desktop; on a phone-sized screen it would hide most of the map.
  const [open, setOpen] = useState(() => window.matchMedia?.('(min-width: 901px)').matches ?? true);
  const listId = useId();
  const rows = [
    ...[...overlays].reverse().map((o) => ({ id: o.id, label: o.label, kind: o.kind })),
    { id: basemapId, label: t('layers.basemap'), kind: 'basemap' as const },
  ];
  return (
    <section className="layer-panel" data-testid="layer-panel" aria-label={t('layers.title')}>
      <button
        type="button"
        className="layer-panel-header"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
        title={t('layers.toggle')}
      >
        <span className="chevron" aria-hidden="true" data-open={open} />
        {t('layers.title')}
      </button>
      {open ? (
        <ul id={listId} className="layer-list">
          {rows.map((row) => (
            <li key={row.id}>
              <label className="layer-row">
                <input
                  type="checkbox"
                  checked={!hidden.has(row.id)}
                  onChange={() => onToggle(row.id)}
                  data-testid={`layer-toggle-${row.id}`}
                />
                <span className={`swatch swatch-${row.kind}`} aria-hidden="true" />
                <span>{row.label}</span>
              </label>
              {row.kind === 'objects' && !hidden.has(row.id) ? <CategoryLegend /> : null}
              {row.kind === 'diff' && !hidden.has(row.id) ? <DiffLegend /> : null}
              {row.kind === 'aimpoints' && !hidden.has(row.id) ? <RingLegend /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The symbol of each protected-object category. */
function CategoryLegend() {
  const taxonomies = useTaxonomies();
  return (
    <ul className="map-legend" data-testid="legend-objects" aria-label={t('layers.legend')}>
      {codeEntries(taxonomies, 'objectCategory').map((entry) => (
        <li key={entry.code}>
          <ObjectSymbol category={entry.code as ObjectCategoryCode} size={14} />
          <span>{entry.label}</span>
        </li>
      ))}
    </ul>
  );
}

/** The colours of the changes of a release. */
function DiffLegend() {
  const changes = ['added', 'removed', 'moved', 'changed', 'same'] as const;
  return (
    <ul className="map-legend" data-testid="legend-diff" aria-label={t('layers.legend')}>
      {changes.map((change) => (
        <li key={change}>
          <span className={`diff-dot diff-${change}`} aria-hidden="true" />
          <span>{t(`diff.${change}`)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The colours of screening rings. */
function RingLegend() {
  const states = ['flagged', 'clear', 'draft'] as const;
  return (
    <ul className="map-legend" data-testid="legend-aimpoints" aria-label={t('layers.legend')}>
      {states.map((state) => (
        <li key={state}>
          <span className={`ring-dot ring-${state}`} aria-hidden="true" />
          <span>{t(`ring.${state}`)}</span>
        </li>
      ))}
    </ul>
  );
}
