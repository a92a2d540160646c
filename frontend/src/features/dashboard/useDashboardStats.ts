import type { Api, KPIs } from '../../api';
import type { DayRange } from './ranges';
import { useRangeLoad } from './useRangeLoad';

export interface DashboardStats {
  /** The latest KPIs received; kept while a new range loads, null before the first. */
  kpis: KPIs | null;
  /** The range `kpis` are about. */
  range: DayRange | null;
  loading: boolean;
}

const loadStats = (api: Api, from: string, to: string, segment: string) =>
  api.dashboard.stats(from, to, segment);

/**
 * The KPIs of `range` (null: nothing to ask, e.g. an unfinished custom range) for the saved
 * segment `segment` ('' for everyone), reloaded when activity or members change.
 */
export function useDashboardStats(range: DayRange | null, segment = ''): DashboardStats {
  const { result, range: of, loading } = useRangeLoad(range, loadStats, segment);
  return { kpis: result, range: of, loading };
}
