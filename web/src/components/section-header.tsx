// The heading of a section page (Protect, Plan, Track): its name, what it is for, and its views
// as tabs, the current one marked for assistive technology.
import { Link } from './link.js';

/** One view of a section. */
export interface SectionTab {
  readonly id: string;
  /** The path, without the search string (the area and notation in it are kept). */
  readonly to: string;
  readonly label: string;
}

/**
 * A section's header: `<h1 id={titleId}>` with kicker and subtitle, then the view tabs
 * (`data-testid="{section}-tab-{id}"`).
 *
 * @example
 * <SectionHeader section="plan" title="Plan" subtitle="Screening" viewsLabel="Plan views" tabs={tabs} current="new" search={search} />
 */
export function SectionHeader(props: {
  section: string;
  title: string;
  subtitle: string;
  viewsLabel: string;
  tabs: readonly SectionTab[];
  current: string;
  search: string;
  className?: string;
}) {
  return (
    <header className={`protect-header${props.className ? ` ${props.className}` : ''}`}>
      <h1 id={`${props.section}-title`} className="protect-title">
        <span className="area-title-kicker">{props.title}</span>
        <span>{props.subtitle}</span>
      </h1>
      <nav className="protect-tabs" aria-label={props.viewsLabel}>
        {props.tabs.map((tab) => (
          <Link
            key={tab.id}
            to={`${tab.to}${props.search}`}
            className="protect-tab"
            aria-current={props.current === tab.id ? 'page' : undefined}
            data-testid={`${props.section}-tab-${tab.id}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
