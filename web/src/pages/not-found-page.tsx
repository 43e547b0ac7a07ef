// Any path the app does not know.
import { Link } from '../components/link.js';
import { t } from '../i18n.js';

/** The page for an unknown path (`data-testid="page-not-found"`). */
export function NotFoundPage({ path, search }: { path: string; search: string }) {
  return (
    <section className="page page-coming" data-testid="page-not-found">
      <header className="page-header">
        <h1>{t('notFound.title')}</h1>
      </header>
      <div className="coming-panel">
        <p>{t('notFound.body', { path })}</p>
        <Link to={`/understand${search}`} className="button">
          {t('notFound.link')}
        </Link>
      </div>
    </section>
  );
}
