import type { ReportsApi } from '../api';
import type { ReportSchedule } from '../types';
import type { FakeContext } from './context';
import { daysBetween, RECORDED_NOW, REPORTS_RECORDING, Scenario } from './recorded';

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
 */
export function createFakeReports(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(
    REPORTS_RECORDING,
    'reports',
    '',
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  const exports: FakeReportExport[] = [];
  let cancelNext = false;

  /** The path the dialog answered with in the recording, or '' once after `cancelNextDialog`. */
  const dialog = (path: string) => {
    if (!cancelNext) return path;
    cancelNext = false;
    return '';
  };

  const api: ReportsApi = {
    exportKpi: (from, to, lang) =>
      ctx.settle('reports.exportKpi', () => {
        const path = dialog(scenario.read<string>('exportKpi', [from, to, lang]));
        exports.push({ kind: 'kpi', from, to, lang, path });
        return path;
      }),
    exportMembers: (lang) =>
      ctx.settle('reports.exportMembers', () => {
        const path = dialog(scenario.read<string>('exportMembers', [lang]));
        exports.push({ kind: 'members', lang, path });
        return path;
      }),
    schedule: () =>
      ctx.settle('reports.schedule', () => scenario.read<ReportSchedule>('schedule', [])),
    setSchedule: (input) =>
      ctx.settle('reports.setSchedule', () =>
        scenario.step<ReportSchedule>('setSchedule', [input]),
      ),
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
