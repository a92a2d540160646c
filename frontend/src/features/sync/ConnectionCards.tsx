import { Alert, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Connection, ConnectionStatus } from '../../api';
import { useFormat } from '../../i18n/format';
import { StatusBadge } from '../connections/ConnectionsSection';
import { PlatformAvatar } from '../connections/PlatformAvatar';

/** One card per connection: reachable or not, when checked and pulled, counts, last error. */
export function ConnectionCards({
  statuses,
  connections,
}: {
  statuses: ConnectionStatus[];
  connections: Connection[];
}) {
  const { t } = useTranslation();
  if (statuses.length === 0)
    return (
      <Text c="dimmed" data-testid="sync-no-connections">
        {t('sync.noConnections')}
      </Text>
    );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
      {statuses.map((s) => (
        <Card
          key={s.connection}
          status={s}
          connection={connections.find((c) => c.id === s.connection)}
        />
      ))}
    </SimpleGrid>
  );
}

function Card({ status: s, connection }: { status: ConnectionStatus; connection?: Connection }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows: [string, string][] = [
    [t('sync.checkedAt'), s.checkedAt ? fmt.dateTime(s.checkedAt) : t('sync.never')],
    [t('sync.lastPullAt'), s.lastPullAt ? fmt.dateTime(s.lastPullAt) : t('sync.never')],
    [
      t('sync.pulled'),
      t('sync.pulledCounts', {
        people: fmt.number(s.pulledPeople),
        activity: fmt.number(s.pulledActivity),
      }),
    ],
    [t('sync.pushed'), fmt.number(s.pushed)],
    [t('sync.queuedCount'), fmt.number(s.queued)],
    [t('sync.parkedCount'), fmt.number(s.parked)],
  ];
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="sync-connection"
      data-name={s.name}
      data-online={s.online ? 'true' : 'false'}
    >
      <Group justify="space-between" wrap="nowrap" gap={6} mb="xs">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <PlatformAvatar platform={s.platform} size="sm" />
          <Text fw={600} truncate>
            {s.name}
          </Text>
        </Group>
        <div style={{ flex: 'none' }}>
          <StatusBadge connection={connection} status={s} />
        </div>
      </Group>
      {s.authFailed && (
        <Alert color="red" variant="light" py={6} mb="xs" data-testid="sync-auth-failed">
          <Text size="xs">{t('sync.authFailed')}</Text>
        </Alert>
      )}
      {s.pausedUntil && (
        <Text size="xs" c="orange" mb="xs" data-testid="sync-paused-until">
          {t('sync.pausedUntil', { at: fmt.dateTime(s.pausedUntil ?? '') })}
        </Text>
      )}
      <Stack component="dl" gap={2} m={0}>
        {rows.map(([label, value]) => (
          <Group key={label} justify="space-between" gap="xs" wrap="nowrap">
            <Text component="dt" size="xs" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="xs" m={0} ta="right">
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
      {s.lastError && (
        <Text
          size="xs"
          c="red"
          mt="xs"
          style={{ wordBreak: 'break-word' }}
          data-testid="sync-last-error"
        >
          {t('sync.lastError')}{' '}
          {s.lastErrorKind && <>{t(`connections.failure.${s.lastErrorKind}`)} </>}
          {/* The Go side's words, in English. */}
          <span lang="en">{s.lastError}</span>
        </Text>
      )}
    </Paper>
  );
}
