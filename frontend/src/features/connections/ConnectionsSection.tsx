import { Badge, Button, Group, Modal, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useApi,
  type Connection,
  type ConnectionStatus,
  type SecretBackend,
  type TestResult,
} from '../../api';
import { IconPlus } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { useSyncOverview } from '../sync/useSyncOverview';
import { ConnectionForm } from './ConnectionForm';
import { PlatformAvatar } from './PlatformAvatar';
import { summary } from './platforms';
import { useChannelNames } from './useChannelNames';
import { useConnections } from './useConnections';

/** Settings > Connections: the platforms Hearth reads from and writes to. */
export function ConnectionsSection() {
  const { t } = useTranslation();
  const api = useApi();
  const connections = useConnections();
  const channelNames = useChannelNames(connections ?? []);
  const overview = useSyncOverview(true);
  const [backend, setBackend] = useState<SecretBackend | null>(null);
  const [editing, setEditing] = useState<null | 'new' | Connection>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult | 'testing'>>({});
  const [pausing, setPausing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    let live = true;
    api.connections.secretBackend().then((b) => live && setBackend(b), notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const statusOf = (id: string) => overview?.connections.find((s) => s.connection === id);

  const test = async (c: Connection) => {
    setTests((r) => ({ ...r, [c.id]: 'testing' }));
    try {
      const result = await api.connections.test(c.id);
      setTests((r) => ({ ...r, [c.id]: result }));
    } catch (reason) {
      setTests(({ [c.id]: _gone, ...rest }) => rest);
      notifyError(reason);
    }
  };

  const togglePause = async (c: Connection) => {
    setPausing(c.id);
    try {
      const saved = await api.connections.update(c.id, { paused: !c.paused });
      notifications.show({
        message: t(saved.paused ? 'connections.pausedDone' : 'connections.resumedDone', {
          name: saved.name,
        }),
      });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setPausing(null);
    }
  };

  const remove = async (c: Connection) => {
    setDeleting(true);
    try {
      await api.connections.remove(c.id);
      setRemoving(null);
      notifications.show({ message: t('connections.removed', { name: c.name }) });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-connections">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('connections.title')}
        </Title>
        <Button
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() => setEditing('new')}
          data-testid="connection-new"
        >
          {t('connections.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('connections.help')}
      </Text>
      {connections === null ? (
        <Text c="dimmed" size="sm">
          {t('connections.loading')}
        </Text>
      ) : connections.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="connections-empty">
          {t('connections.empty')}
        </Text>
      ) : (
        <Stack gap="xs">
          {connections.map((c) => (
            <ConnectionRow
              key={c.id}
              connection={c}
              channelName={channelNames[c.id]}
              status={statusOf(c.id)}
              test={tests[c.id]}
              pausing={pausing === c.id}
              onTest={() => void test(c)}
              onEdit={() => setEditing(c)}
              onTogglePause={() => void togglePause(c)}
              onRemove={() => setRemoving(c)}
            />
          ))}
        </Stack>
      )}

      <ConnectionForm
        editing={editing}
        secretBackend={backend}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          setEditing(null);
          setTests(({ [c.id]: _gone, ...rest }) => rest);
        }}
      />

      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('connections.removeTitle', { name: removing?.name ?? '' })}
      >
        <Text size="sm">{t('connections.removeBody')}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRemoving(null)}>
            {t('form.cancel')}
          </Button>
          <Button
            color="red"
            loading={deleting}
            onClick={() => removing && void remove(removing)}
            data-testid="connection-remove-confirm"
          >
            {t('connections.remove')}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}

interface RowProps {
  connection: Connection;
  /** The Discord channel's name, once its activity has given it. */
  channelName?: string;
  status: ConnectionStatus | undefined;
  test: TestResult | 'testing' | undefined;
  pausing: boolean;
  onTest(): void;
  onEdit(): void;
  onTogglePause(): void;
  onRemove(): void;
}

function ConnectionRow({
  connection: c,
  channelName,
  status,
  test,
  pausing,
  onTest,
  onEdit,
  onTogglePause,
  onRemove,
}: RowProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const where =
    c.platform === 'discord' && c.settings.webhook
      ? t('connections.webhookMode')
      : channelName
        ? `#${channelName}`
        : summary(c);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="connection-row" data-name={c.name}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <PlatformAvatar platform={c.platform} />
          <div style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text fw={600} truncate data-testid="connection-name-text">
                {c.name}
              </Text>
              <StatusBadge connection={c} status={status} />
            </Group>
            <Text size="xs" c="dimmed" truncate>
              {t(`connections.platforms.${c.platform}`)}
              {where ? ` · ${where}` : ''}
            </Text>
          </div>
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            loading={test === 'testing'}
            onClick={onTest}
            aria-label={t('connections.testAria', { name: c.name })}
            data-testid="connection-test"
          >
            {t('connections.test')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={onEdit}
            aria-label={t('connections.editAria', { name: c.name })}
            data-testid="connection-edit"
          >
            {t('connections.edit')}
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={pausing}
            onClick={onTogglePause}
            aria-label={t(c.paused ? 'connections.resumeAria' : 'connections.pauseAria', {
              name: c.name,
            })}
            data-testid="connection-pause"
          >
            {c.paused ? t('connections.resume') : t('connections.pause')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={onRemove}
            aria-label={t('connections.removeAria', { name: c.name })}
            data-testid="connection-remove"
          >
            {t('connections.remove')}
          </Button>
        </Group>
      </Group>
      {test && test !== 'testing' && (
        <Group
          gap="xs"
          mt="xs"
          wrap="nowrap"
          align="flex-start"
          data-testid="connection-test-result"
          data-ok={test.ok ? 'true' : 'false'}
          role="status"
        >
          <Badge color={test.ok ? 'green' : 'red'} variant="light" style={{ flex: 'none' }}>
            {test.ok ? t('connections.testOk') : t('connections.testFailed')}
          </Badge>
          <div style={{ minWidth: 0, flex: 1 }}>
            <Text size="xs">
              {test.ok ? t('connections.testOkLead') : t('connections.testFailedLead')}{' '}
              {!test.ok && test.kind && t(`connections.failure.${test.kind}`)}{' '}
              <Text span c="dimmed" inherit>
                {fmt.dateTime(test.checkedAt)}
              </Text>
            </Text>
            {test.message && (
              // The Go side's words, in English.
              <Text size="xs" c="dimmed" lang="en" style={{ wordBreak: 'break-word' }}>
                {test.message}
              </Text>
            )}
          </div>
        </Group>
      )}
    </Paper>
  );
}

/** Paused, credentials refused, online or offline, or not checked yet. */
export function StatusBadge({
  connection,
  status,
}: {
  connection?: Connection;
  status: ConnectionStatus | undefined;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [color, label] = connection?.paused
    ? ['gray', t('connections.status.paused')]
    : status?.authFailed
      ? ['red', t('connections.status.auth')]
      : !status?.checkedAt
        ? ['gray', t('connections.status.unknown')]
        : status.online
          ? ['green', t('connections.status.online')]
          : ['red', t('connections.status.offline')];
  const badge = (
    <Badge size="sm" variant="light" color={color} data-testid="connection-status">
      {label}
    </Badge>
  );
  return status?.checkedAt ? (
    <Tooltip label={t('connections.checkedAt', { at: fmt.dateTime(status.checkedAt) })}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
