import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type Task } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { IconPlus, IconTrash } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { displayName } from '../members/displayName';
import { errorProp } from '../members/errorProp';
import { dayKey } from '../calendar/dates';
import { useMemberOptions, type MemberOption } from './useMemberOptions';

/** A date-only due date means the morning of that day, in the user's zone. */
const DUE_HOUR = 9;

type Bucket = 'overdue' | 'today' | 'upcoming' | 'someday';
const BUCKETS: Bucket[] = ['overdue', 'today', 'upcoming', 'someday'];
const BUCKET_COLORS: Record<Bucket, string> = {
  overdue: 'red',
  today: 'orange',
  upcoming: 'blue',
  someday: 'gray',
};

function bucketOf(task: Task, now: Date): Bucket {
  if (!task.dueAt) return 'someday';
  const due = new Date(task.dueAt);
  if (due < now) return 'overdue';
  return dayKey(due) === dayKey(now) ? 'today' : 'upcoming';
}

/** Completing and deleting say what happened and offer to undo. */
function showUndo(message: string, undoLabel: string, undo: () => Promise<unknown>) {
  const id = `task-undo:${Date.now()}`;
  notifications.show({
    id,
    autoClose: 8000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" truncate>
          {message}
        </Text>
        <Button
          size="compact-sm"
          variant="light"
          data-testid="task-undo"
          onClick={() => {
            notifications.hide(id);
            undo().catch(notifyError);
          }}
        >
          {undoLabel}
        </Button>
      </Group>
    ),
  });
}

/** "My tasks": overdue, due today, upcoming and undated, with add, complete and delete. */
export function TasksPanel() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    api.tasks.list('open').then((list) => live && setTasks(list), notifyError);
    return () => {
      live = false;
    };
  }, [api, version]);
  useEffect(() => api.events.onTasksChanged(reload), [api, reload]);

  // Names of the members tasks are about (ids only are stored with a task).
  useEffect(() => {
    const missing = [...new Set((tasks ?? []).map((x) => x.memberId))].filter(
      (id) => id && !(id in names),
    );
    if (missing.length === 0) return;
    let live = true;
    Promise.all(
      missing.map((id) =>
        api.members.get(id).then(
          (m) => [id, displayName(m)] as const,
          () => [id, id] as const,
        ),
      ),
    ).then((pairs) => live && setNames((n) => ({ ...n, ...Object.fromEntries(pairs) })));
    return () => {
      live = false;
    };
  }, [api, tasks, names]);

  const dueFmt = useMemo(
    () => new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium' }),
    [i18n.resolvedLanguage],
  );

  const complete = async (task: Task) => {
    setTasks((list) => (list ?? []).filter((x) => x.id !== task.id));
    try {
      await api.tasks.complete(task.id, true);
      showUndo(t('tasks.completed', { title: task.title }), t('delete.undo'), () =>
        api.tasks.complete(task.id, false).then(reload),
      );
    } catch (reason) {
      notifyError(reason);
    }
    reload();
  };

  const remove = async (task: Task) => {
    try {
      const deleted = await api.tasks.delete(task.id);
      showUndo(t('tasks.deleted', { title: task.title }), t('delete.undo'), () =>
        api.tasks.restore(deleted).then(reload),
      );
    } catch (reason) {
      notifyError(reason);
    }
    reload();
  };

  const now = new Date();
  const grouped = BUCKETS.map((b) => ({
    bucket: b,
    list: (tasks ?? []).filter((x) => bucketOf(x, now) === b),
  })).filter((g) => g.list.length > 0);

  return (
    <Paper withBorder p="lg" radius="md" data-testid="tasks-panel">
      <Title order={3} size="h5" mb="sm">
        {t('tasks.title')}
      </Title>
      <AddTask onAdded={reload} />
      {tasks === null ? (
        <Skeleton height={60} mt="md" />
      ) : tasks.length === 0 ? (
        <Text c="dimmed" mt="md" data-testid="tasks-empty">
          {t('tasks.empty')}
        </Text>
      ) : (
        <Stack gap="md" mt="md">
          {grouped.map(({ bucket, list }) => (
            <div key={bucket} data-testid={`tasks-${bucket}`}>
              <Group gap="xs" mb={4}>
                <Text size="sm" fw={600}>
                  {t(`tasks.bucket.${bucket}`)}
                </Text>
                <Badge size="sm" variant="light" color={BUCKET_COLORS[bucket]}>
                  {list.length}
                </Badge>
              </Group>
              <Stack gap={4}>
                {list.map((task) => (
                  <Group
                    key={task.id}
                    gap="sm"
                    wrap="nowrap"
                    data-testid="task-row"
                    data-task-id={task.id}
                  >
                    <Checkbox
                      aria-label={t('tasks.complete', { title: task.title })}
                      checked={false}
                      onChange={() => void complete(task)}
                      data-testid="task-done"
                    />
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <Text size="sm" truncate>
                        {task.title}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {[
                          task.dueAt
                            ? t('tasks.due', { date: dueFmt.format(new Date(task.dueAt)) })
                            : '',
                          task.memberId ? (names[task.memberId] ?? '') : '',
                          task.source.startsWith('automation:') ? t('tasks.fromAutomation') : '',
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </Text>
                    </div>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={t('tasks.delete', { title: task.title })}
                      onClick={() => void remove(task)}
                      data-testid="task-delete"
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                ))}
              </Stack>
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function AddTask({ onAdded }: { onAdded(): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [member, setMember] = useState<MemberOption | null>(null);
  const [memberSearch, setMemberSearch] = useState('');
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);
  const options = useMemberOptions(memberSearch, member);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (title.trim() === '') {
      setErrors({ title: [{ field: 'title', code: 'required' }] });
      return;
    }
    let dueAt: string | undefined;
    if (due) {
      const [y, m, d] = due.split('-').map(Number) as [number, number, number];
      dueAt = new Date(y, m - 1, d, DUE_HOUR).toISOString();
    }
    setSaving(true);
    try {
      await api.tasks.create({
        title: title.trim(),
        notes: '',
        memberId: member?.value ?? '',
        dueAt,
      });
      setTitle('');
      setDue('');
      setMember(null);
      setMemberSearch('');
      setErrors({});
      onAdded();
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          style={{ flex: '2 1 240px' }}
          aria-label={t('tasks.newTitle')}
          placeholder={t('tasks.newTitle')}
          data-testid="task-title"
          value={title}
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            setErrors({});
          }}
          error={errorProp(errors.title ?? [])}
        />
        <TextInput
          type="date"
          style={{ flex: '0 1 170px' }}
          aria-label={t('tasks.dueDate')}
          data-testid="task-due"
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
          error={errorProp(errors.dueAt ?? [])}
        />
        <Select
          style={{ flex: '1 1 200px' }}
          aria-label={t('tasks.member')}
          placeholder={t('tasks.member')}
          data-testid="task-member"
          searchable
          clearable
          data={options}
          value={member?.value ?? null}
          searchValue={memberSearch}
          onSearchChange={setMemberSearch}
          onChange={(_, option) =>
            setMember(option ? { value: option.value, label: option.label } : null)
          }
          nothingFoundMessage="—"
          error={errorProp(errors.memberId ?? [])}
        />
        <Button
          type="submit"
          loading={saving}
          leftSection={<IconPlus size={16} />}
          data-testid="task-add"
        >
          {t('tasks.add')}
        </Button>
      </Group>
    </form>
  );
}
