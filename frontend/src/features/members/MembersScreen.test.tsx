import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ListQuery, Page } from '../../api';
import { MEMBERS_LIST_RECORDING, recordedMembers, replay } from '../../api/fake/recorded';
import { member, renderApp, rowNames } from '../../test/renderApp';

// The recorded workspace's twelve members: what the list shows, finds and refuses is what Go
// answered for them (app/recorded_members_test.go).
const recorded = () => recordedMembers();

/** The names Go listed for a query the screen sends (a block of 200), after `steps`. */
const goNames = (over: Partial<ListQuery> = {}, steps = '') =>
  replay<Page>(MEMBERS_LIST_RECORDING, 'members', `${steps}||list`, [
    { search: '', tag: '', sort: 'name', desc: false, offset: 0, limit: 200, ...over },
  ]).items.map((m) => m.name);

const count = () => screen.getByTestId('members-count').textContent ?? '';

describe('Members screen', () => {
  it('lists the members in Go’s order by name and shows how many there are', async () => {
    await renderApp({ members: recorded() });
    await waitFor(() => expect(rowNames()).toEqual(goNames()));
    expect(rowNames()).toHaveLength(12);
    expect(count()).toBe('12 members');
  });

  it('counts with French number formatting and plurals', async () => {
    const members = Array.from({ length: 1234 }, (_, i) => member({ name: `Membre ${i}` }));
    await renderApp({ members, lang: 'fr' });
    await waitFor(() => expect(count()).toMatch(/^1\s234 membres$/));
  });

  it('filters as you type, ignoring case and accents', async () => {
    const { user } = await renderApp({ members: recorded() });
    await waitFor(() => expect(rowNames()).toHaveLength(12));
    await user.type(screen.getByTestId('members-search'), 'HELENE');
    await waitFor(() => expect(rowNames()).toEqual(['Hélène Dupont']));
    expect(goNames({ search: 'HELENE' })).toEqual(['Hélène Dupont']);
    expect(count()).toBe('1 matching member');
  });

  it('says so when nothing matches', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.type(screen.getByTestId('members-search'), 'nobody-at-all');
    expect(await screen.findByText('No member matches this search.')).toBeInTheDocument();
  });

  it('sorts by a column when its header is clicked', async () => {
    const { user } = await renderApp({ members: recorded() });
    await waitFor(() => expect(rowNames()).toEqual(goNames()));
    await user.click(screen.getByTestId('members-sort-name'));
    await waitFor(() => expect(rowNames()).toEqual(goNames({ desc: true })));
    expect(rowNames()[0]).toBe('Marc Lefèvre');
  });

  it.each([
    ['email', false],
    ['created', true],
    ['updated', true],
  ] as const)('sorts by %s in Go’s order, both ways', async (key, desc) => {
    const { user } = await renderApp({ members: recorded() });
    await waitFor(() => expect(rowNames()).toEqual(goNames()));
    await user.click(screen.getByTestId(`members-sort-${key}`));
    await waitFor(() => expect(rowNames()).toEqual(goNames({ sort: key, desc })));
    await user.click(screen.getByTestId(`members-sort-${key}`));
    await waitFor(() => expect(rowNames()).toEqual(goNames({ sort: key, desc: !desc })));
  });

  it('filters by a tag, with Go’s counts', async () => {
    const { user } = await renderApp({ members: recorded() });
    await waitFor(() => expect(rowNames()).toHaveLength(12));
    await user.click(screen.getByTestId('members-tag-filter'));
    await user.click(await screen.findByRole('option', { name: 'speaker (2)' }));
    await waitFor(() => expect(rowNames()).toEqual(goNames({ tag: 'speaker' })));
    expect(rowNames()).toEqual(['Grace Hopper', 'Hélène Dupont']);
    expect(count()).toBe('2 matching members');
  });

  it('shows the primary e-mail when a member has no name', async () => {
    await renderApp({ members: [member({ name: '', emails: ['anon@example.org'] })] });
    await waitFor(() => expect(rowNames()).toEqual(['anon@example.org']));
  });

  it('renders member content as text, never as HTML', async () => {
    await renderApp({ members: [member({ name: '<img src=x onerror=alert(1)>' })] });
    await waitFor(() => expect(rowNames()).toEqual(['<img src=x onerror=alert(1)>']));
    expect(document.querySelector('img')).toBeNull();
  });
});

describe('Member form', () => {
  it('adds a member', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    await user.click(screen.getByTestId('member-new'));
    const form = await screen.findByTestId('member-form');
    await user.type(within(form).getByTestId('member-name'), 'Noël Garcia');
    await user.type(within(form).getByTestId('member-email-0'), 'noel@example.org');
    await user.type(within(form).getByTestId('member-notes'), 'Met at FOSDEM');
    await user.click(within(form).getByTestId('member-save'));

    await waitFor(() => expect(screen.queryByTestId('member-form')).toBeNull());
    await waitFor(() => expect(rowNames()).toContain('Noël Garcia'));
    expect(count()).toBe('13 members');
    const saved = api.all().find((m) => m.name === 'Noël Garcia');
    expect(saved).toMatchObject({ emails: ['noel@example.org'], notes: 'Met at FOSDEM' });
  });

  it.each([
    ['en', 'E-mail: not a valid address'],
    ['fr', 'E-mail : adresse non valide'],
  ] as const)('shows a bad e-mail inline (%s)', async (lang, message) => {
    const { api, user } = await renderApp({ members: recorded(), lang });
    await user.click(screen.getByTestId('member-new'));
    await user.type(await screen.findByTestId('member-email-0'), 'not-an-email');
    await user.click(screen.getByTestId('member-save'));
    expect(await screen.findByTestId('field-error-emails[0]')).toHaveTextContent(message);
    expect(screen.getByTestId('member-email-0')).toHaveAttribute('aria-invalid', 'true');
    expect(api.all()).toHaveLength(12);
  });

  it('asks for an e-mail address', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.click(screen.getByTestId('member-new'));
    await user.type(await screen.findByTestId('member-name'), 'Nobody');
    await user.click(screen.getByTestId('member-save'));
    expect(await screen.findByTestId('field-error-emails[0]')).toHaveTextContent(
      'E-mail: required',
    );
  });

  it('shows the unique error when another member has the address, whatever its case', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    await user.click(screen.getByTestId('member-new'));
    await user.type(await screen.findByTestId('member-email-0'), 'HELENE@example.org');
    await user.click(screen.getByTestId('member-save'));
    expect(await screen.findByTestId('field-error-emails[0]')).toHaveTextContent(
      'E-mail: address already used by another member',
    );
    expect(api.all()).toHaveLength(12);
  });

  it('puts a Go error on the row the user sees, skipping blank rows', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.click(screen.getByTestId('member-new'));
    await user.type(await screen.findByTestId('member-email-0'), 'a@example.org');
    await user.click(screen.getByText('Add an address'));
    await user.click(screen.getByText('Add an address'));
    await user.type(screen.getByTestId('member-email-2'), 'helene@example.org');
    await user.click(screen.getByTestId('member-save'));
    // The Go side saw ["a@…", "helene@…"] and blamed emails[1]: that is row 2 here.
    expect(await screen.findByTestId('field-error-emails[2]')).toHaveTextContent(
      'already used by another member',
    );
    expect(screen.queryByTestId('field-error-emails[1]')).toBeNull();
  });

  it('edits a member, sending only what changed', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    const row = await screen.findByText('Bruno Petit');
    await user.click(row);
    await user.click(await screen.findByTestId('member-tab-details'));
    const name = await screen.findByTestId('member-name');
    await waitFor(() => expect(name).toHaveValue('Bruno Petit'));
    await user.clear(name);
    await user.type(name, 'Bruno Petit-Leroy');
    await user.click(screen.getByTestId('member-save'));
    await waitFor(() => expect(rowNames()).toContain('Bruno Petit-Leroy'));
    expect(api.all().find((m) => m.name === 'Bruno Petit-Leroy')?.tags).toEqual(['fr']);
  });
});

describe('Deleting', () => {
  it('asks first, deletes, and undo brings the member back', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await user.click(await screen.findByTestId('member-delete'));
    await user.click(await screen.findByTestId('confirm-delete'));

    await waitFor(() => expect(rowNames()).not.toContain('Hélène Dupont'));
    expect(api.all()).toHaveLength(11);
    expect(screen.getByText('Hélène Dupont deleted')).toBeInTheDocument();

    await user.click(screen.getByTestId('undo-delete'));
    await waitFor(() => expect(rowNames()).toContain('Hélène Dupont'));
    const back = api.all().find((m) => m.name === 'Hélène Dupont');
    expect(back?.emails).toEqual(['helene@example.org']);
  });

  it('keeps the member when the user changes their mind', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await user.click(await screen.findByTestId('member-delete'));
    await user.click(await screen.findByRole('button', { name: 'Keep' }));
    expect(api.all()).toHaveLength(12);
  });
});

describe('Keyboard shortcuts', () => {
  it('/ focuses the search box and n opens a new member', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.keyboard('/');
    expect(screen.getByTestId('members-search')).toHaveFocus();
    expect(screen.getByTestId('members-search')).toHaveValue('');

    await user.keyboard('n');
    expect(screen.queryByTestId('member-form')).toBeNull();
    expect(screen.getByTestId('members-search')).toHaveValue('n');

    act(() => screen.getByTestId('members-search').blur());
    await user.keyboard('n');
    expect(await screen.findByTestId('member-form')).toBeInTheDocument();
  });

  it('ignores shortcuts while the drawer is open', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.click(screen.getByTestId('member-new'));
    await screen.findByTestId('member-form');
    fireEvent.keyDown(document.body, { key: '/' });
    expect(screen.getByTestId('members-search')).not.toHaveFocus();
  });
});

describe('Errors', () => {
  it('turns a failed call into one translated notification', async () => {
    const { ApiError } = await import('../../api');
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { api, user } = await renderApp({ members: recorded(), lang: 'fr' });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await user.click(await screen.findByTestId('member-delete'));
    api.failNext(
      'delete',
      new ApiError({
        kind: 'unavailable',
        code: 'workspace_unavailable',
        message: 'store: closed',
      }),
    );
    await user.click(await screen.findByTestId('confirm-delete'));
    expect(await screen.findByText('Espace de travail indisponible')).toBeInTheDocument();
    expect(screen.getByText(/L’espace de travail est inaccessible/)).toBeInTheDocument();
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
  });
});
