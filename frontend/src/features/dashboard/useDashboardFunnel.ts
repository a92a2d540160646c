import { useCallback, useEffect, useState } from 'react';
import { useApi, type Api, type CampaignReport, type FunnelResult } from '../../api';
import { notifyError } from '../../components/notifyError';
import type { DayRange } from './ranges';
import { REFRESH_DEBOUNCE_MS } from './useDashboardStats';

/**
 * A slower part of the dashboard for `range` (null until it answers: it comes after the
 * KPIs), reloaded when activity or members change, or on reload().
 */
function useRangeLoad<T>(
  range: DayRange | null,
  load: (api: Api, from: string, to: string) => Promise<T>,
): { result: T | null; reload(): void } {
  const api = useApi();
  const [result, setResult] = useState<T | null>(null);
  const [generation, setGeneration] = useState(0);
  const from = range?.from ?? '';
  const to = range?.to ?? '';

  useEffect(() => {
    if (!from || !to) return;
    let live = true;
    let latest = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const n = ++latest;
      load(api, from, to).then(
        (r) => live && n === latest && setResult(r),
        (reason: unknown) => live && n === latest && notifyError(reason),
      );
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(run, REFRESH_DEBOUNCE_MS);
    };
    run();
    const offActivity = api.events.onActivityChanged(later);
    const offMembers = api.events.onMembersChanged(later);
    return () => {
      live = false;
      clearTimeout(timer);
      offActivity();
      offMembers();
    };
    // load is a module-level function below: stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, from, to, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, reload };
}

const loadFunnel = (api: Api, from: string, to: string) => api.dashboard.funnel(from, to);
const loadCampaigns = (api: Api, from: string, to: string) => api.dashboard.campaigns(from, to);

/**
 * The conversion funnel and ROI of `range` (they read consent, so they come after the KPIs),
 * reloaded when activity, members or the ROI settings change.
 */
export function useDashboardFunnel(range: DayRange | null): {
  result: FunnelResult | null;
  reload(): void;
} {
  return useRangeLoad(range, loadFunnel);
}

/** The results of the newsletters sent in `range` (they read deliveries and consent). */
export function useDashboardCampaigns(range: DayRange | null): {
  result: CampaignReport | null;
  reload(): void;
} {
  return useRangeLoad(range, loadCampaigns);
}
