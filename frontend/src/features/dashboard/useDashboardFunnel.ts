import { useCallback, useEffect, useState } from 'react';
import { useApi, type FunnelResult } from '../../api';
import { notifyError } from '../../components/notifyError';
import type { DayRange } from './ranges';
import { REFRESH_DEBOUNCE_MS } from './useDashboardStats';

/**
 * The conversion funnel and ROI of `range` (null until they answer: they read consent, so
 * they come after the KPIs), reloaded when activity, members or the ROI settings change.
 */
export function useDashboardFunnel(range: DayRange | null): {
  result: FunnelResult | null;
  reload(): void;
} {
  const api = useApi();
  const [result, setResult] = useState<FunnelResult | null>(null);
  const [generation, setGeneration] = useState(0);
  const from = range?.from ?? '';
  const to = range?.to ?? '';

  useEffect(() => {
    if (!from || !to) return;
    let live = true;
    let latest = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      const n = ++latest;
      api.dashboard.funnel(from, to).then(
        (r) => live && n === latest && setResult(r),
        (reason: unknown) => live && n === latest && notifyError(reason),
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
  }, [api, from, to, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, reload };
}
