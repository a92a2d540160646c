import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Enrolment } from '../../api';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { member, renderApp } from '../../test/renderApp';

async function openCampaigns(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-campaigns'));
  await screen.findByTestId('screen-campaigns');
  return app;
}

// The newsletter screens replay Go's answers recorded at RECORDED_NOW over the recorded
// community (app/recorded_newsletter_test.go; fake/newsletter.ts): "Des nouvelles de mars" and
// "Cut-off news" were sent, Jack Smith's address bounced, Olivia Brown has no e-mail, and mail
// goes out through a loopback server.
describe('Newsletter composer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  /** Types the subject last, at once: the composer autosaves a draft only once it has one. */
  async function subject(user: UserEvent, text: string) {
    await user.click(screen.getByTestId('newsletter-subject'));
    await user.paste(text);
  }

  it('shows the send check with its exclusions, then sends with progress', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-body'), 'Hello ');
    await user.click(screen.getByTestId('newsletter-insert-field'));
    await user.click(await screen.findByTestId('newsletter-insert-name'));
    expect(screen.getByTestId('newsletter-body')).toHaveValue('Hello {{name}}');
    await user.click(screen.getByTestId('newsletter-tags'));
    await user.click(await screen.findByRole('option', { name: 'en' }));
    await subject(user, 'June news');

    await user.click(screen.getByTestId('newsletter-review'));
    const plan = await screen.findByTestId('newsletter-plan');
    // Go's send check of the English speakers: Ana Lima and Dan Roy agreed; Grace Hopper and
    // Kim Nguyen were never asked; Jack Smith's address bounced; Olivia Brown has no e-mail.
    expect(within(plan).getByTestId('newsletter-recipients')).toHaveTextContent('2');
    expect(within(plan).getByTestId('newsletter-excluded-consent')).toHaveTextContent('2');
    expect(within(plan).getByTestId('newsletter-excluded-suppressed')).toHaveTextContent('1');
    expect(within(plan).getByTestId('newsletter-excluded-no-email')).toHaveTextContent('1');
    expect(plan).toHaveTextContent('Ana Lima');

    await user.click(within(plan).getByTestId('newsletter-send'));
    const progress = await screen.findByTestId('newsletter-progress');
    await waitFor(() => expect(progress).toHaveTextContent('Sent to 2, 0 failed'));
    const sent = (await api.newsletters.list()).find((n) => n.subject === 'June news');
    expect(sent).toMatchObject({
      status: 'sent',
      tags: ['en'],
      counts: { recipients: 2, sent: 2, excludedNoConsent: 2, excludedSuppressed: 1 },
    });
    // Sent: no longer editable.
    await waitFor(() => expect(screen.queryByTestId('newsletter-review')).toBeNull());
  });

  it('shows Go’s refusal of an unknown merge field under the message', async () => {
    const { user } = await openCampaigns({ members: recordedMembers() });
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-body'), 'Hello {{{{nickname}}');
    await subject(user, 'June news');
    await user.click(screen.getByTestId('newsletter-save'));
    expect(await screen.findByTestId('field-error-bodyMarkdown')).toHaveTextContent(
      'unknown merge field nickname',
    );
  });

  it.each([
    ['fr', 'Prénom', 'Bonjour {{first_name|à toutes et à tous}}'],
    ['en', 'First name', 'Bonjour {{first_name|there}}'],
  ] as const)(
    'offers merge fields by name, with a fallback in the manager’s language (%s)',
    async (lang, label, body) => {
      const { user } = await openCampaigns({ members: recordedMembers(), lang });
      await user.click(screen.getByTestId('newsletter-new'));
      await user.type(screen.getByTestId('newsletter-body'), 'Bonjour ');
      expect(screen.getByTestId('newsletter-merge-fields').textContent).not.toContain('{{');
      await user.click(screen.getByTestId('newsletter-insert-field'));
      const item = await screen.findByTestId('newsletter-insert-first_name');
      expect(item).toHaveTextContent(label);
      await user.click(item);
      expect(screen.getByTestId('newsletter-body')).toHaveValue(body);
    },
  );

  it('previews the newsletter for a member, as safe HTML and as text', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    // The picker's page of members is the members list's answer, not the newsletter's: here
    // Hélène Dupont (member-01), whose preview Go recorded.
    const helene = recordedMembers().find((m) => m.id === 'member-01')!;
    vi.spyOn(api.members, 'list').mockResolvedValue({ items: [helene], total: 1, offset: 0 });
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-body'), 'Dear **{{{{first_name|friend}}**');
    await subject(user, 'Hi');
    await user.click(screen.getByTestId('newsletter-save'));
    const html = await screen.findByTestId('newsletter-preview-html');
    await waitFor(() => expect(html).toHaveTextContent('Dear friend'));
    expect(within(html).getByText('friend').tagName).toBe('STRONG');

    await user.click(screen.getByTestId('newsletter-preview-as'));
    await user.click(await screen.findByRole('option', { name: 'Hélène Dupont' }));
    await waitFor(() => expect(html).toHaveTextContent('Dear Hélène'));
  });

  it('sends a test to an address', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-test-to'), 'me@example.org');
    await subject(user, 'Test me');
    await user.click(screen.getByTestId('newsletter-test-send'));
    expect(await screen.findByText('Test sent to me@example.org')).toBeInTheDocument();
    expect(api.testSends()).toEqual([{ id: expect.any(String), to: 'me@example.org' }]);
  });

  it('shows Go’s refusal of a test address under it', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-test-to'), 'not an address');
    await subject(user, 'Test me');
    await user.click(screen.getByTestId('newsletter-test-send'));
    expect(await screen.findByTestId('field-error-to')).toHaveTextContent('not a valid address');
    expect(api.testSends()).toEqual([]);
  });
});

describe('Automations', () => {
  it('turns an automation on with its switch', async () => {
    const { api, user } = await openCampaigns();
    await user.click(screen.getByTestId('campaigns-tab-automations'));
    const row = await screen.findByTestId('automation-row');
    // Go's ready-made welcome sequence, as recorded (app/recorded_automations_test.go).
    expect(row).toHaveTextContent('Welcome sequence');
    const toggle = within(row).getByTestId('automation-enabled');
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(api.automationsAll()[0]!.enabled).toBe(true));
    expect(toggle).toBeChecked();
  });

  it('shows where each member stands', async () => {
    const helene = member({ name: 'Hélène Dupont' });
    const enrolment: Enrolment = {
      id: 'e1',
      automationId: 'welcome',
      memberId: helene.id,
      status: 'active',
      step: 1,
      nextAt: '2030-01-08T09:00:00Z',
      enrolledAt: '2030-01-01T09:00:00Z',
      updatedAt: '2030-01-01T09:00:00Z',
      history: [
        {
          step: 0,
          stepId: 'welcome-email',
          kind: 'send_email',
          key: 'k',
          startedAt: '2030-01-01T09:00:00Z',
          doneAt: '2030-01-01T09:00:05Z',
          outcome: 'done',
        },
      ],
    };
    const { user } = await openCampaigns({ members: [helene], enrolments: [enrolment] });
    await user.click(screen.getByTestId('campaigns-tab-automations'));
    await user.click(await screen.findByTestId('automation-progress-open'));
    const progress = await screen.findByTestId('automation-progress');
    const row = await within(progress).findByTestId('automation-progress-row');
    // The member's name, never their id, even before the name has come.
    expect(row).not.toHaveTextContent(helene.id);
    await waitFor(() => expect(row).toHaveTextContent('Hélène Dupont'));
    expect(row).toHaveTextContent('2. Wait 3 days');
    expect(row).toHaveTextContent('1. Send “Welcome to the community!”');
  });

  it('adds a step and saves a new automation', async () => {
    const { api, user } = await openCampaigns();
    await user.click(screen.getByTestId('campaigns-tab-automations'));
    await user.click(await screen.findByTestId('automation-new'));
    const editor = await screen.findByTestId('automation-editor');
    await user.click(within(editor).getByTestId('automation-save'));
    expect(await within(editor).findByTestId('field-error-name')).toHaveTextContent(
      'Name: required',
    );
    await user.type(within(editor).getByTestId('automation-name'), 'Thank speakers');
    await user.type(within(editor).getByLabelText('Subject'), 'Thank you!');
    // Go refuses an e-mail step without a message.
    await user.type(within(editor).getByLabelText('Message (Markdown)'), 'Thanks for your talk.');
    await user.click(within(editor).getByTestId('automation-add-step'));
    await user.click(await screen.findByRole('option', { name: 'Add a tag' }));
    await user.type(within(editor).getByLabelText('Tag'), 'thanked');
    await user.click(within(editor).getByTestId('automation-save'));
    await waitFor(() => expect(api.automationsAll()).toHaveLength(2));
    const saved = api.automationsAll().find((a) => a.name === 'Thank speakers')!;
    expect(saved.steps.map((s) => s.kind)).toEqual(['send_email', 'add_tag']);
    expect(saved.enabled).toBe(false);
  }, 60_000);

  it('starts an automation from a saved segment, which must be chosen', async () => {
    const { api, user } = await openCampaigns();
    vi.spyOn(api.segments, 'list').mockResolvedValue([
      {
        segment: { id: 'seg-lyon', name: 'Lyonnais', where: 'ville = "Lyon"' },
        count: 12,
      } as Awaited<ReturnType<typeof api.segments.list>>[number],
    ]);
    await user.click(screen.getByTestId('campaigns-tab-automations'));
    await user.click(await screen.findByTestId('automation-new'));
    const editor = await screen.findByTestId('automation-editor');
    await user.type(within(editor).getByTestId('automation-name'), 'Bienvenue à Lyon');
    await user.type(within(editor).getByLabelText('Subject'), 'Bienvenue !');
    await user.type(within(editor).getByLabelText('Message (Markdown)'), 'Ravis de vous voir.');
    await user.click(within(editor).getByTestId('automation-trigger'));
    await user.click(await screen.findByRole('option', { name: 'A member enters a segment' }));
    await user.click(within(editor).getByTestId('automation-save'));
    expect(await within(editor).findByTestId('field-error-trigger.segment')).toHaveTextContent(
      /required/,
    );
    const save = vi.spyOn(api.automations, 'save');
    await user.click(within(editor).getByTestId('automation-segment'));
    await user.click(await screen.findByRole('option', { name: 'Lyonnais (12)' }));
    await user.click(within(editor).getByTestId('automation-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0]![0].trigger).toMatchObject({
      kind: 'segment_entered',
      segment: 'seg-lyon',
    });
  }, 60_000);
});

describe('Deleting newsletters and automations', () => {
  it('deletes a draft newsletter after confirming, and offers no delete for a sent one', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    // Two sent newsletters (app/recorded_newsletter_test.go), and a draft the composer saves.
    await waitFor(() => expect(screen.getAllByTestId('newsletter-row')).toHaveLength(2));
    expect(screen.queryByTestId('newsletter-delete')).toBeNull();
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-body'), 'Hello');
    await user.click(screen.getByTestId('newsletter-subject'));
    await user.paste('Draft news');
    await user.click(screen.getByTestId('newsletter-save'));
    await waitFor(() => expect(screen.getAllByTestId('newsletter-row')).toHaveLength(3));
    const buttons = screen.getAllByTestId('newsletter-delete');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toHaveAccessibleName('Delete “Draft news”');

    await user.click(buttons[0]!);
    await user.click(await screen.findByText('Keep'));
    expect(await api.newsletters.list()).toHaveLength(3);

    await user.click(screen.getByTestId('newsletter-delete'));
    await user.click(await screen.findByTestId('newsletter-delete-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('newsletter-row')).toHaveLength(2));
    expect((await api.newsletters.list()).map((n) => n.subject)).toEqual([
      'Cut-off news',
      'Des nouvelles de mars',
    ]);
    expect(screen.queryByTestId('newsletter-delete')).toBeNull();
  });

  it('deletes the manager’s own automation after confirming, never the built-in welcome', async () => {
    const { api, user } = await openCampaigns();
    // As the editor saves it (a recorded step: app/recorded_automations_test.go).
    await act(() =>
      api.automations.save({
        id: '',
        name: 'Thank speakers',
        trigger: { kind: 'member_created' },
        steps: [
          {
            id: '',
            kind: 'send_email',
            subject: 'Thank you!',
            bodyMarkdown: 'Thanks for your talk.',
          },
          { id: '', kind: 'add_tag', tag: 'thanked' },
        ],
      }),
    );
    await user.click(screen.getByTestId('campaigns-tab-automations'));
    await waitFor(() => expect(screen.getAllByTestId('automation-row')).toHaveLength(2));
    const welcome = screen
      .getAllByTestId('automation-row')
      .find((r) => r.dataset.automationId === 'welcome')!;
    expect(within(welcome).queryByTestId('automation-delete')).toBeNull();

    await user.click(screen.getByTestId('automation-delete'));
    expect(await screen.findByText(/“Thank speakers” will be deleted/)).toBeInTheDocument();
    await user.click(screen.getByTestId('automation-delete-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('automation-row')).toHaveLength(1));
    expect(api.automationsAll().map((a) => a.id)).toEqual(['welcome']);
  });
});

describe('SMTP settings', () => {
  it('never shows the password, says it is set, and keeps it unless changed', async () => {
    const app = await renderApp({ members: recordedMembers() });
    await app.user.click(screen.getByTestId('nav-settings'));
    await app.user.click(screen.getByTestId('settings-nav-newsletter'));
    const section = await screen.findByTestId('smtp-settings');
    // The recorded workspace sends through a loopback server, with no account.
    await waitFor(() => expect(within(section).getByTestId('smtp-host')).toHaveValue('127.0.0.1'));
    expect(within(section).queryByTestId('smtp-password-set')).toBeNull();
    const from = within(section).getByTestId('smtp-from');
    await app.user.clear(from);
    await app.user.type(from, 'bad');
    await app.user.click(within(section).getByTestId('smtp-save'));
    expect(await within(section).findByTestId('field-error-fromAddress')).toHaveTextContent(
      'From address: not a valid address',
    );
    await app.user.clear(from);
    await app.user.type(from, 'hello@example.org');
    await app.user.type(within(section).getByTestId('smtp-username'), 'hearth');
    await app.user.type(within(section).getByTestId('smtp-password'), 's3cret');
    await app.user.click(within(section).getByTestId('smtp-save'));
    expect(await screen.findByText('E-mail settings saved')).toBeInTheDocument();
    expect(await within(section).findByTestId('smtp-password-set')).toHaveTextContent(
      'password set',
    );
    expect(within(section).getByTestId('smtp-password')).toHaveValue('');

    // Saved again without typing it: Go keeps the password.
    const name = within(section).getByTestId('smtp-from-name');
    await app.user.clear(name);
    await app.user.type(name, 'Our community');
    await app.user.click(within(section).getByTestId('smtp-save'));
    await waitFor(async () =>
      expect(await app.api.newsletters.settings()).toMatchObject({
        fromAddress: 'hello@example.org',
        fromName: 'Our community',
        passwordSet: true,
      }),
    );
  });
});

describe('Recipients an interrupted send left uncertain', () => {
  it('are counted, and sent again only after the manager confirms', async () => {
    const { api, user } = await openCampaigns({ members: recordedMembers() });
    // "Cut-off news" lost its connection after Bruno Petit's and Chloé Martin's messages.
    const row = (await screen.findAllByTestId('newsletter-row')).find((r) =>
      r.textContent?.includes('Cut-off news'),
    )!;
    await user.click(row);
    const note = await screen.findByTestId('newsletter-uncertain');
    expect(note).toHaveTextContent('2 recipients may or may not have received it');

    await user.click(within(note).getByTestId('newsletter-resend-uncertain'));
    await user.click(await screen.findByText('Keep'));
    expect((await api.newsletters.get('newsletter-02')).counts.uncertain).toBe(2);

    await user.click(within(note).getByTestId('newsletter-resend-uncertain'));
    await user.click(await screen.findByTestId('newsletter-resend-uncertain-confirm'));
    await waitFor(() => expect(screen.queryByTestId('newsletter-uncertain')).toBeNull());
    expect((await api.newsletters.get('newsletter-02')).counts).toMatchObject({
      sent: 6,
      uncertain: 0,
    });
  });
});
