// The left navigation, by what people do: Understand, Protect, Plan, Track, Learn; and, under a
// separator, Admin for those who may read the audit trail. Items the user's role does not allow
// are not shown.
import type { ReactNode } from 'react';
import type { Me } from '../contract.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import type { MessageKey } from '../i18n.js';
import { Link } from './link.js';

/** A navigation entry: its path (also its `data-testid="nav-<id>"`) and its text. */
export interface NavItem {
  id: 'understand' | 'protect' | 'plan' | 'track' | 'learn' | 'admin';
  path: string;
  label: MessageKey;
  hint: MessageKey;
  icon: ReactNode;
  ready: boolean;
  /** The permission the page needs; shown to everyone when absent. */
  requires?: { recordType: string; action: string };
  /** Placed under the separator, apart from the work. */
  apart?: boolean;
}

const icon = (d: string) => (
  <svg className="nav-icon" viewBox="0 0 20 20" aria-hidden="true">
    <path d={d} />
  </svg>
);

/** The five capabilities, in the order of the work. */
export const navItems: NavItem[] = [
  {
    id: 'understand',
    path: '/understand',
    label: 'nav.understand',
    hint: 'nav.understandHint',
    icon: icon(
      'M10 2a8 8 0 100 16 8 8 0 000-16zM2 10h16M10 2c2.5 2.6 2.5 13.4 0 16M10 2c-2.5 2.6-2.5 13.4 0 16',
    ),
    ready: true,
    requires: { recordType: 'area', action: 'read' },
  },
  {
    id: 'protect',
    path: '/protect',
    label: 'nav.protect',
    hint: 'nav.protectHint',
    icon: icon('M10 2l7 3v5c0 4.4-3 7.1-7 8.5-4-1.4-7-4.1-7-8.5V5zM6.5 10l2.5 2.5 4.5-5'),
    ready: true,
    requires: { recordType: 'protected_object', action: 'read' },
  },
  {
    id: 'plan',
    path: '/plan',
    label: 'nav.plan',
    hint: 'nav.planHint',
    icon: icon(
      'M10 3a7 7 0 110 14 7 7 0 010-14zM10 6.5a3.5 3.5 0 110 7 3.5 3.5 0 010-7zM10 1v4M10 15v4M1 10h4M15 10h4',
    ),
    ready: true,
    requires: { recordType: 'screening', action: 'read' },
  },
  {
    id: 'track',
    path: '/track',
    label: 'nav.track',
    hint: 'nav.trackHint',
    icon: icon('M2 16h16M4 13l4-5 3 3 5-7M13 4h3v3'),
    ready: true,
    requires: { recordType: 'harm_incident', action: 'read' },
  },
  {
    id: 'learn',
    path: '/learn',
    label: 'nav.learn',
    hint: 'nav.learnHint',
    icon: icon('M2 5l8-3 8 3-8 3zM5 6.5v5c0 1.5 2.2 3 5 3s5-1.5 5-3v-5M18 5v6'),
    ready: false,
  },
  {
    id: 'admin',
    path: '/admin',
    label: 'nav.admin',
    hint: 'nav.adminHint',
    icon: icon(
      'M10 6.5a3.5 3.5 0 110 7 3.5 3.5 0 010-7zM10 1.5v3M10 15.5v3M1.5 10h3M15.5 10h3M4 4l2.1 2.1M13.9 13.9L16 16M4 16l2.1-2.1M13.9 6.1L16 4',
    ),
    ready: true,
    requires: { recordType: 'audit', action: 'read' },
    apart: true,
  },
];

/**
 * Whether the user may open a navigation item's page.
 *
 * @example navAllowed(me, navItems[0]);
 */
export function navAllowed(me: Me, item: NavItem): boolean {
  return !item.requires || can(me, item.requires.recordType, item.requires.action);
}

/**
 * @example <SideNav me={me} currentPath="/understand" search="?area=ao-1" />
 */
export function SideNav({
  me,
  currentPath,
  search,
}: {
  me: Me;
  currentPath: string;
  search: string;
}) {
  const allowed = navItems.filter((item) => navAllowed(me, item));
  const work = allowed.filter((item) => !item.apart);
  const apart = allowed.filter((item) => item.apart);
  return (
    <nav className="side-nav" aria-label={t('nav.label')}>
      <ul>
        {work.map((item) => (
          <NavEntry key={item.id} item={item} currentPath={currentPath} search={search} />
        ))}
      </ul>
      {apart.length > 0 ? (
        <ul className="side-nav-apart">
          {apart.map((item) => (
            <NavEntry key={item.id} item={item} currentPath={currentPath} search={search} />
          ))}
        </ul>
      ) : null}
    </nav>
  );
}

function NavEntry({
  item,
  currentPath,
  search,
}: {
  item: NavItem;
  currentPath: string;
  search: string;
}) {
  const current = currentPath === item.path || currentPath.startsWith(`${item.path}/`);
  return (
    <li>
      <Link
        to={`${item.path}${search}`}
        className="nav-link"
        aria-current={current ? 'page' : undefined}
        data-testid={`nav-${item.id}`}
      >
        {item.icon}
        <span className="nav-text">
          <span className="nav-label-row">
            <span className="nav-label">{t(item.label)}</span>
            {item.ready ? null : <span className="nav-badge">{t('coming.badge')}</span>}
          </span>
          <span className="nav-hint">{t(item.hint)}</span>
        </span>
      </Link>
    </li>
  );
}
