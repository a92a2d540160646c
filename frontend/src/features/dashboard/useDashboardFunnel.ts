import type { Api, CampaignReport, FunnelResult } from '../../api';
import type { DayRange } from './ranges';
import { useRangeLoad, type RangeLoad } from './useRangeLoad';

const loadFunnel = (api: Api, from: string, to: string) => api.dashboard.funnel(from, to);
const loadCampaigns = (api: Api, from: string, to: string) => api.dashboard.campaigns(from, to);

/**
 * The conversion funnel and ROI of `range` (they read consent, so they come after the KPIs),
 * reloaded when activity, members or the ROI settings change.
 */
export function useDashboardFunnel(range: DayRange | null): RangeLoad<FunnelResult> {
  return useRangeLoad(range, loadFunnel);
}

/** The results of the newsletters sent in `range` (they read deliveries and consent). */
export function useDashboardCampaigns(range: DayRange | null): RangeLoad<CampaignReport> {
  return useRangeLoad(range, loadCampaigns);
}
