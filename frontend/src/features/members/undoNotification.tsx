import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Api, Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import i18n from '../../i18n';
import { displayName } from './displayName';

/** What an undo notification says and does. */
interface UndoNotice {
  /** The notification's id (a later one with the same id replaces it). */
  id: string;
  /** What was done, and the Undo button's label and test id. */
  message: string;
  undoLabel: string;
  testId: string;
  /** Takes the change back, and resolves with the message saying so. */
  undo(): Promise<string>;
}

/** A notification saying what was done, with an Undo button; a failed undo is notified. */
export function showUndoNotification(n: UndoNotice): void {
  const undo = async () => {
    notifications.hide(n.id);
    try {
      notifications.show({ color: 'green', message: await n.undo() });
    } catch (reason) {
      notifyError(reason);
    }
  };
  notifications.show({
    id: n.id,
    autoClose: 10_000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" truncate>
          {n.message}
        </Text>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => void undo()}
          data-testid={n.testId}
        >
          {n.undoLabel}
        </Button>
      </Group>
    ),
  });
}

/** A notification naming the deleted member, with an Undo button that restores it. */
export function showUndo(api: Api, member: Member): void {
  const t = i18n.t.bind(i18n);
  const name = displayName(member);
  showUndoNotification({
    id: `deleted:${member.id}`,
    message: t('delete.done', { name }),
    undoLabel: t('delete.undo'),
    testId: 'undo-delete',
    undo: async () => {
      await api.members.restore(member);
      return t('delete.restored', { name });
    },
  });
}
