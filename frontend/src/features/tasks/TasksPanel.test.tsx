import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../api';
import { createDemoApi } from '../../api/fake';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// Go's answers recorded at RECORDED_NOW (Monday 16 March 2026, 12:00 UTC) over the recorded
// workspace's tasks (app/recorded_tasks_test.go): "Book the meetup venue" due yesterday,
// "Thank our new sponsor" (Hélène Dupont) due at 17:00, "Draft the release post" in three
// days, "Tidy up the tag list" undated, and one done.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const members = recordedMembers();

async function openDashboard() {
  const app = await renderApp({ members });
  await app.user.click(screen.getByTestId('nav-dashboard'));
  return { ...app, panel: await screen.findByTestId('tasks-panel') };
}

describe('My tasks', () => {
  it('groups the open tasks Go lists as overdue, today, upcoming and undated', async () => {
    const { panel } = await openDashboard();
    expect(await within(panel).findByTestId('tasks-overdue')).toHaveTextContent(
      'Book the meetup venue',
    );
    const today = within(panel).getByTestId('tasks-today');
    expect(today).toHaveTextContent('Thank our new sponsor');
    // The member a task is about, by name (the task holds only the id).
    expect(await within(today).findByText(/Hélène Dupont/)).toBeInTheDocument();
    expect(within(panel).getByTestId('tasks-upcoming')).toHaveTextContent('Draft the release post');
    expect(within(panel).getByTestId('tasks-someday')).toHaveTextContent('Tidy up the tag list');
    // The done one is not on the panel.
    expect(panel).not.toHaveTextContent('Welcome the new members');
  });

  it('adds a task with a due date, then completes it and undoes that', async () => {
    const { api, user, panel } = await openDashboard();
    await within(panel).findByTestId('tasks-someday');
    await user.click(within(panel).getByTestId('task-add'));
    expect(await within(panel).findByTestId('field-error-title')).toHaveTextContent(
      'Title: required',
    );

    await user.type(within(panel).getByTestId('task-title'), 'Call the venue');
    fireEvent.change(within(panel).getByTestId('task-due'), { target: { value: '2099-03-04' } });
    await user.click(within(panel).getByTestId('task-add'));
    await waitFor(() => expect(panel).toHaveTextContent('Call the venue'));
    const upcoming = within(panel).getByTestId('tasks-upcoming');
    expect(upcoming).toHaveTextContent('due Mar 4, 2099');
    // The panel sends 09:00 on the day picked (in UTC, the zone the screen tests run in), and
    // Go keeps it: the new task is last of the open ones, after the one due in three days.
    const added = api.tasksAll().find((t) => t.title === 'Call the venue')!;
    expect(added.dueAt).toBe('2099-03-04T09:00:00Z');
    expect(
      api
        .tasksAll()
        .filter((t) => !t.done)
        .map((t) => t.title),
    ).toEqual([
      'Book the meetup venue',
      'Thank our new sponsor',
      'Draft the release post',
      'Call the venue',
      'Tidy up the tag list',
    ]);

    const row = within(upcoming)
      .getAllByTestId('task-row')
      .find((r) => r.textContent?.includes('Call the venue'))!;
    await user.click(within(row).getByTestId('task-done'));
    await waitFor(() => expect(panel).not.toHaveTextContent('Call the venue'));
    expect(api.tasksAll().find((t) => t.title === 'Call the venue')!.done).toBe(true);
    await user.click(await screen.findByTestId('task-undo'));
    await waitFor(() => expect(panel).toHaveTextContent('Call the venue'));
    expect(api.tasksAll().find((t) => t.title === 'Call the venue')!.done).toBe(false);
  });

  it('says what Go refuses: a title over 200 characters', async () => {
    const { user, panel } = await openDashboard();
    await within(panel).findByTestId('tasks-someday');
    fireEvent.change(within(panel).getByTestId('task-title'), {
      target: { value: 'x'.repeat(201) },
    });
    await user.click(within(panel).getByTestId('task-add'));
    expect(await within(panel).findByTestId('field-error-title')).toHaveTextContent(
      /Title: .*at most 200/,
    );
  });

  it('deletes a task and undoes it', async () => {
    const { api, user, panel } = await openDashboard();
    const someday = await within(panel).findByTestId('tasks-someday');
    await user.click(within(someday).getByTestId('task-delete'));
    await waitFor(() => expect(panel).not.toHaveTextContent('Tidy up the tag list'));
    expect(api.tasksAll().map((t) => t.title)).not.toContain('Tidy up the tag list');
    await user.click(await screen.findByTestId('task-undo'));
    await waitFor(() => expect(panel).toHaveTextContent('Tidy up the tag list'));
    expect(api.tasksAll()).toHaveLength(5);
  });

  it('announces tasks that become due', async () => {
    const { api } = await renderApp();
    const task: Task = api.tasksAll()[0]!;
    act(() => api.emit('tasks:due', [task]));
    expect(await screen.findByText('1 task is due')).toBeInTheDocument();
    expect(screen.getByText('Book the meetup venue')).toBeInTheDocument();
  });
});

describe('My tasks in demo mode', () => {
  it('shows the recorded tasks moved to today, and refuses what Go never answered as demo data', async () => {
    vi.setSystemTime(new Date(RECORDED_NOW.getTime() + 30 * 86_400_000));
    const api = createDemoApi(0);
    const open = await api.tasks.list('open');
    expect(open.map((t) => t.title)).toEqual([
      'Book the meetup venue',
      'Thank our new sponsor',
      'Draft the release post',
      'Tidy up the tag list',
    ]);
    // Due yesterday, today and in three days of the demo's today, as recorded.
    expect(open[1]!.dueAt).toBe('2026-04-15T17:00:00Z');
    await expect(
      api.tasks.create({ title: 'Something new', notes: '', memberId: '' }),
    ).rejects.toMatchObject({ kind: 'unavailable', code: 'demo_unrecorded' });
    expect(await api.tasks.list('open')).toHaveLength(4);
    // A recorded change still answers as Go did.
    expect((await api.tasks.complete(open[3]!.id, true)).done).toBe(true);
    expect(await api.tasks.list('open')).toHaveLength(3);
  });

  it('says so in the person’s language when a task typed in demo mode was never recorded', async () => {
    const app = await renderApp({ members, demo: true, lang: 'fr' });
    await app.user.click(screen.getByTestId('nav-dashboard'));
    const panel = await screen.findByTestId('tasks-panel');
    await within(panel).findByTestId('tasks-someday');
    await app.user.type(within(panel).getByTestId('task-title'), 'Quelque chose de neuf');
    await app.user.click(within(panel).getByTestId('task-add'));
    expect(
      await screen.findByText(/Mode démo : ce sont des données de démonstration/),
    ).toBeInTheDocument();
    expect(within(panel).getAllByTestId('task-row')).toHaveLength(4);
  });
});
