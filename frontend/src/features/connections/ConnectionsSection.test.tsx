import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { fakeConnection } from '../../api/fake/connections';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

async function openConnections(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(screen.getByTestId('settings-nav-connections'));
  const section = await screen.findByTestId('settings-connections');
  return { ...app, section };
}

const FORUM = fakeConnection(
  {
    id: 'c1',
    name: 'forum',
    platform: 'discourse',
    settings: { url: 'https://forum.example.org', username: 'hearth' },
  },
  'good-api-key',
);
const BAD_BOT = fakeConnection(
  { id: 'c2', name: 'discord', platform: 'discord', settings: { channel: '123' } },
  'expired-bot-token',
);

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
      const [stored] = api.connectionsAll();
      expect(stored?.secret).toBe('s3cret-key');
      expect(JSON.stringify(await api.connections.list())).not.toContain('s3cret-key');
    },
  );

  it('names a Discord channel as Discord does once its activity has come, not by its id', async () => {
    const at = '2025-03-01T10:00:00.000Z';
    const item = (id: string, channel: string) => ({
      id,
      connection: 'c2',
      platform: 'discord' as const,
      remoteId: id,
      kind: 'message' as const,
      memberId: '',
      memberName: 'Someone',
      at,
      channel,
      link: '',
      title: '',
      text: 'hi',
      createdAt: at,
    });
    await openConnections({
      connections: [FORUM, BAD_BOT],
      feed: [item('f2', 'general'), item('f1', '123')],
    });
    await waitFor(() => expect(rowOf('discord')).toHaveTextContent('#general'));
    expect(rowOf('discord')).not.toHaveTextContent('#123');
  });

  it('says what Hearth reads and writes, and where the secret is kept', async () => {
    const { user } = await openConnections({ secretBackend: 'file' });
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
    const { user } = await openConnections({ connections: [FORUM, BAD_BOT] });
    await waitFor(() => expect(screen.getAllByTestId('connection-row')).toHaveLength(2));

    await user.click(within(rowOf('forum')).getByTestId('connection-test'));
    const ok = await within(rowOf('forum')).findByTestId('connection-test-result');
    expect(ok).toHaveAttribute('data-ok', 'true');
    expect(ok).toHaveTextContent('OK');
    expect(ok).toHaveTextContent('signed in as hearth');

    await user.click(within(rowOf('discord')).getByTestId('connection-test'));
    const failed = await within(rowOf('discord')).findByTestId('connection-test-result');
    expect(failed).toHaveAttribute('data-ok', 'false');
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('refused the credentials');
    // Said in the person's language from the failure's kind, the platform's words as detail.
    expect(failed).toHaveTextContent('The platform refused the credentials.');
    await waitFor(() =>
      expect(within(rowOf('discord')).getByTestId('connection-status')).toHaveTextContent(
        'Credentials refused',
      ),
    );
  });

  it('edits a connection, keeping the saved secret when the field is left blank', async () => {
    const { api, user } = await openConnections({ connections: [FORUM] });
    await user.click(await screen.findByTestId('connection-edit'));
    const form = await screen.findByTestId('connection-form');
    expect(within(form).getByTestId('connection-secret')).toHaveValue('');
    expect(form).toHaveTextContent('Leave this blank to keep it');
    await user.type(within(form).getByTestId('connection-category'), '7');
    await user.click(within(form).getByTestId('connection-save'));
    await waitFor(() => expect(screen.queryByTestId('connection-form')).toBeNull());
    expect(api.connectionsAll()[0]).toMatchObject({
      secret: 'good-api-key',
      connection: { settings: { category: '7' } },
    });
  });

  it('pauses, resumes and, after confirming, removes a connection', async () => {
    const { api, user } = await openConnections({ connections: [FORUM] });
    await user.click(await screen.findByTestId('connection-pause'));
    await waitFor(() =>
      expect(screen.getByTestId('connection-status')).toHaveTextContent('Paused'),
    );
    expect(api.connectionsAll()[0]?.connection.paused).toBe(true);
    await user.click(screen.getByTestId('connection-pause'));
    await waitFor(() => expect(api.connectionsAll()[0]?.connection.paused).toBe(false));

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
    const { user } = await renderApp({ connections: [FORUM, BAD_BOT] });
    await user.click(screen.getByTestId('nav-calendar'));
    await user.click(await screen.findByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    await user.click(within(editor).getByTestId('item-channels'));
    expect(await screen.findByRole('option', { name: 'forum' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'discord' })).toBeInTheDocument();
  });
});
