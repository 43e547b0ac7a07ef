// Shows the problems (RFC 9457) the API client reported: title, detail, status, code and the
// per-field errors, each dismissible. Announced to screen readers as an alert.
import { useSyncExternalStore } from 'react';
import { currentProblems, dismissProblem, subscribeProblems } from '../api.js';
import type { Problem } from '../contract.js';
import { t } from '../i18n.js';

/**
 * The stack of problems on screen (`data-testid="problem-notice"`).
 *
 * @example <ProblemNotice />
 */
export function ProblemNotice() {
  const problems = useSyncExternalStore(subscribeProblems, currentProblems);
  if (problems.length === 0) return null;
  return (
    <section
      className="problem-notice"
      aria-label={t('problem.heading')}
      data-testid="problem-notice"
    >
      {problems.map(({ id, problem }) => (
        <ProblemCard key={id} problem={problem} onDismiss={() => dismissProblem(id)} />
      ))}
    </section>
  );
}

/**
 * One problem, also usable inline (e.g. in a panel that failed to load).
 *
 * @example <ProblemCard problem={toProblem(error)} />
 */
export function ProblemCard({ problem, onDismiss }: { problem: Problem; onDismiss?: () => void }) {
  return (
    <div className="problem-card" role="alert" data-testid="problem-card">
      <div className="problem-head">
        <strong className="problem-title">{problem.title}</strong>
        {problem.status > 0 ? (
          <span className="problem-meta">
            {t('problem.status', { status: String(problem.status) })}
          </span>
        ) : null}
        {problem.code ? (
          <span className="problem-meta mono">{t('problem.code', { code: problem.code })}</span>
        ) : null}
        {onDismiss ? (
          <button type="button" className="button button-small problem-dismiss" onClick={onDismiss}>
            {t('problem.dismiss')}
          </button>
        ) : null}
      </div>
      {problem.detail ? <p className="problem-detail">{problem.detail}</p> : null}
      {problem.errors && problem.errors.length > 0 ? (
        <ul className="problem-errors">
          {problem.errors.map((e, index) => (
            <li key={`${e.path}-${index}`}>
              <code>{e.path}</code>
              <span>{e.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {problem.instance ? <p className="problem-instance mono">{problem.instance}</p> : null}
    </div>
  );
}
