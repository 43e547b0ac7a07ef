// The sign-in screen: shown whenever there is no session (first visit, expired, signed out). The
// marking banners stay, with the marking of an empty screen (nothing marked is shown here). The
// URL is left as it is, so signing in opens the page that was asked for.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { toProblem } from '../api.js';
import type { Problem } from '../contract.js';
import { MarkingBanner } from '../components/marking-banner.js';
import { t } from '../i18n.js';
import { signIn } from '../session.js';
import type { SessionState } from '../session.js';

export interface SignInPageProps {
  session: Extract<SessionState, { status: 'signed-out' }>;
}

/**
 * @example <SignInPage session={session} />
 */
export function SignInPage({ session }: SignInPageProps) {
  const [username, setUsername] = useState(session.last?.username ?? '');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(session.problem);
  const [missing, setMissing] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const userId = useId();
  const passwordId = useId();

  useEffect(() => {
    document.title = `${t('signIn.title')} · ${t('app.name')}`;
    (session.last ? passwordRef : userRef).current?.focus();
  }, [session.last]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (username.trim() === '' || password === '') {
      setMissing(true);
      setProblem(null);
      (username.trim() === '' ? userRef : passwordRef).current?.focus();
      return;
    }
    setMissing(false);
    setProblem(null);
    setPending(true);
    try {
      await signIn(username.trim(), password);
    } catch (error) {
      setProblem(toProblem(error));
      setPassword('');
      setPending(false);
      passwordRef.current?.focus();
    }
  };

  const error = missing ? t('signIn.missing') : problem ? (problem.detail ?? problem.title) : null;

  return (
    <div className="sign-in-app" data-testid="sign-in-page">
      <MarkingBanner position="top" fixed={[]} />
      <main className="sign-in-main" id="main">
        <div className="sign-in-card">
          <div className="sign-in-brand">
            <svg className="sign-in-mark" viewBox="0 0 32 32" aria-hidden="true">
              <path d="M16 4l10 4.5v7.5c0 6.5-4.4 10.8-10 13-5.6-2.2-10-6.5-10-13V8.5z" />
              <circle cx="16" cy="15" r="3.4" />
            </svg>
            <span className="sign-in-name">{t('app.name')}</span>
            <span className="sign-in-tagline">{t('app.tagline')}</span>
          </div>
          <h1 className="sign-in-title">{t('signIn.title')}</h1>
          {session.reason === 'expired' ? (
            <p className="sign-in-notice" data-testid="sign-in-expired">
              {t('signIn.expired')}
            </p>
          ) : session.reason === 'signed-out' && !problem ? (
            <p className="sign-in-notice" data-testid="sign-in-signed-out">
              {t('signIn.signedOut')}
            </p>
          ) : null}
          <form
            className="sign-in-form"
            onSubmit={(event) => void submit(event)}
            noValidate
            aria-describedby={error ? errorId : undefined}
            data-testid="sign-in-form"
          >
            <div className="field">
              <label htmlFor={userId}>{t('signIn.username')}</label>
              <input
                ref={userRef}
                id={userId}
                className="input"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                maxLength={63}
                value={username}
                onChange={(event) => setUsername(event.target.value)}
                aria-invalid={missing && username.trim() === '' ? true : undefined}
                data-testid="sign-in-username"
              />
            </div>
            <div className="field">
              <label htmlFor={passwordId}>{t('signIn.password')}</label>
              <input
                ref={passwordRef}
                id={passwordId}
                className="input"
                type="password"
                name="password"
                autoComplete="current-password"
                required
                maxLength={256}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                aria-invalid={missing && password === '' ? true : undefined}
                data-testid="sign-in-password"
              />
            </div>
            {error ? (
              <p className="sign-in-error" id={errorId} role="alert" data-testid="sign-in-error">
                {error}
              </p>
            ) : null}
            <button
              type="submit"
              className="button button-primary sign-in-submit"
              disabled={pending}
              data-testid="sign-in-submit"
            >
              {pending ? t('signIn.pending') : t('signIn.submit')}
            </button>
          </form>
          <p className="sign-in-demo" data-testid="sign-in-demo">
            {t('signIn.demo')}
          </p>
        </div>
        <p className="sign-in-footer">{t('signIn.monitored')}</p>
      </main>
      <MarkingBanner position="bottom" fixed={[]} />
    </div>
  );
}
