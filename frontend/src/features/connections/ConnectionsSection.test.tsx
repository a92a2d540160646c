import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

async function openConnections(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(screen.getByTestId('settings-nav-connections'));
  const section = await screen.findByTestId('settings-connections');
  return { ...app, section };
}

// The answers are Go's, recorded over the platform fakes (app/recorded_connections_test.go):
// 'connected' has forum (Discourse), discord (a bot), mastodon (unreachable), newsletter
// (Mailchimp, its key refused) and veille (a feed); the forum accepts user hearth, s3cret-key.
const FORUM = {
  name: 'forum',
  platform: 'discourse' as const,
  settings: { url: 'https://forum.example.org', username: 'hearth' },
  secret: 's3cret-key',
};

const rowOf = (name: string) =>
  screen.getAllByTestId('connection-row').find((r) => r.dataset.name === name)!;

describe('Settings: connections', () => {
  it.each([
    {
      lang: 'en' as const,
      name: 'Name: required',
      url: 'Forum address: required',
      username: 'User name: required',
      secret: 'API key: required',
      badUrl: 'Forum address: not a valid web address (https://…)',
    },
    {
      lang: 'fr' as const,
      name: 'Nom : obligatoire',
      url: 'Adresse du forum : obligatoire',
      username: 'Nom d’utilisateur : obligatoire',
      secret: 'Clé d’API : obligatoire',
      badUrl: 'Adresse du forum : adresse web non valide (https://…)',
    },
  ])(
    'shows the field errors on the fields ($lang), then adds a Discourse connection',
    async (c) => {
      const { api, user } = await openConnections({ lang: c.lang });
      await user.click(screen.getByTestId('connection-new'));
      await user.click(await screen.findByTestId('connection-platform-discourse'));
      const form = await screen.findByTestId('connection-form');
      await user.click(within(form).getByTestId('connection-save'));

      expect(await within(form).findByTestId('field-error-name')).toHaveTextContent(c.name);
      expect(within(form).getByTestId('field-error-settings.url')).toHaveTextContent(c.url);
      expect(within(form).getByTestId('field-error-settings.username')).toHaveTextContent(
        c.username,
      );
      expect(within(form).getByTestId('field-error-secret')).toHaveTextContent(c.secret);

      await user.type(within(form).getByTestId('connection-name'), 'forum');
      await user.type(within(form).getByTestId('connection-url'), 'forum.example.org');
      await user.type(within(form).getByTestId('connection-username'), 'hearth');
      await user.type(within(form).getByTestId('connection-secret'), 's3cret-key');
      // Typing in a field clears its errors.
      expect(within(form).queryByTestId('field-error-name')).toBeNull();
      await user.click(within(form).getByTestId('connection-save'));
      expect(await within(form).findByTestId('field-error-settings.url')).toHaveTextContent(
        c.badUrl,
      );

      await user.clear(within(form).getByTestId('connection-url'));
      await user.type(within(form).getByTestId('connection-url'), 'https://forum.example.org');
      await user.click(within(form).getByTestId('connection-save'));
      await waitFor(() => expect(screen.queryByTestId('connection-form')).toBeNull());

      expect(rowOf('forum')).toHaveTextContent('https://forum.example.org');
      // The window sent the secret; Go keeps it and never hands it back.
      expect(api.connectionCalls().at(-1)).toEqual({
        method: 'add',
        args: [{ ...FORUM, settings: { url: 'https://forum.example.org', username: 'hearth' } }],
      });
      expect(api.connectionsAll()).toMatchObject([{ name: 'forum', hasSecret: true }]);
      expect(JSON.stringify(await api.connections.list())).not.toContain('s3cret-key');
    },
  );

  it('names a Discord channel as Discord does once its activity has come, not by its id', async () => {
    const { api, user } = await renderApp({ connections: 'connected' });
    await api.sync.runNow(); // Go pulled the channel's messages from the Discord fake
    await user.click(screen.getByTestId('nav-settings'));
    await user.click(screen.getByTestId('settings-nav-connections'));
    await screen.findByTestId('settings-connections');
    await waitFor(() => expect(rowOf('discord')).toHaveTextContent('#general'));
    expect(rowOf('discord')).not.toHaveTextContent('1100000000000000003');
  });

  it('says what Hearth reads and writes, and where the secret is kept', async () => {
    // Go keeps secrets in an encrypted file where there is no keychain (as when recorded).
    const { user } = await openConnections();
    await user.click(screen.getByTestId('connection-new'));
    await user.click(await screen.findByTestId('connection-platform-discourse'));
    const about = await screen.findByTestId('connection-about');
    expect(about).toHaveTextContent('users with their stats');
    expect(about).toHaveTextContent('new topics from the calendar');
    expect(screen.getByTestId('connection-secret-where')).toHaveTextContent(
      'in an encrypted file in your user settings',
    );
    expect(screen.getByTestId('connection-form')).toHaveTextContent(
      'Calendar items use this name as their channel',
    );
  });

  it('tests a connection and shows whether it worked', async () => {
    const { user } = await openConnections({ connections: 'connected' });
    await waitFor(() => expect(screen.getAllByTestId('connection-row')).toHaveLength(5));

    await user.click(within(rowOf('forum')).getByTestId('connection-test'));
    const ok = await within(rowOf('forum')).findByTestId('connection-test-result');
    expect(ok).toHaveAttribute('data-ok', 'true');
    expect(ok).toHaveTextContent('OK');
    await waitFor(() =>
      expect(within(rowOf('forum')).getByTestId('connection-status')).toHaveTextContent('Online'),
    );

    await user.click(within(rowOf('newsletter')).getByTestId('connection-test'));
    const failed = await within(rowOf('newsletter')).findByTestId('connection-test-result');
    expect(failed).toHaveAttribute('data-ok', 'false');
    expect(failed).toHaveTextContent('Failed');
    // Said in the person's language from the failure's kind, Mailchimp's words as detail.
    expect(failed).toHaveTextContent('The platform refused the credentials.');
    expect(failed).toHaveTextContent('API Key Invalid');
    await waitFor(() =>
      expect(within(rowOf('newsletter')).getByTestId('connection-status')).toHaveTextContent(
        'Credentials refused',
      ),
    );

    await user.click(within(rowOf('mastodon')).getByTestId('connection-test'));
    const unreachable = await within(rowOf('mastodon')).findByTestId('connection-test-result');
    expect(unreachable).toHaveAttribute('data-ok', 'false');
    expect(unreachable).toHaveTextContent('could not reach offline.example');
  });

  it('edits a connection, keeping the saved secret when the field is left blank', async () => {
    const { api, user } = await openConnections();
    await api.connections.add(FORUM);
    await user.click(await screen.findByTestId('connection-edit'));
    const form = await screen.findByTestId('connection-form');
    expect(within(form).getByTestId('connection-secret')).toHaveValue('');
    expect(form).toHaveTextContent('Leave this blank to keep it');
    await user.type(within(form).getByTestId('connection-category'), '7');
    await user.click(within(form).getByTestId('connection-save'));
    await waitFor(() => expect(screen.queryByTestId('connection-form')).toBeNull());
    // Sent without a secret: Go kept the saved one.
    expect(api.connectionCalls().at(-1)?.args[1]).not.toHaveProperty('secret');
    expect(api.connectionsAll()).toMatchObject([{ hasSecret: true, settings: { category: '7' } }]);
  });

  it('pauses, resumes and, after confirming, removes a connection', async () => {
    const { api, user } = await openConnections();
    await api.connections.add(FORUM);
    await user.click(await screen.findByTestId('connection-pause'));
    await waitFor(() =>
      expect(screen.getByTestId('connection-status')).toHaveTextContent('Paused'),
    );
    expect(api.connectionsAll()[0]?.paused).toBe(true);
    await user.click(screen.getByTestId('connection-pause'));
    await waitFor(() => expect(api.connectionsAll()[0]?.paused).toBe(false));

    await user.click(screen.getByTestId('connection-remove'));
    await user.click(await screen.findByTestId('connection-remove-confirm'));
    expect(await screen.findByTestId('connections-empty')).toBeInTheDocument();
    expect(api.connectionsAll()).toEqual([]);
  });

  it('offers the connection names as channels in the calendar item editor', async () => {
    // The calendar replays Go's answers recorded at RECORDED_NOW.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { user } = await renderApp({ connections: 'connected' });
    await user.click(screen.getByTestId('nav-calendar'));
    await user.click(await screen.findByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    await user.click(within(editor).getByTestId('item-channels'));
    expect(await screen.findByRole('option', { name: 'forum' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'discord' })).toBeInTheDocument();
  });
});
