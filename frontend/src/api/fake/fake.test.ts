import { describe, expect, it } from 'vitest';
import type { Api } from '../api';
import type { CreateInput, ListQuery, Member, Page } from '../types';
import { createDemoApi, createFakeApi } from '.';
import { RECORDED_NOW, Unrecorded, recordedMembers } from './recorded';

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

describe('fake Api: members', () => {
  // The members list and its changes are Go's recorded answers over the recorded workspace
  // (app/recorded_members_test.go); the fake has no search, sort or validation rule.
  const recorded = () => createFakeApi({ members: recordedMembers(), now: () => RECORDED_NOW });
  const names = (page: Page) => page.items.map((m) => m.name);

  it('rejects what Go rejects, with its field paths and codes', async () => {
    const api = recorded();
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
    const helene = recordedMembers().find((m) => m.name === 'Hélène Dupont')!;
    await expect(
      api.members.create(input({ emails: ['HELENE@example.org'] })),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'email_taken',
      fields: [{ field: 'emails[0]', code: 'unique', params: { member: helene.id } }],
    });
    expect(api.all()).toHaveLength(12);
  });

  it('finds what Go finds: every word, without case or accents, in names, e-mails, handles and tags', async () => {
    const api = recorded();
    expect(names(await api.members.list(q({ search: 'HELENE', limit: 200 })))).toEqual([
      'Hélène Dupont',
    ]);
    // Every word, in any order; a handle's platform is not searched.
    expect((await api.members.list(q({ search: 'dupont hélène', limit: 200 }))).total).toBe(1);
    expect((await api.members.list(q({ search: 'discourse', limit: 200 }))).total).toBe(0);
    expect((await api.members.list(q({ search: 'example.org', limit: 200 }))).total).toBe(12);
    // Tags ignore case.
    expect(names(await api.members.list(q({ tag: 'FR', limit: 200 })))).toEqual(
      names(await api.members.list(q({ tag: 'fr', limit: 200 }))),
    );
  });

  it('pages as Go does, and refuses what Go refuses', async () => {
    const api = recorded();
    const all = names(await api.members.list(q({ limit: 200 })));
    const pages = await Promise.all(
      [0, 5, 10].map((offset) => api.members.list(q({ offset, limit: 5 }))),
    );
    expect(pages.flatMap(names)).toEqual(all);
    expect(pages[2]).toMatchObject({ total: 12, offset: 10 });
    await expect(api.members.list(q({ limit: 501 }))).rejects.toMatchObject({
      kind: 'invalid',
      fields: [{ field: 'limit', code: 'max' }],
    });
  });

  it('adds, edits, deletes and restores as Go did, and lists what Go listed after', async () => {
    const api = recorded();
    const seen: string[][] = [];
    const off = api.events.onMembersChanged((c) => seen.push(c.ids));
    const noel = await api.members.create(
      input({ name: 'Noël Garcia', emails: ['noel@example.org'], notes: 'Met at FOSDEM' }),
    );
    expect(noel).toMatchObject({
      id: 'member-13',
      createdAt: RECORDED_NOW.toISOString().replace('.000', ''),
    });
    expect((await api.members.list(q({ limit: 200 }))).total).toBe(13);
    const edited = await api.members.update(noel.id, { notes: 'Met at FOSDEM 2026' });
    expect(edited).toMatchObject({ name: 'Noël Garcia', notes: 'Met at FOSDEM 2026' });
    await new Promise((r) => setTimeout(r, 0));
    off();
    expect(seen).toEqual([[noel.id], [noel.id]]);

    const other = recorded();
    const helene = await other.members.delete('member-01');
    expect((await other.members.list(q({ limit: 200 }))).total).toBe(11);
    const back = await other.members.restore(helene);
    expect(back.id).toBe('member-01');
    expect((await other.members.list(q({ limit: 200 }))).total).toBe(12);
  });

  it('says Go has no such member', async () => {
    const api = recorded();
    await api.members.update('member-03', { name: 'Bruno Petit-Leroy' });
    await expect(api.members.update('nope', { notes: 'hi' })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'member_not_found',
    });
  });

  it('lists members Go was not shown as given, and refuses to search or sort them', async () => {
    const mine = recordedMembers().slice(0, 3).reverse();
    const api = createFakeApi({ members: mine });
    expect(names(await api.members.list(q()))).toEqual(mine.map((m) => m.name));
    await expect(api.members.list(q({ search: 'ana' }))).rejects.toThrow(
      /answered by Go's recordings only/,
    );
    await expect(api.members.list(q({ sort: 'email' }))).rejects.toThrow(Unrecorded);
    await expect(api.members.create(input({ emails: ['x@example.org'] }))).rejects.toThrow(
      Unrecorded,
    );
    const demo = createDemoApi(3);
    await expect(demo.members.list(q({ search: 'ana' }))).rejects.toMatchObject({
      code: 'demo_unrecorded',
    });
  });
});

describe('fake Api: consent, personal data, import', () => {
  // A member Go was not shown: consent answers her as the recorded member with no consent.
  const mine = (): Member => ({
    ...input({ name: 'Hélène', emails: ['helene@example.org'] }),
    id: 'mine-1',
    createdAt: RECORDED_NOW.toISOString(),
    updatedAt: RECORDED_NOW.toISOString(),
  });
  const helene = async (api: ReturnType<typeof createFakeApi>) => api.members.get('mine-1');

  it('replays Go’s consent answers state by state, for a member Go was not shown too', async () => {
    const api = createFakeApi({ members: [mine()], now: () => RECORDED_NOW });
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
    const api = createFakeApi({ members: [mine()], now: () => RECORDED_NOW });
    const m = await helene(api);
    const reminders = (await api.consent.purposes()).find((p) => p.id === 'event_reminders')!;
    await api.consent.savePurpose({ ...reminders, archived: true });
    await expect(
      api.consent.grant({ memberId: m.id, purpose: 'event_reminders' }),
    ).rejects.toMatchObject({ kind: 'invalid', fields: [{ field: 'purpose', code: 'archived' }] });
  });

  it('refuses in demo mode what nobody recorded, saying it is demo data', async () => {
    const api = createDemoApi(0);
    const demo = { code: 'demo_unrecorded' };
    await expect(
      api.consent.grant({ memberId: 'member-01', purpose: 'analytics' }),
    ).rejects.toMatchObject(demo);
    await expect(api.gdpr.erase('member-01', 'nobody@example.org')).rejects.toMatchObject(demo);
    await expect(api.automations.delete('nope')).rejects.toMatchObject(demo);
    await expect(api.backups.restore('nope-nope')).rejects.toMatchObject(demo);
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
