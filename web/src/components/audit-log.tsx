// The audit trail for administrators: the hash chain's verification, filters, and a paged table
// of events (who did what to which record, when). Filtering and paging happen on the server.
import { Fragment, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useSettings } from '../app-context.js';
import type { AuditEvent, AuditVerify, Page } from '../contract.js';
import { formatDtg, formatIsoMinute } from '../format.js';
import { t } from '../i18n.js';
import { useApi } from '../use-api.js';
import { ProblemCard } from './problem-notice.js';

/** Events per page. */
const pageSize = 50;

interface Filters {
  actor: string;
  action: string;
  recordType: string;
  recordId: string;
  from: string;
  to: string;
}

const noFilters: Filters = {
  actor: '',
  action: '',
  recordType: '',
  recordId: '',
  from: '',
  to: '',
};

/** Record types the server audits today, offered as suggestions (any text is accepted). */
const knownRecordTypes = ['area', 'factor', 'user', 'audit'];

/**
 * `data-testid="audit-table"`, with the chain status in `audit-verify-status`.
 *
 * @example <AuditLog userNames={new Map([[id, 'jdoe']])} />
 */
export function AuditLog({ userNames }: { userNames: ReadonlyMap<string, string> }) {
  const { notation } = useSettings();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const formId = useId();
  const typesId = useId();

  const verify = useApi<AuditVerify>('/api/audit/verify', undefined, false);
  const events = useApi<Page<AuditEvent>>(
    '/api/audit',
    {
      actor: applied.actor.trim() || undefined,
      action: applied.action.trim() || undefined,
      recordType: applied.recordType.trim() || undefined,
      recordId: applied.recordId.trim() || undefined,
      from: applied.from ? `${applied.from}T00:00:00.000Z` : undefined,
      to: applied.to ? `${applied.to}T23:59:59.999Z` : undefined,
      limit: pageSize,
      offset,
    },
    false,
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setOffset(0);
    setOpen(null);
  };
  const clear = () => {
    setDraft(noFilters);
    setApplied(noFilters);
    setOffset(0);
    setOpen(null);
  };
  const time = (iso: string) => (notation === 'military' ? formatDtg(iso) : formatIsoMinute(iso));
  const page = events.data;
  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + (page?.items.length ?? 0), total);
  const field = (name: keyof Filters, label: string, type = 'text', list?: string) => (
    <div className="field field-inline">
      <label htmlFor={`${formId}-${name}`}>{label}</label>
      <input
        id={`${formId}-${name}`}
        className="input input-small"
        type={type}
        list={list}
        value={draft[name]}
        maxLength={100}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
        data-testid={`audit-filter-${name}`}
      />
    </div>
  );

  return (
    <section className="admin-section" aria-labelledby={`${formId}-title`}>
      <header className="admin-section-header">
        <h2 id={`${formId}-title`}>{t('audit.title')}</h2>
        <VerifyStatus
          verify={verify.data}
          loading={verify.loading}
          failed={verify.problem !== null}
        />
        <button
          type="button"
          className="button button-small"
          onClick={verify.reload}
          disabled={verify.loading}
          data-testid="audit-verify-again"
        >
          {t('audit.verifyAgain')}
        </button>
      </header>
      {verify.problem ? <ProblemCard problem={verify.problem} /> : null}

      <form className="audit-filters" onSubmit={apply} data-testid="audit-filters">
        {field('actor', t('audit.actor'))}
        {field('action', t('audit.action'))}
        {field('recordType', t('audit.recordType'), 'text', typesId)}
        {field('recordId', t('audit.recordId'))}
        {field('from', t('audit.from'), 'date')}
        {field('to', t('audit.to'), 'date')}
        <datalist id={typesId}>
          {knownRecordTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <div className="audit-filter-actions">
          <button type="submit" className="button button-small" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button type="button" className="button button-small" onClick={clear}>
            {t('audit.clear')}
          </button>
        </div>
      </form>

      {events.problem ? <ProblemCard problem={events.problem} /> : null}
      <div className="admin-table-scroll">
        <table className="admin-table" aria-label={t('audit.title')} data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('audit.seq')}
              </th>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.recordType')}</th>
              <th scope="col">{t('audit.recordId')}</th>
              <th scope="col">
                <span className="sr-only">{t('audit.more')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page === null ? (
              <tr>
                <td colSpan={7} className="table-empty">
                  {events.problem ? t('table.noValue') : t('table.loading')}
                </td>
              </tr>
            ) : page.items.length === 0 ? (
              <tr>
                <td colSpan={7} className="table-empty">
                  {t('audit.none')}
                </td>
              </tr>
            ) : (
              page.items.map((event) => {
                const expanded = open === event.seq;
                const name = userNames.get(event.actor);
                return (
                  <Fragment key={event.seq}>
                    <tr data-seq={event.seq} className={expanded ? 'is-selected' : undefined}>
                      <td className="num mono">{event.seq}</td>
                      <td className="mono" title={event.at}>
                        {time(event.at)}
                      </td>
                      <td title={event.actor}>{name ?? event.actor}</td>
                      <td className="mono">{event.action}</td>
                      <td>{event.recordType}</td>
                      <td className="mono cell-clip" title={event.recordId}>
                        {event.recordId}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={expanded}
                          onClick={() => setOpen(expanded ? null : event.seq)}
                          data-testid="audit-expand"
                        >
                          {expanded ? t('audit.less') : t('audit.more')}
                        </button>
                      </td>
                    </tr>
                    {expanded ? (
                      <tr className="audit-detail-row">
                        <td colSpan={7}>
                          <dl className="audit-detail">
                            <dt>{t('audit.at')}</dt>
                            <dd className="mono">{event.at}</dd>
                            <dt>{t('audit.actorId')}</dt>
                            <dd className="mono">{event.actor}</dd>
                            <dt>{t('audit.detail')}</dt>
                            <dd>
                              <pre className="mono">{JSON.stringify(event.detail, null, 2)}</pre>
                            </dd>
                            <dt>{t('audit.before')}</dt>
                            <dd className="mono">{event.beforeDigest ?? t('table.noValue')}</dd>
                            <dt>{t('audit.after')}</dt>
                            <dd className="mono">{event.afterDigest ?? t('table.noValue')}</dd>
                            <dt>{t('audit.hash')}</dt>
                            <dd className="mono">{event.hash}</dd>
                          </dl>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <span className="table-count" aria-live="polite" data-testid="audit-range">
          {page ? t('audit.range', { first, last, total }) : null}
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={offset === 0 || events.loading}
          onClick={() => {
            setOffset(Math.max(0, offset - pageSize));
            setOpen(null);
          }}
          data-testid="audit-prev"
        >
          {t('audit.previous')}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={offset + pageSize >= total || events.loading}
          onClick={() => {
            setOffset(offset + pageSize);
            setOpen(null);
          }}
          data-testid="audit-next"
        >
          {t('audit.next')}
        </button>
      </div>
    </section>
  );
}

function VerifyStatus({
  verify,
  loading,
  failed,
}: {
  verify: AuditVerify | null;
  loading: boolean;
  failed: boolean;
}) {
  const state = loading ? 'checking' : failed || !verify ? 'unknown' : verify.ok ? 'ok' : 'broken';
  const text =
    state === 'checking'
      ? t('audit.verifying')
      : state === 'unknown'
        ? t('audit.verifyFailed')
        : verify && verify.ok
          ? t('audit.intact', { count: verify.count })
          : verify?.broken
            ? t('audit.broken', { seq: verify.broken.seq, reason: verify.broken.reason })
            : t('audit.brokenSomewhere');
  return (
    <p
      className={`verify-status is-${state}`}
      role="status"
      title={verify?.headHash ? t('audit.headHash', { hash: verify.headHash }) : undefined}
      data-testid="audit-verify-status"
      data-state={state}
    >
      <span className="dot" aria-hidden="true" />
      {text}
      {verify?.ok && !loading ? (
        <span className="verify-head mono">{verify.headHash.slice(0, 12)}</span>
      ) : null}
    </p>
  );
}
