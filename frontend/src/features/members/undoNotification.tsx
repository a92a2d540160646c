import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Api, Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import i18n from '../../i18n';
import { displayName } from './displayName';

/** A notification naming the deleted member, with an Undo button that restores it. */
export function showUndo(api: Api, member: Member): void {
  const t = i18n.t.bind(i18n);
  const name = displayName(member);
  const id = `deleted:${member.id}`;
  const undo = async () => {
    notifications.hide(id);
    try {
      await api.members.restore(member);
      notifications.show({ color: 'green', message: t('delete.restored', { name }) });
    } catch (reason) {
      notifyError(reason);
    }
  };
  notifications.show({
    id,
    autoClose: 10_000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" truncate>
          {t('delete.done', { name })}
        </Text>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => void undo()}
          data-testid="undo-delete"
        >
          {t('delete.undo')}
        </Button>
      </Group>
    ),
  });
}
