import type { ImportApi } from '../api';
import {
  importDoneEvent,
  importProgressEvent,
  type ImportPreview,
  type ImportRequest,
  type ImportRowError,
  type ImportSummary,
  type Member,
} from '../types';
import { FAKE_ACTOR, invalid, notFound, type FakeContext } from './context';
import type { FakeConsent } from './consent';
import { isEmail } from './text';

const HEADERS = [
  'Email Address',
  'First Name',
  'Last Name',
  'TAGS',
  'OPTIN_TIME',
  'OPTIN_IP',
  'MEMBER_RATING',
  'Favourite language',
];

/** The automatic mapping of a Mailchimp export; the last two columns are left for the user. */
const AUTO = [
  'email',
  'first_name',
  'last_name',
  'tags',
  'consent:optin_time',
  'consent:optin_ip',
  'ignore',
  'ignore',
];

/** A Mailchimp "subscribed" export: a bad e-mail is rejected, the same person twice merges. */
const ROWS: string[][] = [
  [
    'amelie.roux@example.org',
    'Amélie',
    'Roux',
    '"newsletter","volunteer"',
    '2024-03-02 10:14:00',
    '203.0.113.7',
    '4',
    'Python',
  ],
  [
    'kenji.sato@example.net',
    'Kenji',
    'Sato',
    '"speaker"',
    '2024-05-19 18:40:12',
    '198.51.100.23',
    '3',
    'Rust',
  ],
  ['jose.ortega(at)example.com', 'José', 'Ortega', '', '2024-06-01 08:00:00', '', '2', 'Go'],
  [
    'Amelie.Roux@example.org',
    'Amélie',
    'Roux',
    '',
    '2024-03-02 10:14:00',
    '203.0.113.7',
    '4',
    'Python',
  ],
  [
    'priya.n@example.com',
    'Priya',
    'Natarajan',
    '"newsletter"',
    '2025-01-08 12:00:00',
    '192.0.2.44',
    '5',
    'TypeScript',
  ],
  [
    'mallory@example.com',
    '<img src=x onerror=alert(1)>',
    'Mallory',
    '',
    '2025-02-14 09:30:00',
    '',
    '1',
    '<b>bold</b>',
  ],
];

const BASE_FIELDS = [
  'email',
  'email2',
  'name',
  'first_name',
  'last_name',
  'tags',
  'notes',
  'phone',
  'city',
  'handle:discourse',
  'handle:discord',
  'handle:mastodon',
  'handle:other',
  'join_date',
];
const CONSENT_FIELDS = [
  'consent:optin_time',
  'consent:optin_ip',
  'consent:confirm_time',
  'consent:confirm_ip',
];

export interface FakeImportOptions {
  /** What ChooseFile returns; `demo.csv` by default, a `.xlsx` name gives a workbook. */
  file?: string;
  /** Progress events before the summary, and the delay between them. */
  ticks?: number;
  tickMs?: number;
}

/** A request with Go's zero values where the caller left a field out. */
const filledRequest = (req: ImportRequest): Required<ImportRequest> => ({
  path: '',
  sheet: '',
  mapping: {},
  dryRun: false,
  enrol: false,
  lang: '',
  jobId: '',
  ...req,
});

interface Job {
  req: Required<ImportRequest>;
  cancelled: boolean;
  done: boolean;
  summary: ImportSummary;
}

/** Parses `2024-03-02 10:14:00` (Mailchimp's UTC format) or RFC 3339. */
function parseTime(s: string): string | null {
  const d = new Date(/^\d{4}-\d\d-\d\d \d/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The import part of the fake: a canned Mailchimp export, and jobs that tick. */
export function createFakeImports(ctx: FakeContext, consent: FakeConsent, opts: FakeImportOptions) {
  const jobs = new Map<string, Job>();
  const requests: ImportRequest[] = [];
  const suppressed = new Set<string>();
  let seq = 0;
  const ticks = opts.ticks ?? 5;
  const tickMs = opts.tickMs ?? 200;

  const preview = (input: ImportRequest): ImportPreview => {
    const req = filledRequest(input);
    if (req.path === '') throw invalid([{ field: 'path', code: 'required' }]);
    const xlsx = req.path.toLowerCase().endsWith('.xlsx');
    const sheets = xlsx ? ['Subscribed', 'Unsubscribed'] : [];
    const sheet = xlsx ? req.sheet || 'Subscribed' : '';
    if (xlsx && !sheets.includes(sheet)) throw invalid([{ field: 'sheet', code: 'invalid' }]);
    return {
      format: xlsx ? 'xlsx' : 'csv',
      source: 'mailchimp',
      encoding: xlsx ? '' : 'UTF-8',
      delimiter: xlsx ? '' : ',',
      sheets,
      sheet,
      header: [...HEADERS],
      columns: HEADERS.map((header, index) => ({
        index,
        header,
        field: AUTO[index] ?? 'ignore',
        auto: AUTO[index] !== 'ignore',
      })),
      rows: (sheet === 'Unsubscribed' ? ROWS.slice(0, 1) : ROWS).map((cells, i) => ({
        line: i + 2,
        cells,
      })),
      fields: [...BASE_FIELDS, ...HEADERS.map((h) => `custom:${h}`), 'ignore', ...CONSENT_FIELDS],
    };
  };

  const byEmail = (email: string): Member | undefined => {
    const lower = email.toLowerCase();
    return ctx.members.all().find((m) => m.emails.some((e) => e.toLowerCase() === lower));
  };

  /**
   * Imports one row into the job's summary, and into the store unless it is a dry run.
   * Returns the id of the member written, if any.
   */
  const importRow = (
    job: Job,
    cells: string[],
    line: number,
    seen: Map<string, string>,
  ): string | undefined => {
    const { mapping, dryRun } = job.req;
    const value = (field: string) =>
      HEADERS.filter((h) => mapping[h] === field)
        .map((h) => (cells[HEADERS.indexOf(h)] ?? '').trim())
        .find((v) => v !== '') ?? '';
    const columnOf = (field: string) => HEADERS.find((h) => mapping[h] === field) ?? '';
    const reject = (e: Omit<ImportRowError, 'line' | 'field'> & { field?: string }): undefined => {
      job.summary.rejected++;
      job.summary.errors.push({ line, field: '', ...e });
      return undefined;
    };

    const email = value('email');
    const handles = (['discourse', 'discord', 'mastodon', 'other'] as const)
      .map((platform) => ({ platform, handle: value(`handle:${platform}`) }))
      .filter((h) => h.handle !== '');
    if (email === '' && handles.length === 0)
      return reject({
        column: '',
        field: 'emails',
        reason: 'required',
        message: 'no e-mail and no handle',
      });
    if (email !== '' && !isEmail(email))
      return reject({
        column: columnOf('email'),
        field: 'emails[0]',
        reason: 'email',
        message: 'not a valid e-mail address',
      });
    const key = email.toLowerCase();
    if (suppressed.has(key))
      return reject({
        column: columnOf('email'),
        field: 'emails[0]',
        reason: 'suppressed',
        message: 'this person asked to be erased',
      });
    const optin = value('consent:optin_time');
    const optinAt = optin === '' ? null : parseTime(optin);
    if (optin !== '' && optinAt === null)
      return reject({
        column: columnOf('consent:optin_time'),
        field: '',
        reason: 'date',
        message: 'not a date',
      });

    const name =
      value('name') || [value('first_name'), value('last_name')].filter(Boolean).join(' ');
    const tags = value('tags')
      .split(',')
      .map((t) => t.trim().replace(/^"|"$/g, ''))
      .filter(Boolean);
    const customFields: Record<string, string> = {};
    for (const h of HEADERS) {
      const f = mapping[h] ?? '';
      const v = (cells[HEADERS.indexOf(h)] ?? '').trim();
      if (v === '') continue;
      if (f.startsWith('custom:')) customFields[f.slice(7)] = v;
      if (['phone', 'city', 'email2'].includes(f)) customFields[f] = v;
    }
    const notes = value('notes');
    // Mailchimp's opt-in is when the person joined the list: their member_since.
    if (optinAt) customFields['member_since'] = optinAt.replace('.000Z', 'Z');

    // A later row of a person met earlier in the file merges into that member (tags add up,
    // blanks fill), as the Go side merges the rows of one person before writing.
    const sameFile = email !== '' ? seen.get(key) : undefined;
    if (sameFile !== undefined) {
      job.summary.merged++;
      const earlier = ctx.members.all().find((m) => m.id === sameFile);
      if (!earlier || job.req.dryRun) return undefined;
      ctx.members.put({
        ...earlier,
        name: earlier.name || name,
        tags: [...new Set([...earlier.tags, ...tags])],
        customFields: { ...customFields, ...earlier.customFields },
        notes: earlier.notes || notes,
      });
      return earlier.id;
    }

    const existing = email !== '' ? byEmail(email) : undefined;
    const stamp = ctx.now().toISOString();
    let member: Member;
    if (existing) {
      const merged: Member = {
        ...existing,
        name: existing.name || name,
        tags: [...new Set([...existing.tags, ...tags])],
        customFields: { ...customFields, ...existing.customFields },
      };
      if (optinAt) job.summary.joinDates++;
      seen.set(key, existing.id);
      if (JSON.stringify(merged) === JSON.stringify(existing)) {
        job.summary.unchanged++;
        return undefined;
      }
      job.summary.updated++;
      member = { ...merged, updatedAt: stamp };
    } else {
      job.summary.created++;
      if (optinAt) job.summary.joinDates++;
      member = {
        id: ctx.members.newId(),
        name,
        emails: email ? [email] : [],
        handles,
        tags,
        customFields,
        notes,
        createdAt: stamp,
        updatedAt: stamp,
        // An import is not a sign-up: automations pass its members by unless it asked.
        ...(job.req.enrol ? {} : { noAutoEnrol: true }),
      };
      if (email !== '') seen.set(key, member.id);
    }
    if (dryRun) return undefined;
    ctx.members.put(member);
    if (optinAt) {
      const file = job.req.path.split(/[\\/]/).pop() ?? job.req.path;
      consent.record({
        id: `import-${member.id}`,
        memberId: member.id,
        purpose: 'newsletter',
        kind: 'granted',
        at: optinAt,
        method: 'import',
        by: FAKE_ACTOR,
        noticeVersion: '',
        noticeSha256: '',
        recordedAt: stamp,
        source: file,
        proof: { ip: value('consent:optin_ip'), file, row: line, formData: {} },
      });
    }
    return member.id;
  };

  const run = (jobId: string, job: Job) => {
    const rows = preview(job.req).rows;
    const seen = new Map<string, string>(); // e-mail -> id of the member its first row made
    const changed: string[] = [];
    let done = 0;
    let tick = 0;
    const finish = () => {
      job.done = true;
      if (!job.req.dryRun) {
        const s = job.summary;
        ctx.audit(
          'members_imported',
          '',
          `${s.created} created, ${s.updated} updated, ${s.rejected} rejected`,
        );
        if (changed.length > 0) ctx.members.changed(changed);
      }
      ctx.emit(importDoneEvent(jobId), job.summary);
    };
    const step = () => {
      if (job.cancelled) {
        job.summary.cancelled = true;
        return finish();
      }
      tick++;
      const upTo = Math.ceil((tick / ticks) * rows.length);
      for (; done < upTo && done < rows.length; done++) {
        const row = rows[done]!;
        const id = importRow(job, row.cells, row.line, seen);
        if (id) changed.push(id);
      }
      ctx.emit(importProgressEvent(jobId), { rows: done, fraction: tick / ticks });
      if (tick >= ticks) finish();
      else setTimeout(step, tickMs);
    };
    setTimeout(step, tickMs);
  };

  const api: ImportApi = {
    chooseFile: () => ctx.settle('imports.chooseFile', () => opts.file ?? 'demo.csv'),
    preview: (req) => ctx.settle('imports.preview', () => preview(req)),
    start: (input) =>
      ctx.settle('imports.start', () => {
        const req = filledRequest(input);
        const allowed = new Set(preview(req).fields);
        const bad = Object.entries(req.mapping).filter(([, f]) => !allowed.has(f));
        if (bad.length > 0)
          throw invalid(bad.map(([h]) => ({ field: `mapping.${h}`, code: 'invalid' })));
        requests.push(structuredClone(req));
        const jobId = `job${++seq}`;
        const job: Job = {
          req: structuredClone(req),
          cancelled: false,
          done: false,
          summary: {
            jobId,
            file: req.path,
            merged: 0,
            joinDates: 0,
            expiredConsents: [],
            dryRun: req.dryRun,
            cancelled: false,
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            errors: [],
          },
        };
        jobs.set(jobId, job);
        run(jobId, job);
        return jobId;
      }),
    cancel: (jobId) =>
      ctx.settle('imports.cancel', () => {
        const job = jobs.get(jobId);
        if (!job) throw notFound('job_not_found', `job ${jobId}`);
        job.cancelled = true;
      }),
    saveRejected: (jobId) =>
      ctx.settle('imports.saveRejected', () => {
        if (!jobs.get(jobId)?.done) throw notFound('job_not_found', `job ${jobId}`);
        return `/home/demo/Documents/${jobId}-rejected.csv`;
      }),
  };

  return {
    api,
    /** Every request Start received, for assertions. */
    requests: () => structuredClone(requests),
    /** E-mails of erased members: never imported again. */
    suppress: (emails: string[]) => emails.forEach((e) => suppressed.add(e.toLowerCase())),
  };
}
