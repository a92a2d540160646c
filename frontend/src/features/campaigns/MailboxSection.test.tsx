import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// Go's answers over the recorded community (app/recorded_newsletter_test.go): the reply mailbox
// is a loopback Dovecot (127.0.0.1:1143, its password recorded as imap-s3cret) into which
// Hélène Dupont's request to leave and Bruno Petit's out-of-office arrive.

async function openMailbox(lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members: recordedMembers(), lang });
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(screen.getByTestId('settings-nav-newsletter'));
  const section = await screen.findByTestId('mailbox-settings');
  await waitFor(() => expect(within(section).getByTestId('mailbox-port')).toHaveValue('993'));
  return { ...app, section };
}

/** Fills the form as a manager would for the loopback Dovecot, or a remote server. */
async function fill(
  app: Awaited<ReturnType<typeof openMailbox>>,
  v: { host: string; port: string; user: string; password?: string },
) {
  const { user, section } = app;
  const host = within(section).getByTestId('mailbox-host');
  await user.clear(host);
  await user.type(host, v.host);
  const port = within(section).getByTestId('mailbox-port');
  await user.clear(port);
  await user.type(port, v.port);
  await user.click(within(section).getByTestId('mailbox-tls'));
  await user.click(await screen.findByRole('option', { name: /None|Aucune/ }));
  const name = within(section).getByTestId('mailbox-username');
  await user.clear(name);
  await user.type(name, v.user);
  if (v.password) await user.type(within(section).getByTestId('mailbox-password'), v.password);
}

describe('Settings: reply mailbox (IMAP)', () => {
  it('starts unset, beside outgoing mail, with nothing to check yet', async () => {
    const { section } = await openMailbox();
    expect(screen.getByTestId('smtp-settings')).toBeInTheDocument();
    expect(within(section).getByTestId('mailbox-host')).toHaveValue('');
    expect(within(section).getByTestId('mailbox-folder')).toHaveValue('INBOX');
    expect(within(section).getByTestId('mailbox-not-set')).toHaveTextContent(
      'Set a server and a user name, then save, to read replies.',
    );
    expect(within(section).getByTestId('mailbox-check')).toBeDisabled();
  });

  it('refuses plain IMAP to a remote server, then saves the loopback one without ever showing its password', async () => {
    const app = await openMailbox();
    const { section, user, api } = app;
    await fill(app, { host: 'imap.example.org', port: '143', user: 'news@example.org' });
    await user.click(within(section).getByTestId('mailbox-save'));
    expect(await within(section).findByTestId('field-error-tls')).toHaveTextContent(
      'a remote server needs STARTTLS or TLS',
    );

    await fill(app, {
      host: '127.0.0.1',
      port: '1143',
      user: 'test@hearth.example',
      password: 'imap-s3cret',
    });
    await user.click(within(section).getByTestId('mailbox-save'));
    expect(await screen.findByText('Reply mailbox saved')).toBeInTheDocument();
    expect(await within(section).findByTestId('mailbox-password-set')).toHaveTextContent(
      'password set',
    );
    expect(within(section).getByTestId('mailbox-password')).toHaveValue('');
    expect(JSON.stringify(await api.newsletters.mailboxSettings())).not.toContain('imap-s3cret');
    expect(within(section).getByTestId('mailbox-check')).toBeEnabled();
    // The scheduler has not read it by itself yet.
    expect(within(section).getByTestId('mailbox-last-reading')).toHaveTextContent(
      'Read by itself every 15 minutes while Hearth is open: not read yet.',
    );
  });

  it('checks the mailbox and says what it did in words', async () => {
    const app = await openMailbox();
    const { section, user } = app;
    await fill(app, {
      host: '127.0.0.1',
      port: '1143',
      user: 'test@hearth.example',
      password: 'imap-s3cret',
    });
    await user.click(within(section).getByTestId('mailbox-save'));
    await within(section).findByTestId('mailbox-password-set');

    await user.click(within(section).getByTestId('mailbox-check'));
    const result = await within(section).findByTestId('mailbox-result');
    expect(result).toHaveTextContent(/Mailbox checked at/);
    expect(within(result).getByTestId('mailbox-result-read')).toHaveTextContent(
      '2 new messages read.',
    );
    expect(within(result).getByTestId('mailbox-result-unsubscribed')).toHaveTextContent(
      '1 unsubscribe request applied: newsletter consent withdrawn.',
    );
    expect(within(result).getByTestId('mailbox-result-autoReplies')).toHaveTextContent(
      '1 automatic reply ignored.',
    );
    expect(within(result).queryByTestId('mailbox-result-bounced')).toBeNull();

    // Checked again: Go processes nothing twice.
    await user.click(within(section).getByTestId('mailbox-check'));
    await waitFor(() =>
      expect(within(section).getByTestId('mailbox-result')).toHaveTextContent('No new message.'),
    );
  });

  it('says it in French', async () => {
    const app = await openMailbox('fr');
    const { section, user } = app;
    expect(section).toHaveTextContent('Boîte des réponses (IMAP)');
    await fill(app, {
      host: '127.0.0.1',
      port: '1143',
      user: 'test@hearth.example',
      password: 'imap-s3cret',
    });
    await user.click(within(section).getByTestId('mailbox-save'));
    expect(await screen.findByText('Boîte des réponses enregistrée')).toBeInTheDocument();
    await user.click(within(section).getByTestId('mailbox-check'));
    const result = await within(section).findByTestId('mailbox-result');
    expect(result).toHaveTextContent('2 nouveaux messages lus.');
    expect(result).toHaveTextContent(
      '1 demande de désinscription appliquée : consentement à la lettre retiré.',
    );
    expect(result).toHaveTextContent('1 réponse automatique ignorée.');
  });
});
