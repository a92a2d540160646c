import type { ExportApi, GdprApi, SettingsApi } from '../api';
import type { Member, Settings } from '../types';
import type { FakeContext } from './context';
import type { FakeConsent } from './consent';
import { daysBetween, GDPR_RECORDING, RECORDED_NOW, Scenario } from './recorded';

const DOCUMENTS = '/home/demo/Documents';

/**
 * The personal-data screens' recorded scenarios (app/recorded_gdpr_test.go): erasure and its
 * confirmation, inactive members, anonymising and the retention setting are Go's answers. One
 * scenario serves GdprService and SettingsService: they change the same workspace. In demo
 * mode (`demo`), a call nobody recorded is refused with a notice that this is demo data.
 */
export function createGdprScenario(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  return new Scenario(GDPR_RECORDING, 'gdpr', '', () => daysBetween(RECORDED_NOW, ctx.now()), {
    demo: opts.demo,
  });
}

/**
 * The personal-data part of the fake. What Go decides is replayed; the fake only mirrors its
 * effects in its own bookkeeping: an erased or anonymised member leaves the member list (Go's
 * anonymising erases without suppressing), an erased one's e-mails are suppressed for the
 * fake importer, and the audit log notes what the window did.
 */
export function createFakeGdpr(
  ctx: FakeContext,
  scenario: Scenario,
  consent: FakeConsent,
  suppress: (emails: string[]) => void,
): GdprApi {
  const forget = (ids: string[]) => {
    for (const id of ids) {
      ctx.members.remove(id);
      consent.forget(id);
    }
  };
  return {
    export: (memberId) =>
      ctx.settle('gdpr.export', () => {
        ctx.members.require(memberId);
        const dir = scenario.read<string>('export', [memberId]);
        ctx.audit('member_exported', memberId, '');
        return dir;
      }),
    erase: (memberId, confirmation) =>
      ctx.settle('gdpr.erase', () => {
        const m = ctx.members.require(memberId);
        scenario.step<null>('erase', [memberId, confirmation]);
        forget([memberId]);
        suppress(m.emails);
        ctx.audit('member_erased', memberId, '');
        ctx.members.changed([memberId]);
      }),
    inactive: (months) =>
      ctx.settle('gdpr.inactive', () => scenario.read<Member[]>('inactive', [months])),
    anonymise: (ids) =>
      ctx.settle('gdpr.anonymise', () => {
        const n = scenario.step<number>('anonymise', [ids]);
        const done = ids.filter((id) => ctx.members.find(id));
        forget(done);
        if (n > 0) {
          ctx.audit('members_anonymised', '', `${n}`);
          ctx.members.changed(done);
        }
        return n;
      }),
    audit: (memberId, limit) =>
      ctx.settle('gdpr.audit', () =>
        ctx
          .auditLog()
          .filter((e) => memberId === '' || e.memberId === memberId)
          .slice(0, limit),
      ),
  };
}

export function createFakeExports(ctx: FakeContext): ExportApi {
  return {
    export: (req) =>
      ctx.settle('exports.export', () => {
        ctx.audit('members_exported', '', `${req.format}; tag=${req.tag}; search=${req.search}`);
        return `${DOCUMENTS}/members.${req.format}`;
      }),
  };
}

/** Settings' retention: Go's recorded answers, in the personal-data scenario. */
export function createFakeSettings(ctx: FakeContext, scenario: Scenario): SettingsApi {
  return {
    get: () => ctx.settle('settings.get', () => scenario.read<Settings>('settings', [])),
    save: (s) => ctx.settle('settings.save', () => scenario.step<Settings>('saveSettings', [s])),
  };
}
