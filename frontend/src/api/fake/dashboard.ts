import type { DashboardApi } from '../api';
import {
  ACTIVITY_CHANGED,
  type BehindMetric,
  type CampaignCounts,
  type CampaignReport,
  type CampaignResult,
  type CampaignTotals,
  type Cohort,
  type DayPoint,
  type KPIs,
  type LevelCount,
  type Member,
  type FunnelResult,
  type ROISettings,
  type LevelSettings,
  type SuperUser,
} from '../types';
import { invalid, type FakeContext } from './context';
import { fakeRising, fakeSentiment } from './dashboardText';
import type { FakeSend } from './newsletter';

/** One thing a member did, as the fake keeps it. */
export interface FakeActivity {
  memberId: string;
  kind: string;
  channel: string;
  /** RFC 3339 */
  at: string;
  /** The conversation: a question's own id, and its replies' (kind "reply"). */
  thread?: string;
  /** A thread's first message asks something when its title has a "?". */
  title?: string;
}

export interface FakeDashboardOptions {
  /** Activity present at start; a function is called on first use (the demo's is big). */
  activities?: FakeActivity[] | (() => FakeActivity[]);
  /** Whether a member subscribed to the newsletter (the fake asks about now, not the end). */
  subscribed?: (memberId: string) => boolean;
  /** The newsletters sent, with whom they reached (campaign results). */
  sends?: () => FakeSend[];
}

/** Weights of the engagement score, per kind (unknown kinds count 1). */
export const FAKE_WEIGHTS: Record<string, number> = {
  post: 3,
  reply: 2,
  article: 3,
  message: 1,
  mention: 1,
  reaction: 0.5,
  follow: 0.5,
  join: 0.5,
  event: 2,
  goal: 0,
};
/** Score over the 90 days before a moment needed for levels 1, 2 and 3; below: 4. */
export const FAKE_LEVEL_MIN = [40, 12, 2] as const;
const LEVEL_NAMES = ['Ambassadors', 'Contributors', 'Participants', 'Observers'];
const LEVEL_WINDOW_DAYS = 90;
const TOP = 20;
const MAX_LIMIT = 500;

interface Act {
  memberId: string;
  kind: string;
  thread?: string;
  title?: string;
  channel: string;
  t: number;
  day: string;
  month: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayKey = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const monthKey = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
const shift = (d: Date, days: number) =>
  new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);

function localDay(field: 'from' | 'to', day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  if (!d || dayKey(d) !== day) throw invalid([{ field, code: 'date' }]);
  return d;
}

/** The first index of `acts` (sorted by time) at or after `t`. */
function lowerBound(acts: Act[], t: number): number {
  let lo = 0;
  let hi = acts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (acts[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const levelOf = (score: number) => {
  const i = FAKE_LEVEL_MIN.findIndex((min) => score >= min);
  return i === -1 ? 4 : i + 1;
};

const weight = (kind: string) => FAKE_WEIGHTS[kind] ?? 1;

/**
 * DashboardService in memory: every KPI recomputed from the activity list on each call, the
 * plain definitions of backend/analytics (so it doubles as a readable reference). Members join
 * at their `createdAt`, or at their first activity when it came before.
 */
export function createFakeDashboard(ctx: FakeContext, opts: FakeDashboardOptions = {}) {
  let source = opts.activities;
  let acts: Act[] | null = null;

  const toAct = (a: FakeActivity): Act => {
    const d = new Date(a.at);
    return { ...a, t: d.getTime(), day: dayKey(d), month: monthKey(d) };
  };
  const all = (): Act[] => {
    if (!acts) {
      const raw = typeof source === 'function' ? source() : (source ?? []);
      source = undefined;
      acts = raw.map(toAct).sort((a, b) => a.t - b.t);
    }
    return acts;
  };
  const between = (from: number, to: number) => {
    const xs = all();
    return xs.slice(lowerBound(xs, from), lowerBound(xs, to));
  };

  /** Members' scores over the LEVEL_WINDOW_DAYS days before `end`. */
  const scoresBefore = (end: Date) => {
    const scores = new Map<string, number>();
    for (const a of between(shift(end, -LEVEL_WINDOW_DAYS).getTime(), end.getTime()))
      scores.set(a.memberId, (scores.get(a.memberId) ?? 0) + weight(a.kind));
    return scores;
  };

  /** When each member was first active, from the (sorted) activity list. */
  let firsts: { of: Act[]; at: Map<string, number> } | null = null;
  const firstActive = (id: string) => {
    const xs = all();
    if (firsts?.of !== xs) {
      const at = new Map<string, number>();
      for (const a of xs) if (a.memberId && !at.has(a.memberId)) at.set(a.memberId, a.t);
      firsts = { of: xs, at };
    }
    return firsts.at.get(id) ?? Infinity;
  };
  /** A member counts from when they were created or first active, whichever came first. */
  const joined = (m: Member) => Math.min(Date.parse(m.createdAt), firstActive(m.id));

  /**
   * Questions asked in [s, e): a thread's first message (post or message) whose title asks;
   * answered when another member replied in its thread before `e`, after the first answer.
   */
  const questionsOf = (s: number, e: number) => {
    const asked = between(s, e).filter(
      (q) => q.thread && (q.kind === 'post' || q.kind === 'message') && q.title?.includes('?'),
    );
    // Each thread's replies before `e`, oldest first (the activities are sorted by time).
    const replies = new Map(asked.map((q) => [q.thread!, [] as Act[]]));
    for (const a of between(0, e)) if (a.kind === 'reply') replies.get(a.thread ?? '')?.push(a);
    const delays: number[] = [];
    for (const q of asked) {
      const first = replies.get(q.thread!)!.find((a) => a.memberId !== q.memberId);
      if (first) delays.push(Math.max(0, (first.t - q.t) / 1000));
    }
    const questions = asked.length;
    delays.sort((a, b) => a - b);
    const mid = delays.length >> 1;
    const median = !delays.length
      ? 0
      : delays.length % 2
        ? delays[mid]!
        : (delays[mid - 1]! + delays[mid]!) / 2;
    return {
      questions,
      questions_answered: delays.length,
      answer_rate: questions ? delays.length / questions : 0,
      median_response_seconds: median,
      response_time_p90_seconds: delays.length ? delays[Math.ceil(0.9 * delays.length) - 1]! : 0,
    };
  };

  function compute(start: Date, end: Date, withPrevious: boolean): KPIs {
    const s = start.getTime();
    const e = end.getTime();
    const days = Math.round(
      (Date.UTC(end.getFullYear(), end.getMonth(), end.getDate()) -
        Date.UTC(start.getFullYear(), start.getMonth(), start.getDate())) /
        86_400_000,
    );
    const members = ctx.members.all();
    const exists = new Set(members.filter((m) => joined(m) < e).map((m) => m.id));
    const inRange = between(s, e).filter((a) => a.memberId === '' || exists.has(a.memberId));
    const memberActs = inRange.filter((a) => a.memberId !== '');

    const active = new Set(memberActs.map((a) => a.memberId));
    const prevStart = shift(start, -days);
    const prevActive = new Set(
      between(prevStart.getTime(), s)
        .filter((a) => exists.has(a.memberId))
        .map((a) => a.memberId),
    );
    const total = exists.size;
    const atStart = members.filter((m) => joined(m) < s).length;
    const fresh = members.filter((m) => joined(m) >= s && joined(m) < e);

    const byKind: Record<string, number> = {};
    const byChannel: Record<string, number> = {};
    for (const a of inRange) {
      byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
      byChannel[a.channel] = (byChannel[a.channel] ?? 0) + 1;
    }

    // Who was active each day, from 29 days before the range for the monthly windows.
    const perDay = new Map<string, Set<string>>();
    for (const a of between(shift(start, -29).getTime(), e)) {
      if (!exists.has(a.memberId)) continue;
      const set = perDay.get(a.day) ?? new Set();
      set.add(a.memberId);
      perDay.set(a.day, set);
    }
    const windowActive = (last: Date, width: number) => {
      const seen = new Set<string>();
      for (let i = 0; i < width; i++)
        for (const id of perDay.get(dayKey(shift(last, -i))) ?? []) seen.add(id);
      return seen.size;
    };
    const actsPerDay = new Map<string, number>();
    for (const a of inRange) actsPerDay.set(a.day, (actsPerDay.get(a.day) ?? 0) + 1);
    const newPerDay = new Map<string, number>();
    for (const m of fresh) {
      const key = dayKey(new Date(m.createdAt));
      newPerDay.set(key, (newPerDay.get(key) ?? 0) + 1);
    }
    const daily: DayPoint[] = [];
    let running = atStart;
    let dauSum = 0;
    let wauSum = 0;
    let mauSum = 0;
    for (let i = 0; i < days; i++) {
      const d = shift(start, i);
      const key = dayKey(d);
      const activeToday = perDay.get(key)?.size ?? 0;
      dauSum += activeToday;
      wauSum += windowActive(d, 7);
      mauSum += windowActive(d, 30);
      daily.push({
        day: key,
        activities: actsPerDay.get(key) ?? 0,
        active_members: activeToday,
        new_members: newPerDay.get(key) ?? 0,
        members_total: (running += newPerDay.get(key) ?? 0),
      });
    }
    const dau = days ? dauSum / days : 0;
    const wau = days ? wauSum / days : 0;
    const mau = days ? mauSum / days : 0;

    const levelsEnd = scoresBefore(end);
    const levelsStart = scoresBefore(start);
    const levels: LevelCount[] = LEVEL_NAMES.map((name, i) => ({
      level: i + 1,
      name,
      members: 0,
      promoted: 0,
      demoted: 0,
    }));
    for (const m of members) {
      if (!exists.has(m.id)) continue;
      const now = levelOf(levelsEnd.get(m.id) ?? 0);
      levels[now - 1]!.members++;
      if (joined(m) >= s) continue;
      const before = levelOf(levelsStart.get(m.id) ?? 0);
      if (now < before) levels[now - 1]!.promoted++;
      if (now > before) levels[now - 1]!.demoted++;
    }

    // Counts by kind in the range, and the last activity before To, of every member.
    const countsOf = new Map<string, Record<string, number>>();
    for (const a of memberActs) {
      const counts = countsOf.get(a.memberId) ?? {};
      counts[a.kind] = (counts[a.kind] ?? 0) + 1;
      countsOf.set(a.memberId, counts);
    }
    const lastActive = new Map<string, number>();
    for (const a of between(0, e)) lastActive.set(a.memberId, a.t);
    const ranked = (scores: Map<string, number>, ids: Iterable<string>): SuperUser[] =>
      [...ids].map((id) => {
        const last = lastActive.get(id);
        return {
          member_id: id,
          name: ctx.members.find(id)?.name ?? '',
          score: scores.get(id) ?? 0,
          level: levelOf(levelsEnd.get(id) ?? 0),
          counts: countsOf.get(id) ?? {},
          ...(last ? { last_active: new Date(last).toISOString() } : {}),
        };
      });

    const rangeScores = new Map<string, number>();
    for (const a of memberActs)
      rangeScores.set(a.memberId, (rangeScores.get(a.memberId) ?? 0) + weight(a.kind));
    const bestFirst = (scores: Map<string, number>) =>
      [...scores].sort(([ia, a], [ib, b]) => b - a || (ia < ib ? -1 : 1)).map(([id]) => id);
    const superUsers = ranked(rangeScores, bestFirst(rangeScores).slice(0, TOP));

    // Gone quiet: level 1 or 2 over the 90 days before To, nothing in the last 7 to 28 days.
    const quietFrom = shift(end, -28).getTime();
    const quietTo = shift(end, -7).getTime();
    const quietScores = new Map(
      [...levelsEnd].filter(([id, score]) => {
        const last = lastActive.get(id) ?? 0;
        return exists.has(id) && levelOf(score) <= 2 && last >= quietFrom && last < quietTo;
      }),
    );
    const goneQuiet = ranked(quietScores, bestFirst(quietScores).slice(0, TOP));

    const kpis: KPIs = {
      from: start.toISOString(),
      to: end.toISOString(),
      members_total: total,
      members_new: fresh.length,
      members_churned: [...prevActive].filter((id) => !active.has(id)).length,
      members_active: active.size,
      dau,
      wau,
      mau,
      stickiness: mau ? dau / mau : 0,
      growth_rate: atStart ? fresh.length / atStart : 0,
      engagement_rate: total ? active.size / total : 0,
      activities: inRange.length,
      activities_by_kind: byKind,
      activities_by_channel: byChannel,
      daily,
      cohorts: cohorts(members, start, end),
      levels,
      super_users: superUsers,
      gone_quiet: goneQuiet,
      sentiment: fakeSentiment(
        inRange,
        daily.map((d) => d.day),
      ),
      rising_topics: fakeRising(
        inRange,
        between(prevStart.getTime(), s).filter((a) => a.memberId === '' || exists.has(a.memberId)),
      ),
      ...questionsOf(s, e),
    };
    if (withPrevious) kpis.previous = compute(prevStart, start, false);
    return kpis;
  }

  function cohorts(members: Member[], start: Date, end: Date): Cohort[] {
    const lastMonth = new Date(end.getTime() - 1);
    const months: Date[] = [];
    for (let d = shiftMonth(start, 0); d <= lastMonth; d = shiftMonth(d, 1)) months.push(d);
    const activeMonths = new Map<string, Set<string>>();
    for (const a of between(0, end.getTime())) {
      const set = activeMonths.get(a.memberId) ?? new Set();
      set.add(a.month);
      activeMonths.set(a.memberId, set);
    }
    const out: Cohort[] = [];
    for (const [i, month] of months.entries()) {
      const key = monthKey(month);
      const cohort = members.filter((m) => monthKey(new Date(m.createdAt)) === key);
      if (cohort.length === 0) continue;
      const retention: number[] = [];
      for (let k = 0; k < months.length - i; k++) {
        const target = monthKey(shiftMonth(month, k));
        const kept = cohort.filter((m) => activeMonths.get(m.id)?.has(target)).length;
        retention.push(kept / cohort.length);
      }
      out.push({ month: key, size: cohort.length, retention });
    }
    return out;
  }

  function behind(kpis: KPIs, start: Date, end: Date, metric: string): string[] {
    const s = start.getTime();
    const e = end.getTime();
    const counts = (from: number, to: number) => {
      const n = new Map<string, number>();
      for (const a of between(from, to))
        if (a.memberId) n.set(a.memberId, (n.get(a.memberId) ?? 0) + 1);
      return n;
    };
    const byCount = (n: Map<string, number>) =>
      [...n].sort(([ia, a], [ib, b]) => b - a || (ia < ib ? -1 : 1)).map(([id]) => id);
    const level = /^level:([1-4])$/.exec(metric);
    if (level) {
      const scores = scoresBefore(end);
      return ctx.members
        .all()
        .filter((m) => Date.parse(m.createdAt) < e)
        .filter((m) => levelOf(scores.get(m.id) ?? 0) === Number(level[1]))
        .sort((a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0))
        .map((m) => m.id);
    }
    switch (metric) {
      case 'answerers': {
        // The members who replied in the range in threads someone else started, the most
        // threads first (the Go service counts first replies to questions only).
        const askers = new Map(
          all()
            .filter((a) => a.thread && a.kind !== 'reply')
            .map((a) => [a.thread!, a.memberId]),
        );
        const n = new Map<string, Set<string>>();
        for (const a of between(s, e))
          if (
            a.kind === 'reply' &&
            a.thread &&
            askers.has(a.thread) &&
            askers.get(a.thread) !== a.memberId
          )
            n.set(a.memberId, (n.get(a.memberId) ?? new Set()).add(a.thread));
        return byCount(new Map([...n].map(([id, threads]) => [id, threads.size])));
      }
      case 'new':
        return ctx.members
          .all()
          .filter((m) => Date.parse(m.createdAt) >= s && Date.parse(m.createdAt) < e)
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
          .map((m) => m.id);
      case 'active':
        return byCount(counts(s, e));
      case 'churned': {
        const now = counts(s, e);
        const days = kpis.daily.length;
        return byCount(counts(shift(start, -days).getTime(), s)).filter((id) => !now.has(id));
      }
      case 'super_users':
        return kpis.super_users.map((u) => u.member_id);
      case 'gone_quiet':
        return kpis.gone_quiet.map((u) => u.member_id);
      default:
        throw invalid([{ field: 'metric', code: 'oneof' }]);
    }
  }

  const range = (from: string, to: string) => {
    const start = localDay('from', from);
    const last = localDay('to', to);
    if (last < start) throw invalid([{ field: 'to', code: 'gtefield', params: { field: 'from' } }]);
    return { start, end: shift(last, 1) };
  };

  let roi: ROISettings = { cost_per_month: 0, value_per_conversion: 0, currency: 'EUR' };
  let levels: LevelSettings = fakeLevelDefaults();

  /** Counts with their rates; the fake has no bounces, failures or unsubscribes. */
  const campaignCounts = (
    delivered: number,
    engaged: number,
    baseline: number,
    conversions: number,
  ): CampaignCounts => ({
    recipients: delivered,
    delivered,
    bounced: 0,
    failed_temp: 0,
    unsubscribed: 0,
    engaged,
    engaged_rate: delivered ? engaged / delivered : 0,
    baseline_engaged: baseline,
    baseline_engaged_rate: delivered ? baseline / delivered : 0,
    conversions,
  });

  // Like analytics.CampaignResults: what the members each newsletter reached did in the 7 days
  // from its day (and the 7 before, for comparison), goals in the 30 days from it. The fake
  // keeps no consent history: it reports no unsubscribes.
  const campaignsOf = (start: Date, end: Date): CampaignReport => {
    const newsletters: CampaignResult[] = [];
    for (const s of opts.sends?.() ?? []) {
      const at = new Date(s.sentAt);
      if (at < start || at >= end) continue;
      const day = new Date(at.getFullYear(), at.getMonth(), at.getDate()).getTime();
      const who = new Set(s.members);
      const did = (from: number, days: number, kind?: string) =>
        new Set(
          between(from, from + days * 86_400_000)
            .filter((a) => who.has(a.memberId) && (!kind || a.kind === kind))
            .map((a) => a.memberId),
        ).size;
      newsletters.push({
        id: s.id,
        subject: s.subject,
        sent_at: s.sentAt,
        ...campaignCounts(
          s.members.length,
          did(day, 7),
          did(day - 7 * 86_400_000, 7),
          did(day, 30, 'goal'),
        ),
      });
    }
    const sum = (f: (r: CampaignResult) => number) => newsletters.reduce((n, r) => n + f(r), 0);
    const totals: CampaignTotals = {
      newsletters: newsletters.length,
      ...campaignCounts(
        sum((r) => r.delivered),
        sum((r) => r.engaged),
        sum((r) => r.baseline_engaged),
        sum((r) => r.conversions),
      ),
    };
    return { from: start.toISOString(), to: end.toISOString(), newsletters, totals };
  };

  const funnelOf = (start: Date, end: Date): FunnelResult => {
    const members = ctx.members.all().filter((m) => joined(m) < end.getTime());
    const ids = new Set(members.map((m) => m.id));
    const did = (kind: string) =>
      new Set(
        between(start.getTime(), end.getTime())
          .filter((a) => a.kind === kind && ids.has(a.memberId))
          .map((a) => a.memberId),
      ).size;
    const subscribers = members.filter((m) => opts.subscribed?.(m.id) ?? false).length;
    const attendees = did('event');
    const goal = did('goal');
    const rate = (a: number, b: number) => (b ? a / b : 0);
    const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
    const cost = (roi.cost_per_month * days) / 30.44;
    const value = goal * roi.value_per_conversion;
    return {
      funnel: {
        members: members.length,
        subscribers,
        attendees,
        goal,
        subscriber_rate: rate(subscribers, members.length),
        attendee_rate: rate(attendees, subscribers),
        goal_rate: rate(goal, attendees),
        conversion_rate: rate(goal, members.length),
      },
      roi: {
        currency: roi.currency,
        cost,
        conversions: goal,
        value,
        roi: cost > 0 ? (value - cost) / cost : null,
      },
    };
  };

  const api: DashboardApi = {
    stats: (from, to) =>
      ctx.settle('dashboard.stats', () => {
        const { start, end } = range(from, to);
        return compute(start, end, true);
      }),
    membersBehind: (from, to, metric: BehindMetric, limit) =>
      ctx.settle('dashboard.membersBehind', () => {
        const { start, end } = range(from, to);
        if (limit < 1 || limit > MAX_LIMIT)
          throw invalid([{ field: 'limit', code: 'max', params: { max: String(MAX_LIMIT) } }]);
        const ids = behind(compute(start, end, false), start, end, metric);
        return ids
          .slice(0, limit)
          .map((id) => ctx.members.find(id))
          .filter((m): m is Member => m !== undefined);
      }),
    funnel: (from, to) =>
      ctx.settle('dashboard.funnel', () => {
        const { start, end } = range(from, to);
        return funnelOf(start, end);
      }),
    campaigns: (from, to) =>
      ctx.settle('dashboard.campaigns', () => {
        const { start, end } = range(from, to);
        return campaignsOf(start, end);
      }),
    roiSettings: () => ctx.settle('dashboard.roiSettings', () => roi),
    saveRoiSettings: (input) =>
      ctx.settle('dashboard.saveRoiSettings', () => {
        const currency = (input.currency || 'EUR').trim().toUpperCase();
        const fields = [];
        for (const f of ['cost_per_month', 'value_per_conversion'] as const)
          if (!Number.isFinite(input[f]) || input[f] < 0)
            fields.push({ field: f, code: 'min', params: { min: '0' } });
        if (!/^[A-Z]{3}$/.test(currency)) fields.push({ field: 'currency', code: 'iso4217' });
        if (fields.length)
          throw invalid(fields, 'invalid_input', 'analytics: invalid ROI settings');
        roi = { ...input, currency };
        return roi;
      }),
    levelSettings: () => ctx.settle('dashboard.levelSettings', () => cloneLevels(levels)),
    levelDefaults: () => ctx.settle('dashboard.levelDefaults', () => fakeLevelDefaults()),
    saveLevelSettings: (input) =>
      ctx.settle('dashboard.saveLevelSettings', () => {
        const fields = checkLevels(input);
        if (fields.length)
          throw invalid(fields, 'invalid_input', 'analytics: invalid level settings');
        const tags = (ts: string[]) => [...new Set(ts.map((t) => t.trim()).filter(Boolean))];
        levels = {
          ...cloneLevels(input),
          milestones: input.milestones.map((m, i) => ({ ...m, level: i + 1 })),
          team_tags: tags(input.team_tags),
          goal_tags: tags(input.goal_tags),
        };
        return cloneLevels(levels);
      }),
    resetLevelSettings: () =>
      ctx.settle('dashboard.resetLevelSettings', () => {
        levels = fakeLevelDefaults();
        return cloneLevels(levels);
      }),
  };

  return {
    api,
    /** Stores more activity and emits `activity:changed`, as a sync or an import would. */
    add(more: FakeActivity[]) {
      acts = [...all(), ...more.map(toAct)].sort((a, b) => a.t - b.t);
      ctx.emit(ACTIVITY_CHANGED, null);
    },
  };
}

function shiftMonth(d: Date, months: number): Date {
  return new Date(d.getFullYear(), d.getMonth() + months, 1);
}

/** The Go side's default level settings (analytics.DefaultWeights and DefaultMilestones). */
export function fakeLevelDefaults(): LevelSettings {
  return {
    weights: {
      post: 3,
      reply: 2,
      message: 1,
      reaction: 0.5,
      join: 0.5,
      follow: 0.5,
      mention: 1,
      article: 0,
      event: 2,
      goal: 0,
    },
    milestones: [
      { level: 1, min_score: 40, active_days: 10 },
      { level: 2, min_score: 12, active_days: 4 },
      { level: 3, min_score: 0.5, active_days: 1 },
    ],
    score_window_days: 90,
    team_tags: ['team', 'équipe'],
    goal_tags: [],
  };
}

function cloneLevels(s: LevelSettings): LevelSettings {
  return {
    weights: { ...s.weights },
    milestones: s.milestones.map((m) => ({ ...m })),
    score_window_days: s.score_window_days,
    team_tags: [...s.team_tags],
    goal_tags: [...s.goal_tags],
  };
}

/** The Go side's rules (analytics.validateLevels), with the same field paths and codes. */
function checkLevels(s: LevelSettings) {
  const fields: { field: string; code: string; params?: Record<string, string> }[] = [];
  const num = (field: string, v: number, lo: number, hi?: number) => {
    if (!Number.isFinite(v)) fields.push({ field, code: 'number' });
    else if (v < lo) fields.push({ field, code: 'min', params: { min: String(lo) } });
    else if (hi !== undefined && v > hi)
      fields.push({ field, code: 'max', params: { max: String(hi) } });
    else return true;
    return false;
  };
  for (const [k, v] of Object.entries(s.weights)) num(`weights.${k}`, v, 0, 100);
  const windowOk = num('score_window_days', s.score_window_days, 7, 365);
  if (s.milestones.length !== 3) {
    fields.push({ field: 'milestones', code: 'len', params: { len: '3' } });
    return fields;
  }
  let ok = true;
  s.milestones.forEach((m, i) => {
    ok = num(`milestones[${i}].min_score`, m.min_score, 0) && ok;
    ok =
      num(`milestones[${i}].active_days`, m.active_days, 1, windowOk ? s.score_window_days : 365) &&
      ok;
  });
  for (let i = 0; ok && i < 2; i++) {
    const [a, b] = [s.milestones[i]!, s.milestones[i + 1]!];
    const params = { level: String(i + 2) };
    if (a.min_score < b.min_score)
      fields.push({ field: `milestones[${i}].min_score`, code: 'milestone_order', params });
    else if (a.active_days < b.active_days)
      fields.push({ field: `milestones[${i}].active_days`, code: 'milestone_order', params });
    else if (a.min_score === b.min_score && a.active_days === b.active_days)
      fields.push({ field: `milestones[${i}].min_score`, code: 'milestone_same', params });
  }
  return fields;
}
