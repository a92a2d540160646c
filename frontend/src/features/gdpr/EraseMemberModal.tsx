import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, useApi, type Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import { displayName } from '../members/displayName';

interface Props {
  member: Member | null;
  onClose(): void;
  onErased(): void;
}

/** What the person must type: the primary e-mail, else the name, else the first handle. */
const eraseConfirmation = (m: Pick<Member, 'name' | 'emails' | 'handles'>) =>
  m.emails[0] ?? (m.name.trim() || (m.handles[0]?.handle ?? ''));

/**
 * Erasure cannot be undone, so it asks the user to type the member's primary
 * e-mail exactly before the button unlocks.
 */
export function EraseMemberModal({ member, onClose, onErased }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const expected = member ? eraseConfirmation(member) : '';
  const matches = expected !== '' && typed.trim() === expected;
  const byEmail = (member?.emails.length ?? 0) > 0;
  const byName = !byEmail && (member?.name.trim() ?? '') !== '';

  const close = () => {
    setTyped('');
    setMismatch(false);
    onClose();
  };

  const erase = async () => {
    if (!member || !matches) return;
    setBusy(true);
    try {
      await api.gdpr.erase(member.id, typed.trim());
      notifications.show({
        color: 'green',
        message: t('gdpr.erased', { name: displayName(member) }),
      });
      setTyped('');
      onErased();
    } catch (reason) {
      const err = toApiError(reason);
      if (err.code === 'confirmation_mismatch') setMismatch(true);
      else notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={member !== null}
      onClose={close}
      title={t('gdpr.eraseTitle')}
      centered
      zIndex={300}
    >
      <Stack gap="sm">
        <Alert color="red" variant="light">
          {t('gdpr.eraseIrreversible', { name: member ? displayName(member) : '' })}
        </Alert>
        <List size="sm" spacing={4}>
          <List.Item>{t('gdpr.eraseWhat.record')}</List.Item>
          <List.Item>{t('gdpr.eraseWhat.consent')}</List.Item>
          <List.Item>{t('gdpr.eraseWhat.suppression')}</List.Item>
        </List>
        <TextInput
          label={t(byEmail ? 'gdpr.typeEmail' : byName ? 'gdpr.typeName' : 'gdpr.typeHandle', {
            expected,
          })}
          data-testid="gdpr-erase-confirm-input"
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            setMismatch(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void erase();
          }}
          error={mismatch ? t('errors.code.confirmation_mismatch') : undefined}
        />
        <Text size="xs" c="dimmed">
          {t('gdpr.eraseHint')}
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('gdpr.keep')}
          </Button>
          <Button
            color="red"
            disabled={!matches}
            loading={busy}
            onClick={() => void erase()}
            data-testid="gdpr-erase-confirm"
          >
            {t('gdpr.eraseConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
