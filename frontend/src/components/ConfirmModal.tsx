import { Button, Group, Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  opened: boolean;
  title: string;
  /** What will happen, in a sentence naming the thing. */
  body: string;
  /** The red button's label ("Delete"). */
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
  onClose(): void;
  /** The red button's data-testid. */
  testId: string;
}

/** Asks before something that cannot be taken back: Cancel (focused) or a red button. */
export function ConfirmModal(p: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={p.opened} onClose={p.onClose} title={p.title} centered zIndex={300}>
      <Text mb="lg">{p.body}</Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={p.onClose} data-autofocus>
          {t('delete.cancel')}
        </Button>
        <Button color="red" loading={p.busy} onClick={p.onConfirm} data-testid={p.testId}>
          {p.confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
