// User accounts for administrators: who has which role, clearance, releasability and
// compartments, and a button to disable or enable each account. Disabling ends the user's
// sessions at once (on the server).
import { useId, useState } from 'react';
import { useSettings, useTaxonomies } from '../app-context.js';
import { apiSend, showProblem, toProblem } from '../api.js';
import type { Me, Page, UserAccount } from '../contract.js';
import { formatDtg, formatIsoMinute } from '../format.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import type { Resource } from '../use-api.js';
import { ProblemCard } from './problem-notice.js';

/**
 * `data-testid="users-table"`; each row's button is `user-toggle-<username>`.
 *
 * @example <UserAccounts me={me} users={useApi('/api/users', { limit: 500 })} />
 */
export function UserAccounts({ me, users }: { me: Me; users: Resource<Page<UserAccount>> }) {
  const taxonomies = useTaxonomies();
  const { notation } = useSettings();
  const [pending, setPending] = useState<string | null>(null);
  const titleId = useId();
  const mayUpdate = can(me, 'user', 'update');

  const toggle = async (user: UserAccount) => {
    setPending(user.id);
    try {
      await apiSend('PATCH', `/api/users/${encodeURIComponent(user.id)}`, {
        disabled: !user.disabled,
      });
      users.reload();
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setPending(null);
    }
  };

  const rows = users.data?.items ?? null;
  return (
    <section className="admin-section" aria-labelledby={titleId}>
      <header className="admin-section-header">
        <h2 id={titleId}>{t('users.title')}</h2>
        {users.data ? (
          <span className="table-count">{t('users.count', { count: users.data.total })}</span>
        ) : null}
      </header>
      {users.problem ? <ProblemCard problem={users.problem} /> : null}
      <div className="admin-table-scroll">
        <table className="admin-table" aria-label={t('users.title')} data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('users.username')}</th>
              <th scope="col">{t('users.fullName')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.clearance')}</th>
              <th scope="col">{t('users.organisations')}</th>
              <th scope="col">{t('users.compartments')}</th>
              <th scope="col">{t('users.created')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col">
                <span className="sr-only">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows === null ? (
              <tr>
                <td colSpan={9} className="table-empty">
                  {users.problem ? t('table.noValue') : t('table.loading')}
                </td>
              </tr>
            ) : rows.length === 0 ? (
              <tr>
                <td colSpan={9} className="table-empty">
                  {t('table.none')}
                </td>
              </tr>
            ) : (
              rows.map((user) => {
                const self = user.id === me.id;
                return (
                  <tr
                    key={user.id}
                    data-user={user.username}
                    className={user.disabled ? 'is-disabled' : undefined}
                  >
                    <td className="mono">
                      {user.username}
                      {user.demo ? <span className="demo-tag">{t('users.demo')}</span> : null}
                    </td>
                    <td>{user.fullName}</td>
                    <td>{codeLabel(taxonomies, 'role', user.role)}</td>
                    <td
                      className="mono"
                      title={codeLabel(taxonomies, 'classification', user.clearance)}
                    >
                      {user.clearance}
                    </td>
                    <td>{user.organisations.join(', ') || t('table.noValue')}</td>
                    <td>
                      {user.compartments.length === 0
                        ? t('table.noValue')
                        : user.compartments.map((c) => (
                            <span key={c} className="compartment-tag">
                              {c}
                            </span>
                          ))}
                    </td>
                    <td className="mono" title={user.createdAt}>
                      {notation === 'military'
                        ? formatDtg(user.createdAt)
                        : formatIsoMinute(user.createdAt)}
                    </td>
                    <td>
                      <span
                        className={`status-tag ${user.disabled ? 'is-off' : 'is-on'}`}
                        data-testid="user-status"
                      >
                        {user.disabled ? t('users.disabled') : t('users.active')}
                      </span>
                    </td>
                    <td>
                      {mayUpdate ? (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={self || pending === user.id}
                          title={self ? t('users.notSelf') : undefined}
                          aria-label={
                            user.disabled
                              ? t('users.enableUser', { user: user.username })
                              : t('users.disableUser', { user: user.username })
                          }
                          onClick={() => void toggle(user)}
                          data-testid={`user-toggle-${user.username}`}
                        >
                          {user.disabled ? t('users.enable') : t('users.disable')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
