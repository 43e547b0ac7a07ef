// The marking banner shown at the top and bottom of every page: the highest classification on
// screen, the releasability all of it shares, and EXERCISE for exercise data, coloured by level.
import { useTaxonomies } from '../app-context.js';
import { t } from '../i18n.js';
import { bannerFor, useScreenMarkings } from '../marking.js';
import type { ScreenMarking } from '../marking.js';

/**
 * One marking banner (`data-testid="marking-banner-top"` / `"marking-banner-bottom"`), carrying
 * `data-classification` and `data-exercise` for tests. `fixed` replaces the markings registered
 * on screen (the sign-in screen shows no data: `fixed={[]}` gives the unclassified marking).
 *
 * @example <MarkingBanner position="top" />
 */
export function MarkingBanner({
  position,
  fixed,
}: {
  position: 'top' | 'bottom';
  fixed?: readonly ScreenMarking[];
}) {
  const taxonomies = useTaxonomies();
  const registered = useScreenMarkings();
  const banner = bannerFor(taxonomies, fixed ?? registered);
  return (
    <div
      className={`marking-banner marking-banner-${position}`}
      style={{ backgroundColor: banner.background, color: banner.foreground }}
      title={t('banner.label')}
      data-testid={`marking-banner-${position}`}
      data-classification={banner.classification}
      data-exercise={banner.exercise ? 'true' : 'false'}
    >
      {banner.text}
    </div>
  );
}
