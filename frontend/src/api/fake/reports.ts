import type { ReportsApi } from '../api';
import type { ReportSchedule } from '../types';
import type { FakeContext } from './context';
import {
  daysBetween,
  RECORDED_NOW,
  REPORTS_RECORDING,
  Scenario,
  shiftDates,
  wholeWeeksBetween,
} from './recorded';

/** One workbook the fake "wrote" (or was asked for and cancelled). */
export interface FakeReportExport {
  kind: 'kpi' | 'members';
  from?: string;
  to?: string;
  lang: string;
  /** '' when the dialog was cancelled. */
  path: string;
}

/**
 * ReportsService replayed: every answer is what Go answered in recorded scenarios
 * (app/recorded_reports_test.go) over the recorded workspace, whose weekly report wrote its
 * workbook on Monday 9 March 2026 and was switched off since: the periods Go refuses, the
 * workbooks' names (`hearth-kpi-<from>.xlsx`), the schedule's validation and its next run are
 * Go's. The dialogs answered with the name Go suggested in ~/Documents; `cancelNextDialog`
 * plays a person cancelling the next one, which Go answers with '' once the call got past its
 * checks. In demo mode (`demo`), a call nobody recorded is refused as demo data.
 *
 * On another day than the recording's (demo mode), the KPI periods counted from today are
 * answered with the recorded ones, their dates moved by as many days, as the dashboard's
 * (the workbook's name too: `hearth-kpi-<from>`); the weekly report's schedule is moved by
 * whole weeks, so that a report Go ran on a Monday still ran on a Monday.
 */
export function createFakeReports(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const days = () => daysBetween(RECORDED_NOW, ctx.now());
  const scenario = new Scenario(REPORTS_RECORDING, 'reports', '', days, { demo: opts.demo });
  const weekly = new Scenario(
    REPORTS_RECORDING,
    'reports',
    '',
    () => wholeWeeksBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  /** The days named in a path (`hearth-kpi-2026-02-15.xlsx`), moved as the answer's were. */
  const relabel = (path: string, by: number) =>
    path.replace(/\d{4}-\d{2}-\d{2}/g, (day) => shiftDates(day, by));
  const exports: FakeReportExport[] = [];
  let cancelNext = false;

  /** The path the dialog answered with in the recording, or '' once after `cancelNextDialog`. */
  const dialog = (path: string) => {
    if (!cancelNext) return path;
    cancelNext = false;
    return '';
  };

  /** A schedule moved by whole weeks, the last file's name with it. */
  const schedule = (s: ReportSchedule): ReportSchedule =>
    s.lastFile
      ? { ...s, lastFile: relabel(s.lastFile, wholeWeeksBetween(RECORDED_NOW, ctx.now())) }
      : s;

  const api: ReportsApi = {
    exportKpi: (from, to, segment, lang) =>
      ctx.settle('reports.exportKpi', () => {
        const path = dialog(
          relabel(scenario.read<string>('exportKpi', [from, to, segment, lang]), days()),
        );
        exports.push({ kind: 'kpi', from, to, lang, path });
        return path;
      }),
    exportMembers: (lang) =>
      ctx.settle('reports.exportMembers', () => {
        const path = dialog(scenario.read<string>('exportMembers', [lang]));
        exports.push({ kind: 'members', lang, path });
        return path;
      }),
    schedule: () => ctx.settle('reports.schedule', () => schedule(weekly.read('schedule', []))),
    setSchedule: (input) =>
      ctx.settle('reports.setSchedule', () => {
        const saved = schedule(weekly.step('setSchedule', [input]));
        scenario.step('setSchedule', [input]); // the exports' state moves on alike
        return saved;
      }),
    chooseFolder: () =>
      ctx.settle('reports.chooseFolder', () => dialog(scenario.read<string>('chooseFolder', []))),
  };
  return {
    api,
    exports: () => structuredClone(exports),
    cancelNextDialog: () => {
      cancelNext = true;
    },
  };
}
