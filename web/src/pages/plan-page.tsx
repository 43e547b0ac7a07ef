// Plan: not built yet. The page says what the capability will do (see coming-panel.tsx).
import { ComingPanel } from '../components/coming-panel.js';

/** The Plan page (`/plan`, `data-testid="page-plan"`). */
export function PlanPage({ search }: { search: string }) {
  return (
    <ComingPanel
      id="plan"
      title="plan.title"
      subtitle="plan.subtitle"
      points={['plan.point1', 'plan.point2', 'plan.point3', 'plan.point4']}
      search={search}
    />
  );
}
