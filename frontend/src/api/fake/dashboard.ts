import type { DashboardApi } from '../api';
import {
  ACTIVITY_CHANGED,
  type BehindMetric,
  type Cohort,
  type DayPoint,
  type KPIs,
  type LevelCount,
  type Member,
  type FunnelResult,
  type ROISettings,
  type SuperUser,
} from '../types';
import { invalid, type FakeContext } from './context';
import { fakeRising, fakeSentiment } from './dashboardText';

/** One thing a member did, as the fake keeps it. */
export interface FakeActivity {
  memberId: string;
  kind: string;
  channel: string;
  /** RFC 3339 */
  at: string;
}

export interface FakeDashboardOptions {
  /** Activity present at start; a function is called on first use (the demo's is big). */
  activities?: FakeActivity[] | (() => FakeActivity[]);
  /** Whether a member subscribed to the newsletter (the fake asks about now, not the end). */
  subscribed?: (memberId: string) => boolean;
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
 * at their `createdAt`.
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

  const joined = (m: Member) => Date.parse(m.createdAt);

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
