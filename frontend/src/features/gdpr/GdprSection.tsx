import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Member } from '../../api';
import { notifyError } from '../../components/notifyError';

interface Props {
  member: Member;
  /** Opens the erase confirmation (owned by the drawer, like the delete one). */
  onErase(): void;
}

/** The member's rights: a copy of their data, and erasure. */
export function GdprSection({ member, onErase }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [exporting, setExporting] = useState(false);

  const exportData = async () => {
    setExporting(true);
    try {
      const folder = await api.gdpr.export(member.id);
      if (folder)
        notifications.show({ color: 'green', message: t('gdpr.exported', { path: folder }) });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="xs" data-testid="gdpr-panel">
      <Title order={3} size="h5">
        {t('gdpr.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('gdpr.help')}
      </Text>
      <Group gap="sm">
        <Button
          variant="default"
          loading={exporting}
          onClick={() => void exportData()}
          data-testid="gdpr-export"
        >
          {t('gdpr.export')}
        </Button>
        <Button color="red" variant="outline" onClick={onErase} data-testid="gdpr-erase">
          {t('gdpr.erase')}
        </Button>
      </Group>
    </Stack>
  );
}
