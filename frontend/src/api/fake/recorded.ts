import { ApiError, type ApiErrorShape } from '../errors';
import type { Member } from '../types';
import automationsFile from './recorded/automations.json';
import calendarFile from './recorded/calendar.json';
import connectionsFile from './recorded/connections.json';
import consentFile from './recorded/consent.json';
import community from './recorded/dashboard.json';
import gdprFile from './recorded/gdpr.json';
import importFile from './recorded/import.json';
import quiet from './recorded/dashboard-quiet.json';
import membersFile from './recorded/members.json';
import newsletterFile from './recorded/newsletter.json';
import membersListFile from './recorded/members-list.json';
import membersTimelineFile from './recorded/members-timeline.json';
import reportsFile from './recorded/reports.json';
import tasksFile from './recorded/tasks.json';

/**
 * Answers recorded from the real Go services by app/recorded_test.go over a seeded workspace
 * (`HEARTH_RECORD=1 go test ./app/ -run TestRecordAnswersForTheWindowFake`, or make generate).
 * The fake replays them: it holds no business rule of its own, so a screen can only pass on
 * what Go really answers.
 */

/** One recorded answer: what the call resolved with, or the error Go rejected it with. */
interface Answer {
  ok?: unknown;
  error?: ApiErrorShape;
}

/** One recorded file: when it was recorded, and the answers keyed by `recordedKey`. */
export interface Recording {
  /** The Go clock's moment (RFC 3339); the screens' periods ("last 30 days") are counted from it. */
  now: string;
  answers: Record<string, Answer>;
}

/** The recorded workspaces the dashboard can replay. */
export const DASHBOARD_RECORDINGS = {
  /** Members with months of activity, a newsletter, questions and answers. */
  community: community as Recording,
  /** The same members, who have done nothing yet. */
  quiet: quiet as Recording,
};
export type DashboardRecording = keyof typeof DASHBOARD_RECORDINGS;

/** The moment the answers were recorded: screen tests set their clock to it. */
export const RECORDED_NOW = new Date(community.now);

/** The recorded workspace's members, as Go lists them (ids normalised: member-01, …). */
export function recordedMembers(): Member[] {
  return structuredClone((membersFile as Recording).answers['seed[]']!.ok as Member[]);
}

/** JSON with object keys sorted at every level: how app/recorded_test.go writes a call's arguments. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The key of a call in a recording: `stats["2026-02-15","2026-03-16"]`. */
export function recordedKey(method: string, args: unknown[]): string {
  return method + canonical(args);
}

/** Whether `rec` holds an answer for the call. */
export function isRecorded(rec: Recording, method: string, args: unknown[]): boolean {
  return recordedKey(method, args) in rec.answers;
}

/** A call nobody recorded: a test's mistake (record it, or override the method in the test). */
export class Unrecorded extends Error {}

/**
 * What demo mode answers for a call nobody recorded (a task typed in, an unforeseen click): a
 * refusal that says the data is a demo's and nothing changed, never a crash. Tests get the
 * Unrecorded error instead, so that a screen cannot pass on an answer Go never gave.
 */
export function demoUnrecorded(service: string, method: string): ApiError {
  return new ApiError({
    kind: 'unavailable',
    code: 'demo_unrecorded',
    message:
      `Demo mode: this is demo data, and Hearth has no recorded answer for ${service}.${method} ` +
      'with these values, so nothing was changed. Open a workspace to do this for real.',
  });
}

/**
 * The recorded answer of `service.method(args)`: resolved value, or the recorded rejection thrown
 * as the ApiError Go sent. A call nobody recorded throws Unrecorded, naming itself: record it in
 * app/recorded_test.go, or override the method in the test.
 */
export function replay<T>(rec: Recording, service: string, method: string, args: unknown[]): T {
  const key = recordedKey(method, args);
  const answer = rec.answers[key];
  if (!answer) {
    throw new Unrecorded(
      `fake: no answer recorded from Go for ${service}.${key} (recorded at ${rec.now}); ` +
        'add the call to app/recorded_test.go and run `make generate`, or override it in the test',
    );
  }
  if (answer.error) throw new ApiError(answer.error);
  return structuredClone(answer.ok) as T;
}

/**
 * A stateful screen replayed: what Go answers depends on what was done before (a grant, a saved
 * purpose), so app/recorded_scenario_test.go records scenarios from a seeded workspace and keys
 * each answer by the state it was given in: `<workspace steps>|<member steps>|<call>`. Workspace
 * steps are the accepted changes to the workspace as a whole, member steps those to the member
 * the call is about; both are the changes' own keys joined by ` › `. A member the recording does
 * not know (a test's own, demo mode's generated ones) is answered as `blank`, a recorded member
 * with no records of that service, and the answers name it back. The scenario computes nothing:
 * it only remembers which recorded state it is in.
 */
export class Scenario {
  private workspace: string[] = [];
  private readonly members = new Map<string, string[]>();
  private readonly known: Set<string>;

  /**
   * `days` is how many days the fake's today is after the recording's: answers are moved by
   * that many days and arguments back (demo mode; 0 when a test's clock is RECORDED_NOW).
   * With `demo`, a call nobody recorded is refused with demoUnrecorded instead of throwing
   * Unrecorded, and changes nothing.
   */
  constructor(
    private readonly rec: Recording,
    private readonly service: string,
    private readonly blank: string,
    private readonly days: () => number = () => 0,
    private readonly opts: { demo?: boolean } = {},
  ) {
    this.known = new Set(recordedMembers().map((m) => m.id));
  }

  /** The recorded answer of a call that changes nothing, about `member` (or about none: ''). */
  read<T>(method: string, args: unknown[], member = ''): T {
    return this.answer<T>(method, args, member);
  }

  /**
   * The recorded answer of a change; once accepted, the state moves on: a change about
   * `member` moves that member's state, any other the workspace's.
   */
  step<T>(method: string, args: unknown[], member = ''): T {
    const out = this.answer<T>(method, args, member);
    const key = recordedKey(method, this.as(member, shiftDates(args, -this.days())));
    if (member === '') this.workspace = [...this.workspace, key];
    else this.members.set(member, [...(this.members.get(member) ?? []), key]);
    return out;
  }

  private answer<T>(method: string, args: unknown[], member: string): T {
    const state = `${this.workspace.join(STEP)}|${(this.members.get(member) ?? []).join(STEP)}|`;
    const days = this.days();
    const sent = this.as(member, shiftDates(args, -days));
    let answer: T;
    try {
      answer = replay<T>(this.rec, this.service, state + method, sent);
    } catch (e) {
      if (this.opts.demo && e instanceof Unrecorded) throw demoUnrecorded(this.service, method);
      throw e;
    }
    const out = shiftDates(answer, days);
    return member && !this.known.has(member) ? renamed(out, this.blank, member) : out;
  }

  /** `v` with an unrecorded member's id replaced by the blank one's. */
  private as<T>(member: string, v: T): T {
    return member && !this.known.has(member) ? renamed(v, member, this.blank) : v;
  }
}

const STEP = ' › ';

/** `v` with every string equal to `from` replaced by `to`. */
function renamed<T>(v: T, from: string, to: string): T {
  if (v === from) return to as T;
  if (Array.isArray(v)) return v.map((x: unknown) => renamed(x, from, to)) as T;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, renamed(x, from, to)]),
    ) as T;
  }
  return v;
}

/** The Members screen's recorded scenarios: its list, adding, editing, deleting (app/recorded_members_test.go). */
export const MEMBERS_LIST_RECORDING = membersListFile as Recording;

/** Members' stories as the drawer pages and filters them (app/recorded_timeline_test.go). */
export const MEMBERS_TIMELINE_RECORDING = membersTimelineFile as Recording;
/** The recorded member with nothing but their creation: unrecorded members' stories are theirs. */
export const TIMELINE_BLANK = 'member-blank';

/** The newsletter screens' recorded scenarios (app/recorded_newsletter_test.go). */
export const NEWSLETTER_RECORDING = newsletterFile as Recording;

/** The consent screens' recorded scenarios (app/recorded_consent_test.go). */
export const CONSENT_RECORDING = consentFile as Recording;
/** The recorded member with no consent at all: unrecorded members are answered as this one. */
export const CONSENT_BLANK = 'member-12';

/** The Automations tab's recorded scenarios (app/recorded_automations_test.go). */
export const AUTOMATIONS_RECORDING = automationsFile as Recording;

/** The tasks panel's recorded scenarios (app/recorded_tasks_test.go). */
export const TASKS_RECORDING = tasksFile as Recording;

/** The calendar's and the posting slots' recorded scenarios (app/recorded_calendar_test.go). */
export const CALENDAR_RECORDING = calendarFile as Recording;

/** The Reports screen's recorded scenarios (app/recorded_reports_test.go). */
export const REPORTS_RECORDING = reportsFile as Recording;

/** Settings > Connections' and the Sync screen's recorded scenarios (app/recorded_connections_test.go). */
export const CONNECTIONS_RECORDING = connectionsFile as Recording;

/** The import wizard's recorded scenarios (app/recorded_import_test.go). */
export const IMPORT_RECORDING = importFile as Recording;

/** The personal-data screens' recorded scenarios (app/recorded_gdpr_test.go). */
export const GDPR_RECORDING = gdprFile as Recording;

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STAMP = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/;

/** Whole days from the day of `a` to the day of `b`, on the local calendar. */
export function daysBetween(a: Date, b: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((day(b) - day(a)) / DAY_MS);
}

/**
 * Whole weeks from the day of `a` to the day of `b`, in days (a multiple of 7, rounded down):
 * a shift that keeps the weekday, for answers that name one (a calendar's weeks, a weekly
 * series, a report run on Mondays). It takes `b` to a day of the week starting on `a`'s day.
 */
export function wholeWeeksBetween(a: Date, b: Date): number {
  return 7 * Math.floor(daysBetween(a, b) / 7);
}

/**
 * `v` with every day (YYYY-MM-DD) and moment (RFC 3339) moved by `days`: demo mode replays the
 * recorded periods as if they were today's. Nothing is recomputed, only relabelled.
 */
export function shiftDates<T>(v: T, days: number): T {
  if (days === 0) return v;
  if (typeof v === 'string') {
    if (DAY.test(v)) {
      return new Date(Date.parse(`${v}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10) as T;
    }
    if (STAMP.test(v)) {
      const out = new Date(Date.parse(v) + days * DAY_MS).toISOString();
      // Go writes whole seconds without a fraction: keep its form, so that a moment moved
      // forth and back is the string recorded.
      return (v.endsWith('Z') && !v.includes('.') ? out.replace('.000Z', 'Z') : out) as T;
    }
    return v;
  }
  if (Array.isArray(v)) return v.map((x: unknown) => shiftDates(x, days)) as T;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shiftDates(x, days)]),
    ) as T;
  }
  return v;
}
