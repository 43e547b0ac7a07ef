// An honest placeholder for a capability that is not built yet: what it will do, and no fake data.
import type { MessageKey } from '../i18n.js';
import { t } from '../i18n.js';
import { Link } from './link.js';

export interface ComingPanelProps {
  id: string;
  title: MessageKey;
  subtitle: MessageKey;
  points: MessageKey[];
  /** Query string to keep (the selected area) on the link back to Understand. */
  search: string;
}

/**
 * @example <ComingPanel id="protect" title="protect.title" subtitle="protect.subtitle"
 *   points={['protect.point1']} search="" />
 */
export function ComingPanel({ id, title, subtitle, points, search }: ComingPanelProps) {
  return (
    <section
      className="page page-coming"
      data-testid={`page-${id}`}
      aria-labelledby={`${id}-title`}
    >
      <header className="page-header">
        <h1 id={`${id}-title`}>
          {t(title)}
          <span className="page-subtitle">{t(subtitle)}</span>
        </h1>
        <span className="coming-badge">{t('coming.badge')}</span>
      </header>
      <div className="coming-panel" data-testid="coming-panel">
        <p className="coming-notice">{t('coming.notice')}</p>
        <h2>{t('coming.heading')}</h2>
        <ul className="coming-points">
          {points.map((point) => (
            <li key={point}>{t(point)}</li>
          ))}
        </ul>
        <p className="coming-meanwhile">{t('coming.meanwhile')}</p>
        <Link to={`/understand${search}`} className="button" data-testid="coming-go-understand">
          {t('coming.goUnderstand')}
        </Link>
      </div>
    </section>
  );
}
