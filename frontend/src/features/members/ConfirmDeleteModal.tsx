import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Member } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
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
    <ConfirmModal
      opened={member !== null}
      onClose={onClose}
      title={t('delete.title')}
      body={t('delete.body', { name: member ? displayName(member) : '' })}
      confirmLabel={t('delete.confirm')}
      busy={busy}
      onConfirm={() => void confirm()}
      testId="confirm-delete"
    />
  );
}
