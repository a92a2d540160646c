import { Button, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import { displayName } from './displayName';
import { showUndo } from './undoNotification';

interface Props {
  member: Member | null;
  onClose(): void;
  onDeleted(member: Member): void;
}

/** Asks before deleting; once deleted, offers to undo. */
export function ConfirmDeleteModal({ member, onClose, onDeleted }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!member) return;
    setBusy(true);
    try {
      const deleted = await api.members.delete(member.id);
      onDeleted(deleted);
      showUndo(api, deleted);
    } catch (reason) {
      notifyError(reason);
      onClose();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={member !== null}
      onClose={onClose}
      title={t('delete.title')}
      centered
      zIndex={300}
    >
      <Text mb="lg">{t('delete.body', { name: member ? displayName(member) : '' })}</Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} data-autofocus>
          {t('delete.cancel')}
        </Button>
        <Button
          color="red"
          loading={busy}
          onClick={() => void confirm()}
          data-testid="confirm-delete"
        >
          {t('delete.confirm')}
        </Button>
      </Group>
    </Modal>
  );
}
