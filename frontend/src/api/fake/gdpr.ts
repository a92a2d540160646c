import type { ExportApi, GdprApi, SettingsApi } from '../api';
import type { Member, Settings } from '../types';
import { addMonths, invalid, type FakeContext } from './context';
import type { FakeConsent } from './consent';
import { fold } from './text';

const DOCUMENTS = '/home/demo/Documents';

const slug = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'member';

/** The personal-data part of the fake: export, erase, inactive members, anonymising, audit. */
export function createFakeGdpr(
  ctx: FakeContext,
  consent: FakeConsent,
  suppress: (emails: string[]) => void,
): GdprApi {
  return {
    export: (memberId) =>
      ctx.settle('gdpr.export', () => {
        const m = ctx.members.require(memberId);
        ctx.audit('member_exported', memberId, '');
        return `${DOCUMENTS}/${slug(m.name || m.emails[0] || m.id)}-${ctx.now().toISOString().slice(0, 10)}`;
      }),
    erase: (memberId, confirmation) =>
      ctx.settle('gdpr.erase', () => {
        const m = ctx.members.require(memberId);
        const primary = m.emails[0];
        const typed = confirmation.trim();
        const matches = primary
          ? typed.toLowerCase() === primary.toLowerCase()
          : typed !== '' && typed === m.name.trim();
        if (!matches)
          throw invalid(
            [{ field: 'confirmation', code: 'mismatch' }],
            'confirmation_mismatch',
            'confirmation does not match the member',
          );
        ctx.members.remove(memberId);
        consent.forget(memberId);
        suppress(m.emails);
        ctx.audit('member_erased', memberId, '');
        ctx.members.changed([memberId]);
      }),
    inactive: (months) =>
      ctx.settle('gdpr.inactive', () => {
        if (!Number.isInteger(months) || months < 1)
          throw invalid([{ field: 'months', code: 'min', params: { min: '1' } }]);
        const now = ctx.now();
        return ctx.members
          .all()
          .filter((m) => addMonths(m.updatedAt, months) <= now)
          .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      }),
    anonymise: (ids) =>
      ctx.settle('gdpr.anonymise', () => {
        const done: string[] = [];
        for (const id of ids) {
          const m = ctx.members.find(id);
          if (!m) continue;
          const anonymous: Member = {
            ...m,
            name: `Anonymous ${id.slice(-6)}`,
            emails: [],
            handles: [],
            customFields: {},
            notes: '',
            updatedAt: ctx.now().toISOString(),
          };
          ctx.members.put(anonymous);
          consent.forget(id);
          done.push(id);
        }
        if (done.length > 0) {
          ctx.audit('members_anonymised', '', `${done.length}`);
          ctx.members.changed(done);
        }
        return done.length;
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

export function createFakeSettings(ctx: FakeContext, initial: Settings): SettingsApi {
  let settings = { ...initial };
  return {
    get: () => ctx.settle('settings.get', () => settings),
    save: (s) =>
      ctx.settle('settings.save', () => {
        const r = s.retentionMonths;
        if (!Number.isInteger(r) || r < 0)
          throw invalid([{ field: 'retentionMonths', code: 'min', params: { min: '0' } }]);
        if (r > 600)
          throw invalid([{ field: 'retentionMonths', code: 'max', params: { max: '600' } }]);
        settings = { ...s };
        return settings;
      }),
  };
}
