import type { ImportApi } from '../api';
import { type ConsentEvent, type ImportPreview, type ImportRequest, type Member } from '../types';
import type { FakeContext } from './context';
import type { FakeConsent } from './consent';
import { IMPORT_RECORDING, Scenario } from './recorded';

/** Where the recorded file dialogs answer (app/recorded_gdpr_test.go's recordedDocuments). */
const DOCUMENTS = '/home/demo/Documents';

/**
 * The files the recordings imported (app/recorded_import_test.go), by the path the file dialog
 * answered: the Mailchimp export of app/testdata (the dialog's answer unless a test says
 * otherwise), a list longer than one of Go's batches (to cancel between two) and a workbook.
 */
export const RECORDED_IMPORT_FILES = {
  mailchimp: `${DOCUMENTS}/mailchimp-subscribed.csv`,
  long: `${DOCUMENTS}/long-list.csv`,
  workbook: `${DOCUMENTS}/list.xlsx`,
};

/** The job id the recordings were made with: the window's own ids are answered as this one. */
const RECORDED_JOB = 'job';

export interface FakeImportOptions {
  /** What ChooseFile answers: the recorded Mailchimp export by default. */
  file?: string;
  /**
   * The delay before each event Go emitted for a job: a number, or one per event (its index in
   * the job's events, and whether the job is a dry run) to hold a job where a test acts.
   */
  tickMs?: number | ((index: number, dryRun: boolean) => number);
  /** Demo mode: a call nobody recorded is refused as demo data. */
  demo?: boolean;
}

/** What Go did for one Start: its events in order, then the members and consent it wrote. */
interface RecordedRun {
  events: { name: string; payload: unknown }[];
  members: Member[];
  consentEvents: ConsentEvent[];
}

interface Job {
  id: string;
  /** The request as recorded: the window's job id replaced by the recordings'. */
  req: ImportRequest;
  run: RecordedRun;
  emitted: number;
  done: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The import part of the fake. Every answer replays what Go's ImportService answered in
 * recorded scenarios (app/recorded_import_test.go) over the recorded workspace, whose
 * newsletter consent lasts 24 months: the preview (format, source, automatic mapping, fields),
 * the rejections, and each job's progress and done events in the order Go emitted them, the
 * summary's counts, merged rows, join dates and expired consents included. When a job's summary
 * is out, the members Go created or changed join the fake's list and the consent it recorded
 * the consent log. A cancel replays Go's cancel: a job Go had finished by then ends as recorded.
 * The state is the real imports done so far (a dry run changes nothing).
 */
export function createFakeImports(ctx: FakeContext, consent: FakeConsent, opts: FakeImportOptions) {
  // Answers are not moved to the fake's today: their dates are the file's.
  const scenario = new Scenario(IMPORT_RECORDING, 'imports', '', () => 0, { demo: opts.demo });
  const jobs = new Map<string, Job>();
  const requests: ImportRequest[] = [];
  const delay = (job: Job) => {
    const ms = opts.tickMs ?? 200;
    return typeof ms === 'number' ? ms : ms(job.emitted, job.req.dryRun ?? false);
  };

  /** `v` as answered for the window's job `id`. */
  const asJob = <T>(v: T, id: string): T =>
    JSON.parse(JSON.stringify(v), (_, x: unknown) => (x === RECORDED_JOB ? id : x)) as T;

  const emitNext = (job: Job) => {
    const event = job.run.events[job.emitted];
    if (!event) return;
    job.emitted++;
    const name = event.name.slice(0, event.name.length - RECORDED_JOB.length) + job.id;
    const last = job.emitted === job.run.events.length;
    if (last) {
      job.done = true;
      for (const m of job.run.members) ctx.members.put(m);
      for (const e of job.run.consentEvents) consent.record(e);
      if (job.run.members.length > 0) ctx.members.changed(job.run.members.map((m) => m.id));
    }
    ctx.emit(name, asJob(event.payload, job.id));
    if (!last) job.timer = setTimeout(() => emitNext(job), delay(job));
  };

  const start = (input: ImportRequest): string => {
    const id = input.jobId ?? '';
    const req = { ...input, jobId: id === '' ? '' : RECORDED_JOB };
    const answer = input.dryRun
      ? scenario.read<string>('start', [req])
      : scenario.step<string>('start', [req]);
    requests.push(structuredClone(input));
    const job: Job = {
      id: asJob(answer, id),
      req,
      run: scenario.read<RecordedRun>('run', [req]),
      emitted: 0,
      done: false,
    };
    jobs.set(job.id, job);
    job.timer = setTimeout(() => emitNext(job), delay(job));
    return job.id;
  };

  const cancel = (id: string) => {
    const job = jobs.get(id);
    scenario.step<null>('cancel', [job ? RECORDED_JOB : id]);
    if (!job || job.done) return;
    // What Go did once cancelled: it stops between batches, or had already written the last.
    const after = scenario.read<RecordedRun>('run', [job.req]);
    const sent = JSON.stringify(job.run.events.slice(0, job.emitted));
    if (JSON.stringify(after.events.slice(0, job.emitted)) === sent) job.run = after;
    // What follows a cancel comes without waiting for the next tick.
    clearTimeout(job.timer);
    job.timer = setTimeout(() => emitNext(job), 0);
  };

  const api: ImportApi = {
    chooseFile: () =>
      ctx.settle('imports.chooseFile', () => opts.file ?? RECORDED_IMPORT_FILES.mailchimp),
    preview: (req) =>
      ctx.settle('imports.preview', () => scenario.read<ImportPreview>('preview', [req])),
    start: (input) => ctx.settle('imports.start', () => start(input)),
    cancel: (jobId) => ctx.settle('imports.cancel', () => cancel(jobId)),
    saveRejected: (jobId) =>
      ctx.settle('imports.saveRejected', () =>
        scenario.read<string>('saveRejected', [jobs.has(jobId) ? RECORDED_JOB : jobId]),
      ),
  };

  return {
    api,
    /** Every request Start received, for assertions. */
    requests: () => structuredClone(requests),
    /**
     * An erased member's addresses, which Go's imports then refuse: the state moves on where
     * the recordings erased them; an erasure they did not make leaves the imports' answers as
     * recorded (the recorded files hold none of the fake's other members).
     */
    suppress: (emails: string[]) => {
      try {
        scenario.step<null>('erase', [emails]);
      } catch {
        // not recorded: see above
      }
    },
  };
}
