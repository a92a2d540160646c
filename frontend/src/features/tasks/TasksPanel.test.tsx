import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../api';
import { renderApp } from '../../test/renderApp';

const task = (over: Partial<Task> & { id: string; title: string }): Task => ({
  notes: '',
  memberId: '',
  done: false,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  source: 'manual',
  ...over,
});

async function openDashboard(tasks: Task[] = []) {
  const app = await renderApp({ tasks });
  await app.user.click(screen.getByTestId('nav-dashboard'));
  return { ...app, panel: await screen.findByTestId('tasks-panel') };
}

describe('My tasks', () => {
  it('groups tasks as overdue, upcoming and undated', async () => {
    const { panel } = await openDashboard([
      task({ id: 'a', title: 'Late one', dueAt: '2020-01-01T09:00:00Z' }),
      task({ id: 'b', title: 'Later one', dueAt: '2099-01-01T09:00:00Z' }),
      task({ id: 'c', title: 'Someday one' }),
    ]);
    expect(await within(panel).findByTestId('tasks-overdue')).toHaveTextContent('Late one');
    expect(within(panel).getByTestId('tasks-upcoming')).toHaveTextContent('Later one');
    expect(within(panel).getByTestId('tasks-someday')).toHaveTextContent('Someday one');
  });

  it('adds a task with a due date, then completes it', async () => {
    const { api, user, panel } = await openDashboard();
    expect(await within(panel).findByTestId('tasks-empty')).toBeInTheDocument();
    await user.click(within(panel).getByTestId('task-add'));
    expect(await within(panel).findByTestId('field-error-title')).toHaveTextContent(
      'Title: required',
    );

    await user.type(within(panel).getByTestId('task-title'), 'Call the venue');
    fireEvent.change(within(panel).getByTestId('task-due'), { target: { value: '2099-03-04' } });
    await user.click(within(panel).getByTestId('task-add'));
    const row = await within(panel).findByTestId('task-row');
    expect(row).toHaveTextContent('Call the venue');
    expect(row).toHaveTextContent('due Mar 4, 2099');
    expect(new Date(api.tasksAll()[0]!.dueAt!).getTime()).toBe(new Date(2099, 2, 4, 9).getTime());

    await user.click(within(row).getByTestId('task-done'));
    await waitFor(() => expect(within(panel).queryByTestId('task-row')).toBeNull());
    expect(api.tasksAll()[0]!.done).toBe(true);
    await user.click(await screen.findByTestId('task-undo'));
    expect(await within(panel).findByTestId('task-row')).toHaveTextContent('Call the venue');
  });

  it('deletes a task', async () => {
    const { api, user, panel } = await openDashboard([task({ id: 'a', title: 'Old idea' })]);
    await user.click(await within(panel).findByTestId('task-delete'));
    await waitFor(() => expect(within(panel).queryByTestId('task-row')).toBeNull());
    expect(api.tasksAll()).toHaveLength(0);
  });

  it('announces tasks that become due', async () => {
    const { api } = await renderApp();
    act(() => api.emit('tasks:due', [task({ id: 'a', title: 'Send the agenda' })]));
    expect(await screen.findByText('1 task is due')).toBeInTheDocument();
    expect(screen.getByText('Send the agenda')).toBeInTheDocument();
  });
});
