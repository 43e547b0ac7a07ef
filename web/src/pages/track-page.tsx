// Track: not built yet. The page says what the capability will do (see coming-panel.tsx).
import { ComingPanel } from '../components/coming-panel.js';

/** The Track page (`/track`, `data-testid="page-track"`). */
export function TrackPage({ search }: { search: string }) {
  return (
    <ComingPanel
      id="track"
      title="track.title"
      subtitle="track.subtitle"
      points={['track.point1', 'track.point2', 'track.point3', 'track.point4', 'track.point5']}
      search={search}
    />
  );
}
