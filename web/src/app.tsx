// The app: the sign-in screen until there is a session, then the frame of every page — marking
// banners top and bottom, the top bar, the navigation by what people do, and the page for the URL
// path. When a session expires, the signed-in frame is kept (hidden) under the sign-in screen, so
// the same user signing in again finds their page and any unsaved draft as they left them.
import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { SettingsContext, TaxonomyContext } from './app-context.js';
import type { Notation, Settings, Theme } from './app-context.js';
import { apiGet } from './api.js';
import type { AreaSummary, Health, Me, Page, Taxonomies } from './contract.js';
import { MarkingBanner } from './components/marking-banner.js';
import { ProblemNotice } from './components/problem-notice.js';
import { SideNav, navAllowed, navItems } from './components/side-nav.js';
import { TopBar } from './components/top-bar.js';
import { t } from './i18n.js';
import { useScreenMarking } from './marking.js';
import { AdminPage } from './pages/admin-page.js';
import { ForbiddenPage } from './pages/forbidden-page.js';
import { LearnPage } from './pages/learn-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { PlanPage } from './pages/plan-page.js';
import { ProtectPage } from './pages/protect-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { TrackPage } from './pages/track-page.js';
import { UnderstandPage } from './pages/understand-page.js';
import { navigate, queryParam, setQueryParam, useLocation } from './router.js';
import { can, checkSession, useSession } from './session.js';
import { useApi } from './use-api.js';

/** How often the top bar re-checks the server's health. */
const healthEveryMs = 30_000;

/** The Civitas web app. */
export function App() {
  const [theme, setTheme] = useState<Theme>(() =>
    window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
  );
  const [notation, setNotation] = useState<Notation>('military');
  const settings = useMemo<Settings>(() => ({ theme, notation }), [theme, notation]);
  const session = useSession();

  // Before paint, and before child effects read the map colours from CSS.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    void checkSession();
  }, []);

  // Code lists are public: the sign-in screen's banners use their colours too.
  const taxonomies = useApi<Taxonomies>('/api/taxonomies');

  // The frame stays mounted (hidden) while its user's expired session is renewed.
  const shellUser =
    session.status === 'signed-in'
      ? session.me
      : session.status === 'signed-out' && session.reason === 'expired'
        ? session.last
        : null;

  return (
    <SettingsContext value={settings}>
      <TaxonomyContext value={taxonomies.data}>
        {shellUser ? (
          <Shell
            key={shellUser.id}
            me={shellUser}
            hidden={session.status !== 'signed-in'}
            onNotationChange={setNotation}
            onThemeChange={(dark) => setTheme(dark ? 'dark' : 'light')}
          />
        ) : null}
        {session.status === 'signed-out' ? <SignInPage session={session} /> : null}
        {session.status === 'checking' ? <SessionCheck /> : null}
      </TaxonomyContext>
    </SettingsContext>
  );
}

/** What shows for the moment the app asks the server who is signed in. */
function SessionCheck() {
  return (
    <div className="sign-in-app" data-testid="session-check">
      <MarkingBanner position="top" fixed={[]} />
      <main className="sign-in-main" id="main">
        <p className="muted">{t('app.loading')}</p>
      </main>
      <MarkingBanner position="bottom" fixed={[]} />
    </div>
  );
}

interface ShellProps {
  me: Me;
  hidden: boolean;
  onNotationChange: (notation: Notation) => void;
  onThemeChange: (dark: boolean) => void;
}

/** The signed-in frame. */
function Shell({ me, hidden, onNotationChange, onThemeChange }: ShellProps) {
  const location = useLocation();
  const mayReadAreas = can(me, 'area', 'read');
  const areas = useApi<Page<AreaSummary>>(mayReadAreas ? '/api/areas' : null, {
    limit: 100,
    offset: 0,
  });
  const health = useHealth();

  const wanted = queryParam(location, 'area');
  const items = areas.data?.items ?? null;
  const area = items?.find((a) => a.id === wanted) ?? items?.[0] ?? null;
  useScreenMarking(area ? { marking: area.marking, exercise: area.exercise } : null);

  // `/` opens the first page the user may use.
  const home = navItems.find((item) => navAllowed(me, item))?.path ?? '/understand';
  useEffect(() => {
    if (location.path === '/' || location.path === '') {
      navigate(`${home}${location.search}`, { replace: true });
    }
  }, [location, home]);

  const current = navItems.find((item) => isUnder(location.path, item.path));
  useEffect(() => {
    if (hidden) return;
    const page = current ? t(current.label) : t('notFound.title');
    document.title = area
      ? `${page} · ${area.name} · ${t('app.name')}`
      : `${page} · ${t('app.name')}`;
  }, [current, area, hidden]);

  const search = area ? `?area=${encodeURIComponent(area.id)}` : location.search;
  const areasLoaded = !mayReadAreas || items !== null || areas.problem !== null;

  return (
    <div className="app" data-testid="app" hidden={hidden}>
      <a className="skip-link" href="#main">
        {t('app.skipToMain')}
      </a>
      <MarkingBanner position="top" />
      <TopBar
        areas={mayReadAreas ? (items ?? (areas.problem ? [] : null)) : []}
        area={area}
        onAreaChange={(id) => setQueryParam('area', id, false)}
        health={health}
        onNotationChange={onNotationChange}
        onThemeChange={onThemeChange}
        me={me}
      />
      <div className="app-body">
        <SideNav me={me} currentPath={location.path} search={search} />
        <main id={hidden ? undefined : 'main'} className="app-main" tabIndex={-1}>
          {renderPage(me, location.path, search, area, areasLoaded)}
        </main>
      </div>
      <MarkingBanner position="bottom" />
      {hidden ? null : <ProblemNotice />}
    </div>
  );
}

function renderPage(
  me: Me,
  path: string,
  search: string,
  area: AreaSummary | null,
  areasLoaded: boolean,
) {
  const item = navItems.find(
    (i) => isUnder(path, i.path) || (i.id === 'understand' && path === ''),
  );
  if (item && !navAllowed(me, item)) return <ForbiddenPage path={path} />;
  if (isUnder(path, '/protect')) {
    return <ProtectPage me={me} path={path} search={search} area={area} />;
  }
  if (isUnder(path, '/plan')) {
    return <PlanPage me={me} path={path} search={search} area={area} />;
  }
  if (isUnder(path, '/track')) {
    return <TrackPage me={me} path={path} search={search} area={area} />;
  }
  switch (path) {
    case '/':
    case '':
    case '/understand':
      return <UnderstandPage me={me} area={area} areasLoaded={areasLoaded} />;
    case '/learn':
      return <LearnPage search={search} />;
    case '/admin':
      return <AdminPage me={me} />;
    default:
      return <NotFoundPage path={path} search={search} />;
  }
}

/** Whether a path is a page or one of its sub-pages (`/protect/releases` is under `/protect`). */
function isUnder(path: string, page: string): boolean {
  return path === page || path.startsWith(`${page}/`);
}

/** The server's health, checked now and every 30 s; 'down' when it does not answer. */
function useHealth(): Health | 'down' | null {
  const [health, setHealth] = useState<Health | 'down' | null>(null);
  useEffect(() => {
    let abort = new AbortController();
    const check = () => {
      abort.abort();
      abort = new AbortController();
      apiGet<Health>('/api/health', { signal: abort.signal }).then(
        (h) => setHealth(h),
        () => {
          if (!abort.signal.aborted) setHealth('down');
        },
      );
    };
    check();
    const timer = window.setInterval(check, healthEveryMs);
    return () => {
      window.clearInterval(timer);
      abort.abort();
    };
  }, []);
  return health;
}
