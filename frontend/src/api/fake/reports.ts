import type { ReportsApi } from '../api';
import type { FieldError } from '../errors';
import { REPORT_WEEKDAYS, type ReportSchedule } from '../types';
import { invalid, type FakeContext } from './context';

const DOCUMENTS = '/home/demo/Documents';

/** One workbook the fake "wrote" (or was asked for and cancelled). */
export interface FakeReportExport {
  kind: 'kpi' | 'members';
  from?: string;
  to?: string;
  lang: string;
  /** '' when the dialog was cancelled. */
  path: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const AT = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Absolute on Unix (`/…`) or Windows (`C:\…`, `\\server\…`), like filepath.IsAbs. */
const isAbsolute = (p: string) =>
  p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** The slot after `now` for `weekday` at `at`, local time (the Go side's zone). */
export function nextSlot(weekday: string, at: string, now: Date): Date | undefined {
  const m = AT.exec(at);
  const wd = (REPORT_WEEKDAYS as readonly string[]).indexOf(weekday);
  if (!m || wd < 0) return undefined;
  // Date.getDay: 0 = Sunday; REPORT_WEEKDAYS starts on Monday.
  const target = (wd + 1) % 7;
  const ahead = (target - now.getDay() + 7) % 7;
  for (const extra of [0, 7]) {
    const d = new Date(
      now.getFullYear(),
      now.getMonth(),
      now.getDate() + ahead + extra,
      Number(m[1]),
      Number(m[2]),
    );
    if (d > now) return d;
  }
  return undefined;
}

/** The field errors ReportsService.SetSchedule gives, in the same paths and codes. */
export function validateSchedule(input: {
  enabled: boolean;
  weekday: string;
  at: string;
  folder: string;
  lang: string;
}): FieldError[] {
  const fields: FieldError[] = [];
  if (!(REPORT_WEEKDAYS as readonly string[]).includes(input.weekday))
    fields.push({ field: 'weekday', code: 'oneof', params: { value: REPORT_WEEKDAYS.join(' ') } });
  if (!AT.test(input.at)) fields.push({ field: 'at', code: 'time_of_day' });
  if (input.enabled && input.folder === '') fields.push({ field: 'folder', code: 'required' });
  else if (input.folder !== '' && !isAbsolute(input.folder))
    fields.push({ field: 'folder', code: 'absolute_path' });
  if (input.lang !== 'fr' && input.lang !== 'en')
    fields.push({ field: 'lang', code: 'oneof', params: { value: 'fr en' } });
  return fields;
}

/** ReportsService in memory: dialogs answer with paths under ~/Documents unless told to cancel. */
export function createFakeReports(ctx: FakeContext, opts: { schedule?: ReportSchedule } = {}) {
  let schedule: ReportSchedule = opts.schedule
    ? structuredClone(opts.schedule)
    : { enabled: false, weekday: 'monday', at: '08:00', folder: '', lang: 'en' };
  const exports: FakeReportExport[] = [];
  let cancelNext = false;

  /** The path the save dialog answers with, or '' once after `cancelNextDialog`. */
  const dialog = (path: string) => {
    if (!cancelNext) return path;
    cancelNext = false;
    return '';
  };
  const withNext = (s: ReportSchedule): ReportSchedule => {
    const { nextSlot: _old, ...rest } = s;
    const next = s.enabled ? nextSlot(s.weekday, s.at, ctx.now()) : undefined;
    return next ? { ...rest, nextSlot: next.toISOString() } : rest;
  };

  const api: ReportsApi = {
    exportKpi: (from, to, lang) =>
      ctx.settle('reports.exportKpi', () => {
        if (!DAY.test(from) || !DAY.test(to) || from > to)
          throw invalid([{ field: 'to', code: 'after_from' }]);
        const path = dialog(`${DOCUMENTS}/hearth-kpi-${from}-${to}.xlsx`);
        exports.push({ kind: 'kpi', from, to, lang, path });
        return path;
      }),
    exportMembers: (lang) =>
      ctx.settle('reports.exportMembers', () => {
        const day = ctx.now().toISOString().slice(0, 10);
        const path = dialog(`${DOCUMENTS}/hearth-members-${day}.xlsx`);
        exports.push({ kind: 'members', lang, path });
        return path;
      }),
    schedule: () => ctx.settle('reports.schedule', () => withNext(schedule)),
    setSchedule: (raw) =>
      ctx.settle('reports.setSchedule', () => {
        const input = {
          enabled: raw.enabled,
          weekday: raw.weekday.trim().toLowerCase(),
          at: raw.at.trim(),
          folder: raw.folder.trim(),
          lang: raw.lang || 'en',
        };
        const fields = validateSchedule(input);
        if (fields.length > 0) throw invalid(fields, 'invalid_input', 'reports: invalid schedule');
        const now = ctx.now().toISOString();
        const restart =
          input.enabled &&
          (!schedule.enabled || schedule.weekday !== input.weekday || schedule.at !== input.at);
        schedule = {
          ...schedule,
          ...input,
          updatedAt: now,
          ...(restart ? { since: now } : {}),
        };
        return withNext(schedule);
      }),
    chooseFolder: () => ctx.settle('reports.chooseFolder', () => dialog(`${DOCUMENTS}/Reports`)),
  };
  return {
    api,
    exports: () => structuredClone(exports),
    cancelNextDialog: () => {
      cancelNext = true;
    },
  };
}
