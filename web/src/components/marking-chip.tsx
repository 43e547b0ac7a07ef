// A record's own marking, shown beside its title (UX: "A record's own marking is shown beside its
// title").
import { useTaxonomies } from '../app-context.js';
import type { Marking } from '../contract.js';
import { classificationColours, markingText } from '../marking.js';

/**
 * The marking of one record as a small coloured label. `compact` writes it as a portion marking
 * (`NR · REL EU, UN`) for table rows; the full wording stays its accessible text and tooltip.
 *
 * @example <MarkingChip marking={area.marking} exercise={area.exercise} />
 */
export function MarkingChip(props: {
  marking: Marking;
  exercise: boolean;
  title?: string;
  compact?: boolean;
}) {
  const taxonomies = useTaxonomies();
  const colours = classificationColours(taxonomies, props.marking.classification);
  const full = markingText(props.marking, props.exercise);
  return (
    <span
      className={props.compact ? 'marking-chip marking-chip-compact' : 'marking-chip'}
      style={{ backgroundColor: colours.background, color: colours.foreground }}
      title={props.title ?? (props.compact ? full : undefined)}
      data-testid="marking-chip"
      data-classification={props.marking.classification}
    >
      {props.compact ? (
        <>
          <span aria-hidden="true">{compactMarking(props.marking)}</span>
          <span className="sr-only">{full}</span>
        </>
      ) : (
        full
      )}
    </span>
  );
}

/**
 * A marking as a portion mark: classification code and the audiences by code.
 *
 * @example compactMarking({ classification: 'NU', releasability: ['EU', 'UN'] }); // 'NU · REL EU, UN'
 */
export function compactMarking(marking: Marking): string {
  const audiences = marking.releasability.filter((code) => code !== 'PUBLIC');
  if (marking.releasability.includes('PUBLIC')) return `${marking.classification} · PUBLIC`;
  return audiences.length > 0
    ? `${marking.classification} · REL ${audiences.join(', ')}`
    : marking.classification;
}
