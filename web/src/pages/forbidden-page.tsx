// A page the signed-in user's role does not open. It says so plainly; the server refuses the data
// anyway (403), this only spares the user a page of errors.
import { t } from '../i18n.js';

/** The page for a path the user may not open (`data-testid="page-forbidden"`). */
export function ForbiddenPage({ path }: { path: string }) {
  return (
    <section className="page page-coming" data-testid="page-forbidden">
      <header className="page-header">
        <h1>{t('forbidden.title')}</h1>
      </header>
      <div className="coming-panel">
        <p>{t('forbidden.body', { path })}</p>
      </div>
    </section>
  );
}
