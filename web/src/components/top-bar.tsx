// The top bar: Civitas, the area of operations (a selector when there are several), the server's
// health, display settings (notation, theme) and the user slot.
import { useId } from 'react';
import type { Notation } from '../app-context.js';
import { useSettings } from '../app-context.js';
import type { AreaSummary, Health, Me } from '../contract.js';
import { t } from '../i18n.js';
import { UserSlot } from './user-slot.js';

export interface TopBarProps {
  areas: AreaSummary[] | null;
  area: AreaSummary | null;
  onAreaChange: (id: string) => void;
  health: Health | 'down' | null;
  onNotationChange: (notation: Notation) => void;
  onThemeChange: (dark: boolean) => void;
  /** The signed-in user, shown in the user slot. */
  me: Me;
}

/**
 * @example <TopBar areas={areas} area={area} onAreaChange={selectArea} health={health} ... />
 */
export function TopBar(props: TopBarProps) {
  const { areas, area, onAreaChange, health } = props;
  const { notation, theme } = useSettings();
  const areaId = useId();
  return (
    <header className="top-bar" data-testid="top-bar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M16 4l10 4.5v7.5c0 6.5-4.4 10.8-10 13-5.6-2.2-10-6.5-10-13V8.5z" />
          <circle cx="16" cy="15" r="3.4" />
        </svg>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>

      <div className="area-slot">
        <label className="area-label" htmlFor={areaId}>
          {t('topbar.area')}
        </label>
        {areas === null ? (
          <span id={areaId} className="area-name muted">
            {t('topbar.loadingAreas')}
          </span>
        ) : areas.length > 1 && area ? (
          <select
            id={areaId}
            className="area-select"
            value={area.id}
            onChange={(event) => onAreaChange(event.target.value)}
            data-testid="area-selector"
          >
            {areas.map((a) => (
              <option
                key={a.id}
                value={a.id}
                data-testid={a.id === area.id ? 'area-name' : undefined}
              >
                {a.name}
              </option>
            ))}
          </select>
        ) : (
          <span id={areaId} className="area-name" data-testid="area-name">
            {area ? area.name : t('topbar.noArea')}
          </span>
        )}
        {area?.exercise ? (
          <span
            className="exercise-tag"
            title={t('topbar.exerciseHint')}
            data-testid="exercise-tag"
          >
            {t('topbar.exerciseTag')}
          </span>
        ) : null}
      </div>

      <div className="top-bar-tools">
        <ServerStatus health={health} />
        <div className="segmented" role="group" aria-label={t('topbar.notation')}>
          {(['military', 'civil'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={notation === option}
              onClick={() => props.onNotationChange(option)}
              title={t(option === 'military' ? 'notation.militaryHint' : 'notation.civilHint')}
              data-testid={`notation-${option}`}
            >
              {t(option === 'military' ? 'notation.military' : 'notation.civil')}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button toggle"
          aria-pressed={theme === 'dark'}
          onClick={() => props.onThemeChange(theme !== 'dark')}
          title={t('topbar.darkThemeHint')}
          data-testid="theme-toggle"
        >
          <span className="toggle-light" aria-hidden="true" />
          {t('topbar.darkTheme')}
        </button>
        <UserSlot me={props.me} />
      </div>
    </header>
  );
}

function ServerStatus({ health }: { health: Health | 'down' | null }) {
  if (health === null) {
    return <span className="server-status muted">{t('server.checking')}</span>;
  }
  if (health === 'down') {
    return (
      <span
        className="server-status is-down"
        title={t('server.downHint')}
        data-testid="server-status"
      >
        <span className="dot" aria-hidden="true" />
        <span className="server-status-text">{t('server.down')}</span>
      </span>
    );
  }
  return (
    <span
      className="server-status is-ok"
      title={t('server.okHint', { database: health.database, time: health.time })}
      data-testid="server-status"
    >
      <span className="dot" aria-hidden="true" />
      <span className="server-status-text">
        {t('server.ok', { version: health.version, database: health.database })}
      </span>
    </span>
  );
}
