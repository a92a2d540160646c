import type { TasksApi } from '../api';
import { TASKS_CHANGED, type Task } from '../types';
import type { FakeContext } from './context';
import { daysBetween, RECORDED_NOW, Scenario, TASKS_RECORDING } from './recorded';

/**
 * The tasks part of the fake: the manager's to-do list. Every answer replays what Go's
 * TasksService answered in recorded scenarios (app/recorded_tasks_test.go) over the recorded
 * workspace's tasks (one overdue, one due later today about Hélène Dupont, one in three days,
 * one undated, one done): the filters, the ordering, adding, editing, validation and ids are
 * Go's. In demo mode (`demo`), a change nobody recorded is refused with a notice that this is
 * demo data.
 */
export function createFakeTasks(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(
    TASKS_RECORDING,
    'tasks',
    '',
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  const changed = (id: string) => ctx.emit(TASKS_CHANGED, { ids: [id] });
  const step = (method: string, args: unknown[]) => {
    const task = scenario.step<Task>(method, args);
    changed(task.id);
    return task;
  };

  const api: TasksApi = {
    list: (filter) => ctx.settle('tasks.list', () => scenario.read<Task[]>('list', [filter])),
    create: (input) => ctx.settle('tasks.create', () => step('create', [input])),
    update: (id, input) => ctx.settle('tasks.update', () => step('update', [id, input])),
    complete: (id, done) => ctx.settle('tasks.complete', () => step('complete', [id, done])),
    delete: (id) => ctx.settle('tasks.delete', () => step('delete', [id])),
    restore: (task) => ctx.settle('tasks.restore', () => step('restore', [task])),
  };
  /** Every task in the current recorded state, for assertions. */
  const all = () => scenario.read<Task[]>('list', ['all']);
  return { api, all };
}
