import { useEffect, useState } from 'react';
import { useApi, type KPIs } from '../../api';
import { notifyError } from '../../components/notifyError';
import type { DayRange } from './ranges';

/** Changes arriving in bursts (a sync, an import) reload the numbers once. */
export const REFRESH_DEBOUNCE_MS = 400;

export interface DashboardStats {
  /** The latest KPIs received; kept while a new range loads, null before the first. */
  kpis: KPIs | null;
  /** The range `kpis` are about. */
  range: DayRange | null;
  loading: boolean;
}

/**
 * The KPIs of `range` (null: nothing to ask, e.g. an unfinished custom range), reloaded when
 * activity or members change.
 */
export function useDashboardStats(range: DayRange | null): DashboardStats {
  const api = useApi();
  const [state, setState] = useState<DashboardStats>({ kpis: null, range: null, loading: true });
  const from = range?.from ?? '';
  const to = range?.to ?? '';

  useEffect(() => {
    if (!from || !to) return;
    let live = true;
    let latest = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      const n = ++latest;
      setState((s) => ({ ...s, loading: true }));
      api.dashboard.stats(from, to).then(
        (kpis) => live && n === latest && setState({ kpis, range: { from, to }, loading: false }),
        (reason: unknown) => {
          if (!live || n !== latest) return;
          setState((s) => ({ ...s, loading: false }));
          notifyError(reason);
        },
      );
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(load, REFRESH_DEBOUNCE_MS);
    };
    load();
    const offActivity = api.events.onActivityChanged(later);
    const offMembers = api.events.onMembersChanged(later);
    return () => {
      live = false;
      clearTimeout(timer);
      offActivity();
      offMembers();
    };
  }, [api, from, to]);

  return state;
}
