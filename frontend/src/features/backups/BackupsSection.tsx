import { Alert, Button, Group, List, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Backup } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';

/** A file size in the language's words: "820 kB", "1.2 MB" ("1,2 Mo" in French). */
function useSize() {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return (bytes: number) => {
    const mb = bytes >= 1 << 20;
    return new Intl.NumberFormat(lng, {
      style: 'unit',
      unit: mb ? 'megabyte' : 'kilobyte',
      unitDisplay: 'short',
      maximumFractionDigits: mb ? 1 : 0,
    }).format(mb ? bytes / (1 << 20) : Math.max(1, Math.round(bytes / 1024)));
  };
}

/**
 * Settings > Backups: the workspace's backups (daily, and before imports, erasures and
 * upgrades), newest first; "Restore" shows what a backup holds, then restores it and restarts
 * Hearth, which finishes the restore as it opens the workspace.
 */
export function BackupsSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const size = useSize();
  const api = useApi();
  const [backups, setBackups] = useState<Backup[] | null>(null);
  const [taking, setTaking] = useState(false);
  const [chosen, setChosen] = useState<Backup | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [restarting, setRestarting] = useState<string | null>(null);

  const load = useCallback(() => api.backups.list().then(setBackups, notifyError), [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setTaking(true);
    try {
      const b = await api.backups.create();
      notifications.show({ color: 'green', message: t('backups.taken', { count: b.members }) });
      await load();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setTaking(false);
    }
  };

  const restore = async () => {
    if (!chosen) return;
    setRestoring(true);
    try {
      const res = await api.backups.restore(chosen.id);
      setChosen(null);
      setRestarting(res.backup.id);
      if (res.erased > 0)
        notifications.show({ color: 'blue', message: t('backups.erased', { count: res.erased }) });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setRestoring(false);
    }
  };

  const reason = (b: Backup) => t(`backups.reasons.${b.reason}`);

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-backups">
      <Group justify="space-between" align="flex-start" mb="xs">
        <Title order={3} size="h5">
          {t('backups.title')}
        </Title>
        <Button
          variant="light"
          size="xs"
          loading={taking}
          disabled={restarting !== null}
          onClick={() => void backUpNow()}
          data-testid="backup-now"
        >
          {t('backups.backupNow')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('backups.help')}
      </Text>
      {restarting && (
        <Alert color="blue" mb="sm" data-testid="backup-restarting">
          {t('backups.restarting', { id: restarting })}
        </Alert>
      )}
      {backups === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : backups.length === 0 ? (
        <Text c="dimmed" data-testid="backups-empty">
          {t('backups.empty')}
        </Text>
      ) : (
        <Table data-testid="backups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('backups.at')}</Table.Th>
              <Table.Th>{t('backups.reason')}</Table.Th>
              <Table.Th ta="right">{t('backups.members')}</Table.Th>
              <Table.Th ta="right">{t('backups.size')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {backups.map((b) => (
              <Table.Tr key={b.id} data-testid={`backup-row-${b.id}`}>
                <Table.Td>{fmt.dateTime(b.at)}</Table.Td>
                <Table.Td>{reason(b)}</Table.Td>
                <Table.Td ta="right">{fmt.number(b.members)}</Table.Td>
                <Table.Td ta="right">{size(b.size)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="subtle"
                    size="xs"
                    disabled={restarting !== null}
                    onClick={() => setChosen(b)}
                    data-testid={`backup-restore-${b.id}`}
                  >
                    {t('backups.restore')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal
        opened={chosen !== null}
        onClose={() => !restoring && setChosen(null)}
        title={t('backups.confirm.title')}
        data-testid="backup-confirm"
      >
        {chosen && (
          <Stack gap="sm">
            <Text fw={500} data-testid="backup-confirm-holds">
              {t('backups.confirm.holds', {
                at: fmt.dateTime(chosen.at),
                reason: reason(chosen),
                members: fmt.number(chosen.members),
                version: fmt.number(chosen.schemaVersion),
                size: size(chosen.size),
              })}
            </Text>
            <List size="sm" spacing={4}>
              <List.Item>{t('backups.confirm.replaces')}</List.Item>
              <List.Item>{t('backups.confirm.erasures')}</List.Item>
              <List.Item>{t('backups.confirm.restart')}</List.Item>
            </List>
            <Group justify="flex-end">
              <Button variant="default" disabled={restoring} onClick={() => setChosen(null)}>
                {t('backups.confirm.cancel')}
              </Button>
              <Button
                color="red"
                loading={restoring}
                onClick={() => void restore()}
                data-testid="backup-confirm-restore"
              >
                {t('backups.confirm.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
