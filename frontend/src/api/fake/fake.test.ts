import { describe, expect, it } from 'vitest';
import type { Api } from '../api';
import type { CreateInput, ListQuery } from '../types';
import { createFakeApi } from '.';
import { RECORDED_NOW, recordedMembers } from './recorded';

// Pins the fake to the interface, and its behaviour to the Go contract.
const _typed: Api = createFakeApi();
void _typed;

const input = (over: Partial<CreateInput>): CreateInput => ({
  name: '',
  emails: [],
  handles: [],
  tags: [],
  customFields: {},
  notes: '',
  ...over,
});
const q = (over: Partial<ListQuery> = {}): ListQuery => ({
  search: '',
  tag: '',
  sort: 'name',
  desc: false,
  offset: 0,
  limit: 50,
  ...over,
});

describe('fake Api', () => {
  it('validates with the Go field paths and codes', async () => {
    const api = createFakeApi();
    await expect(
      api.members.create(
        input({
          emails: ['ok@example.org', 'bad'],
          handles: [{ platform: 'myspace', handle: '' }],
        }),
      ),
    ).rejects.toMatchObject({
      kind: 'invalid',
      code: 'invalid_input',
      fields: [
        { field: 'emails[1]', code: 'email' },
        { field: 'handles[0].platform', code: 'platform' },
        { field: 'handles[0].handle', code: 'required' },
      ],
    });
  });

  it('refuses an e-mail another member has, ignoring case', async () => {
    const api = createFakeApi();
    const first = await api.members.create(input({ emails: ['a@example.org'] }));
    await expect(api.members.create(input({ emails: ['A@Example.org'] }))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'email_taken',
      fields: [{ field: 'emails[0]', code: 'unique', params: { member: first.id } }],
    });
  });

  it('searches names, e-mails, handles and tags without case or accents', async () => {
    const api = createFakeApi();
    await api.members.create(input({ name: 'Hélène', emails: ['h@example.org'] }));
    await api.members.create(
      input({
        emails: ['z@example.org'],
        handles: [{ platform: 'mastodon', handle: '@zoe@social.example' }],
        tags: ['Bénévole'],
      }),
    );
    expect((await api.members.list(q({ search: 'HELENE' }))).total).toBe(1);
    expect((await api.members.list(q({ search: 'zoe@social' }))).total).toBe(1);
    expect((await api.members.list(q({ search: 'benevole' }))).total).toBe(1);
    expect((await api.members.list(q({ search: 'example.org' }))).total).toBe(2);
  });

  it('pages, counts, and restores a deleted member with the same id', async () => {
    const api = createFakeApi();
    for (let i = 0; i < 5; i++)
      await api.members.create(
        input({ name: `M${i}`, emails: [`m${i}@example.org`], tags: ['x'] }),
      );
    const page = await api.members.list(q({ offset: 3, limit: 10 }));
    expect(page).toMatchObject({ total: 5, offset: 3 });
    expect(page.items.map((m) => m.name)).toEqual(['M3', 'M4']);
    expect(await api.members.tags()).toEqual([{ tag: 'x', count: 5 }]);

    const deleted = await api.members.delete(page.items[0]!.id);
    expect((await api.members.list(q())).total).toBe(4);
    const back = await api.members.restore(deleted);
    expect(back.id).toBe(deleted.id);
    expect((await api.members.list(q())).total).toBe(5);
  });

  it('applies only the fields of a patch', async () => {
    const api = createFakeApi();
    const m = await api.members.create(
      input({ name: 'A', emails: ['a@example.org'], tags: ['t'] }),
    );
    const u = await api.members.update(m.id, { notes: 'hi' });
    expect(u).toMatchObject({ name: 'A', tags: ['t'], notes: 'hi', createdAt: m.createdAt });
    await expect(api.members.update('nope', {})).rejects.toMatchObject({
      kind: 'not_found',
      code: 'member_not_found',
    });
  });

  it('announces changes', async () => {
    const api = createFakeApi();
    const seen: string[][] = [];
    const off = api.events.onMembersChanged((c) => seen.push(c.ids));
    const m = await api.members.create(input({ emails: ['a@example.org'] }));
    await new Promise((r) => setTimeout(r, 0));
    off();
    expect(seen).toEqual([[m.id]]);
  });
});

describe('fake Api: consent, personal data, import', () => {
  const helene = (api: ReturnType<typeof createFakeApi>) =>
    api.members.create(input({ name: 'Hélène', emails: ['helene@example.org'] }));

  it('replays Go’s consent answers state by state, for a member Go was not shown too', async () => {
    const api = createFakeApi({ now: () => RECORDED_NOW });
    const m = await helene(api);
    const state = async (purpose: string) =>
      (await api.consent.summary(m.id)).find((s) => s.purpose === purpose);
    expect((await state('event_reminders'))?.state).toBe('none');
    const granted = await api.consent.grant({ memberId: m.id, purpose: 'event_reminders' });
    // Go's answer, its 12-month rule included, naming this member.
    expect(granted).toMatchObject({ state: 'granted', expiresAt: '2027-03-16T12:00:00Z' });
    expect(await state('event_reminders')).toMatchObject({ state: 'granted' });
    await api.consent.withdraw({ memberId: m.id, purpose: 'event_reminders' });
    expect((await state('event_reminders'))?.state).toBe('withdrawn');
    const history = await api.consent.history(m.id);
    expect(history.map((e) => [e.memberId, e.kind])).toEqual([
      [m.id, 'withdrawn'],
      [m.id, 'granted'],
    ]);
    // A state nobody recorded fails naming the call, never guesses.
    await expect(api.consent.grant({ memberId: m.id, purpose: 'analytics' })).rejects.toThrow(
      /no answer recorded from Go for consent\..*grant/,
    );
  });

  it('refuses consent for an archived purpose, as Go does', async () => {
    const api = createFakeApi({ now: () => RECORDED_NOW });
    const m = await helene(api);
    const reminders = (await api.consent.purposes()).find((p) => p.id === 'event_reminders')!;
    await api.consent.savePurpose({ ...reminders, archived: true });
    await expect(
      api.consent.grant({ memberId: m.id, purpose: 'event_reminders' }),
    ).rejects.toMatchObject({ kind: 'invalid', fields: [{ field: 'purpose', code: 'archived' }] });
  });

  it('erases only once Go accepts the confirmation, and forgets the member', async () => {
    const api = createFakeApi({ members: recordedMembers(), now: () => RECORDED_NOW });
    const helene = recordedMembers().find((m) => m.name === 'Hélène Dupont')!;
    await expect(api.gdpr.erase(helene.id, 'Hélène Dupont')).rejects.toMatchObject({
      fields: [{ field: 'confirmation', code: 'confirmation_mismatch' }],
    });
    await api.gdpr.erase(helene.id, 'helene@example.org');
    expect(api.all().some((m) => m.id === helene.id)).toBe(false);
    expect(api.auditLog()[0]).toMatchObject({ action: 'member_erased', memberId: helene.id });
  });
});
