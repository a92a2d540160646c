import { Button, Group, Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Occurrence, RescheduleScope } from '../../api';

export interface PendingMove {
  occurrence: Occurrence;
  newAt: Date;
}

interface Props {
  pending: PendingMove | null;
  /** The new time, formatted. */
  when: string;
  onClose(): void;
  onChoose(scope: RescheduleScope): void;
}

/** Moving an occurrence of a series: this one only, or the whole series? */
export function RescheduleModal({ pending, when, onClose, onChoose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={pending !== null}
      onClose={onClose}
      title={t('calendar.rescheduleTitle')}
      centered
    >
      <Text mb="lg">
        {t('calendar.rescheduleBody', { title: pending?.occurrence.title ?? '', date: when })}
      </Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('form.cancel')}
        </Button>
        <Button variant="light" onClick={() => onChoose('series')} data-testid="reschedule-series">
          {t('calendar.rescheduleSeries')}
        </Button>
        <Button onClick={() => onChoose('one')} data-testid="reschedule-one" data-autofocus>
          {t('calendar.rescheduleOne')}
        </Button>
      </Group>
    </Modal>
  );
}
