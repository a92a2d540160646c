import type { DashboardApi } from '../api';
import {
  ACTIVITY_CHANGED,
  type BehindMetric,
  type CampaignReport,
  type FunnelResult,
  type KPIs,
  type LevelSettings,
  type Member,
  type ROISettings,
} from '../types';
import type { FakeContext } from './context';
import {
  DASHBOARD_RECORDINGS,
  daysBetween,
  isRecorded,
  replay,
  shiftDates,
  type DashboardRecording,
} from './recorded';

export interface FakeDashboardOptions {
  /** The recorded workspace replayed: 'community' (the default) or 'quiet' (no activity yet). */
  recording?: DashboardRecording;
}

/** The limit the members behind a number were recorded with (the dashboard's BEHIND_LIMIT). */
const RECORDED_LIMIT = 20;

/**
 * The dashboard part of the fake: it replays what Go's DashboardService answered over a seeded
 * workspace (recorded by app/recorded_test.go). It computes nothing; its only state is which
 * recording it replays and which settings form was saved last.
 */
export function createFakeDashboard(ctx: FakeContext, opts: FakeDashboardOptions = {}) {
  let rec = DASHBOARD_RECORDINGS[opts.recording ?? 'community'];
  // The ROI and levels forms were recorded once, on the community workspace.
  const forms = DASHBOARD_RECORDINGS.community;
  let roi = replay<ROISettings>(forms, 'dashboard', 'roiSettings', []);
  let roiSaved = false;
  let levels = replay<LevelSettings>(forms, 'dashboard', 'levelSettings', []);

  /**
   * Days from the recording's today to the fake's: the recorded periods are replayed as the
   * same periods counted from today (the recording's last 30 days answer today's last 30 days,
   * its dates moved). Screen tests that check the dashboard's numbers set their clock to
   * RECORDED_NOW; a period with no recorded counterpart fails loudly either way.
   */
  const shift = () => daysBetween(new Date(rec.now), ctx.now());

  /** The recorded answer of a call over a period, moved to today in demo mode. */
  function period<T>(method: string, from: string, to: string, ...rest: unknown[]): T {
    const days = shift();
    const args = [shiftDates(from, -days), shiftDates(to, -days), ...rest];
    return shiftDates(replay<T>(rec, 'dashboard', method, args), days);
  }

  const api: DashboardApi = {
    stats: (from, to, segment) =>
      ctx.settle('dashboard.stats', () => period<KPIs>('stats', from, to, segment)),
    membersBehind: (from, to, metric: BehindMetric, segment, limit) =>
      ctx.settle('dashboard.membersBehind', () => {
        const days = shift();
        const args = [shiftDates(from, -days), shiftDates(to, -days), metric, segment, limit];
        // Go ranks the members, then keeps the first `limit`: a shorter list is the start of
        // the one recorded with the dashboard's limit.
        if (limit < RECORDED_LIMIT && !isRecorded(rec, 'membersBehind', args)) {
          return period<Member[]>('membersBehind', from, to, metric, segment, RECORDED_LIMIT).slice(
            0,
            limit,
          );
        }
        return period<Member[]>('membersBehind', from, to, metric, segment, limit);
      }),
    funnel: (from, to) =>
      ctx.settle('dashboard.funnel', () =>
        period<FunnelResult>(roiSaved ? 'funnel:afterRoiSaved' : 'funnel', from, to),
      ),
    campaigns: (from, to) =>
      ctx.settle('dashboard.campaigns', () => period<CampaignReport>('campaigns', from, to)),
    roiSettings: () => ctx.settle('dashboard.roiSettings', () => roi),
    saveRoiSettings: (input) =>
      ctx.settle('dashboard.saveRoiSettings', () => {
        roi = replay<ROISettings>(forms, 'dashboard', 'saveRoiSettings', [input]);
        roiSaved = true;
        return roi;
      }),
    levelSettings: () => ctx.settle('dashboard.levelSettings', () => levels),
    levelDefaults: () =>
      ctx.settle('dashboard.levelDefaults', () =>
        replay<LevelSettings>(forms, 'dashboard', 'levelDefaults', []),
      ),
    saveLevelSettings: (input) =>
      ctx.settle('dashboard.saveLevelSettings', () => {
        levels = replay<LevelSettings>(forms, 'dashboard', 'saveLevelSettings', [input]);
        return levels;
      }),
    resetLevelSettings: () =>
      ctx.settle('dashboard.resetLevelSettings', () => {
        levels = replay<LevelSettings>(forms, 'dashboard', 'resetLevelSettings', []);
        return levels;
      }),
  };

  return {
    api,
    /**
     * Replays another recorded workspace from now on and emits `activity:changed`, as a sync or
     * an import that brought activity would.
     */
    replay(name: DashboardRecording) {
      rec = DASHBOARD_RECORDINGS[name];
      ctx.emit(ACTIVITY_CHANGED, null);
    },
  };
}
