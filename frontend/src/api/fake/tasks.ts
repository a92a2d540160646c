import type { TasksApi } from '../api';
import { ApiError, type FieldError } from '../errors';
import { TASKS_CHANGED, type Task, type TaskFilter, type TaskInput } from '../types';
import { invalid, notFound, type FakeContext } from './context';

const endOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();

/** Open first by due time (undated last), done ones most recently completed first. */
function order(a: Task, b: Task): number {
  if (a.done !== b.done) return a.done ? 1 : -1;
  if (a.done) return (b.doneAt ?? '').localeCompare(a.doneAt ?? '');
  const da = a.dueAt ? new Date(a.dueAt).getTime() : Infinity;
  const db = b.dueAt ? new Date(b.dueAt).getTime() : Infinity;
  return da - db || a.createdAt.localeCompare(b.createdAt);
}

/** The tasks part of the fake: the manager's to-do list. */
export function createFakeTasks(ctx: FakeContext, seed: { tasks?: Task[] } = {}) {
  const store = new Map((seed.tasks ?? []).map((t) => [t.id, structuredClone(t)]));
  let seq = 0;

  const require = (id: string) => {
    const t = store.get(id);
    if (!t) throw notFound('task_not_found', `task ${id}`);
    return t;
  };
  const changed = (id: string) => ctx.emit(TASKS_CHANGED, { ids: [id] });
  const check = (input: TaskInput) => {
    const errs: FieldError[] = [];
    const title = (input.title ?? '').trim().replace(/\s+/g, ' ');
    if (title === '') errs.push({ field: 'title', code: 'required' });
    if (title.length > 200) errs.push({ field: 'title', code: 'max', params: { max: '200' } });
    if (input.dueAt && Number.isNaN(new Date(input.dueAt).getTime()))
      errs.push({ field: 'dueAt', code: 'invalid' });
    if (input.memberId && !ctx.members.find(input.memberId))
      errs.push({ field: 'memberId', code: 'invalid' });
    if (errs.length > 0) throw invalid(errs);
    return {
      title,
      notes: (input.notes ?? '').trim(),
      memberId: (input.memberId ?? '').trim(),
      dueAt: input.dueAt ? new Date(input.dueAt).toISOString() : undefined,
    };
  };

  const keep = (filter: TaskFilter, t: Task, now: Date) => {
    const due = t.dueAt ? new Date(t.dueAt).getTime() : Infinity;
    switch (filter) {
      case 'open':
        return !t.done;
      case 'due':
        return !t.done && due < endOfDay(now);
      case 'overdue':
        return !t.done && due < now.getTime();
      case 'done':
        return t.done;
      default:
        return true;
    }
  };

  const api: TasksApi = {
    list: (filter) =>
      ctx.settle('tasks.list', () => {
        const now = ctx.now();
        return [...store.values()].filter((t) => keep(filter, t, now)).sort(order);
      }),
    create: (input) =>
      ctx.settle('tasks.create', () => {
        const stamp = ctx.now().toISOString();
        const task: Task = {
          id: `k${ctx.now().getTime().toString(36)}${(seq++).toString(36)}`,
          ...check(input),
          done: false,
          createdAt: stamp,
          updatedAt: stamp,
          source: 'manual',
        };
        store.set(task.id, task);
        changed(task.id);
        return task;
      }),
    update: (id, input) =>
      ctx.settle('tasks.update', () => {
        const task = { ...require(id), ...check(input), updatedAt: ctx.now().toISOString() };
        store.set(id, task);
        changed(id);
        return task;
      }),
    complete: (id, done) =>
      ctx.settle('tasks.complete', () => {
        const task = require(id);
        task.done = done;
        task.doneAt = done ? ctx.now().toISOString() : undefined;
        task.updatedAt = ctx.now().toISOString();
        changed(id);
        return task;
      }),
    delete: (id) =>
      ctx.settle('tasks.delete', () => {
        const task = require(id);
        store.delete(id);
        changed(id);
        return task;
      }),
    restore: (task) =>
      ctx.settle('tasks.restore', () => {
        if (store.has(task.id))
          throw new ApiError({ kind: 'conflict', code: 'task_exists', message: 'task exists' });
        store.set(task.id, structuredClone(task));
        changed(task.id);
        return task;
      }),
  };
  return { api, all: () => [...store.values()].map((t) => structuredClone(t)) };
}
