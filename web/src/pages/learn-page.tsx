// Learn: not built yet. The page says what the capability will do (see coming-panel.tsx).
import { ComingPanel } from '../components/coming-panel.js';

/** The Learn page (`/learn`, `data-testid="page-learn"`). */
export function LearnPage({ search }: { search: string }) {
  return (
    <ComingPanel
      id="learn"
      title="learn.title"
      subtitle="learn.subtitle"
      points={['learn.point1', 'learn.point2', 'learn.point3', 'learn.point4']}
      search={search}
    />
  );
}
