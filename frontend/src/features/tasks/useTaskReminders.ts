import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Task } from '../../api';

/** True when the desktop may show notifications for us. */
export function desktopNotificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/**
 * Announces tasks as the Go side reports them due (`tasks:due`): a notification in the
 * window and, when allowed, one on the desktop.
 */
export function useTaskReminders(): void {
  const { t } = useTranslation();
  const api = useApi();
  useEffect(
    () =>
      api.events.onTasksDue((tasks: Task[]) => {
        if (tasks.length === 0) return;
        const title = t('tasks.dueTitle', { count: tasks.length });
        const body = tasks.map((task) => task.title).join('\n');
        notifications.show({
          id: `tasks-due:${tasks.map((x) => x.id).join(',')}`,
          color: 'orange',
          title,
          message: body,
          autoClose: 15_000,
          style: { whiteSpace: 'pre-line' },
        });
        if (desktopNotificationsAllowed()) {
          try {
            new Notification(title, { body, tag: 'hearth-tasks-due' });
          } catch {
            // Some webviews expose the API but refuse to construct notifications.
          }
        }
      }),
    [api, t],
  );
}
