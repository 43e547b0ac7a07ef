// Administration: the audit trail (with the verification of its hash chain) and user accounts.
// Shown in the navigation only to roles that may read the audit trail; the server checks again.
import { useMemo } from 'react';
import { AuditLog } from '../components/audit-log.js';
import { UserAccounts } from '../components/user-accounts.js';
import type { Me, Page, UserAccount } from '../contract.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { useApi } from '../use-api.js';

/** The Admin page (`/admin`, `data-testid="page-admin"`). */
export function AdminPage({ me }: { me: Me }) {
  const mayReadUsers = can(me, 'user', 'read');
  const users = useApi<Page<UserAccount>>(
    mayReadUsers ? '/api/users' : null,
    { limit: 500, offset: 0 },
    false,
  );
  // Audit events name actors by id; show user names where we know them.
  const userNames = useMemo(
    () => new Map((users.data?.items ?? []).map((u) => [u.id, u.username])),
    [users.data],
  );

  return (
    <section className="page page-admin" data-testid="page-admin" aria-labelledby="admin-title">
      <header className="page-header">
        <h1 id="admin-title">
          {t('admin.title')}
          <span className="page-subtitle">{t('admin.subtitle')}</span>
        </h1>
      </header>
      {can(me, 'audit', 'read') ? <AuditLog userNames={userNames} /> : null}
      {mayReadUsers ? <UserAccounts me={me} users={users} /> : null}
    </section>
  );
}
