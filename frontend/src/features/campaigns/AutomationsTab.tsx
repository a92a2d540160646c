import { Badge, Button, Group, Paper, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Automation } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import { IconPlus } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { AutomationEditor } from './AutomationEditor';
import { AutomationProgress } from './AutomationProgress';
import { triggerText } from './automationText';
import { useSegmentNames } from '../../components/useSegmentNames';

/** The automations, each with its switch, editor and per-member progress. */
export function AutomationsTab() {
  const { t } = useTranslation();
  const api = useApi();
  const [list, setList] = useState<Automation[] | null>(null);
  const [editing, setEditing] = useState<Automation | 'new' | null>(null);
  const [watching, setWatching] = useState<Automation | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Automation | null>(null);
  const [busy, setBusy] = useState(false);
  const segmentNames = useSegmentNames();

  const load = useCallback(() => api.automations.list().then(setList, notifyError), [api]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.events.onAutomationsChanged(() => void load()), [api, load]);

  const toggle = async (a: Automation, on: boolean) => {
    setSwitching(a.id);
    setList((l) => (l ?? []).map((x) => (x.id === a.id ? { ...x, enabled: on } : x)));
    try {
      const saved = await api.automations.setEnabled(a.id, on);
      setList((l) => (l ?? []).map((x) => (x.id === a.id ? saved : x)));
    } catch (reason) {
      notifyError(reason);
      void load();
    } finally {
      setSwitching(null);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await api.automations.delete(deleting.id);
      setList((l) => (l ?? []).filter((x) => x.id !== deleting.id));
      notifications.show({
        color: 'green',
        message: t('automation.deleted', { name: deleting.name }),
      });
    } catch (reason) {
      notifyError(reason);
      void load();
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="automations">
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          {t('automation.help')}
        </Text>
        <Button
          size="compact-sm"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => setEditing('new')}
          data-testid="automation-new"
        >
          {t('automation.new')}
        </Button>
      </Group>
      {list && list.length === 0 && <Text c="dimmed">{t('automation.empty')}</Text>}
      {list && list.length > 0 && (
        <Table verticalSpacing="xs" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>{t('automation.enabled')}</Table.Th>
              <Table.Th>{t('automation.name')}</Table.Th>
              <Table.Th>{t('automation.trigger')}</Table.Th>
              <Table.Th w={90}>{t('automation.steps')}</Table.Th>
              <Table.Th w={300} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((a) => (
              <Table.Tr key={a.id} data-testid="automation-row" data-automation-id={a.id}>
                <Table.Td>
                  <Switch
                    aria-label={t('automation.enableLabel', { name: a.name })}
                    checked={a.enabled}
                    disabled={switching === a.id}
                    onChange={(e) => void toggle(a, e.currentTarget.checked)}
                    data-testid="automation-enabled"
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" truncate>
                      {a.name}
                    </Text>
                    {a.builtin && (
                      <Badge size="xs" variant="light" color="gray">
                        {t('automation.builtin')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" truncate>
                    {triggerText(t, a.trigger, (id) => segmentNames[id])}
                  </Text>
                </Table.Td>
                <Table.Td>{a.steps.length}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setWatching(a)}
                      data-testid="automation-progress-open"
                    >
                      {t('automation.progress')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => setEditing(a)}
                      data-testid="automation-edit"
                    >
                      {t('automation.edit')}
                    </Button>
                    {!a.builtin && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(a)}
                        data-testid="automation-delete"
                      >
                        {t('automation.delete')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AutomationEditor
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void load();
        }}
      />
      <AutomationProgress automation={watching} onClose={() => setWatching(null)} />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('automation.deleteTitle')}
        body={t('automation.deleteBody', { name: deleting?.name ?? '' })}
        confirmLabel={t('form.delete')}
        busy={busy}
        onConfirm={() => void remove()}
        testId="automation-delete-confirm"
      />
    </Paper>
  );
}
