import { Alert, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Connection, ConnectionStatus } from '../../api';
import { useFormat } from '../../i18n/format';
import { StatusBadge } from '../connections/ConnectionsSection';
import { PlatformAvatar } from '../connections/PlatformAvatar';

/**
 * One card per connection: reachable or not, what its pulls brought in so far and when
 * something new last came in (the last run's own count is mostly zero once the history is in,
 * so it only says whether that run found anything), queue counts, last error.
 */
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
  const rows: [string, string, string][] = [
    ['checked', t('sync.checkedAt'), s.checkedAt ? fmt.dateTime(s.checkedAt) : t('sync.never')],
    ['total', t('sync.pulled'), pulledSoFar(t, s)],
    ['last-new', t('sync.lastNewAt'), s.lastNewAt ? fmt.dateTime(s.lastNewAt) : t('sync.never')],
    ['last-pull', t('sync.lastPullAt'), lastPull(t, fmt.dateTime, s)],
    ['pushed', t('sync.pushed'), fmt.number(s.pushed)],
    ['queued', t('sync.queuedCount'), fmt.number(s.queued)],
    ['parked', t('sync.parkedCount'), fmt.number(s.parked)],
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
        {rows.map(([id, label, value]) => (
          <Group
            key={id}
            justify="space-between"
            gap="xs"
            wrap="nowrap"
            data-testid={`sync-row-${id}`}
          >
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

function pulledSoFar(t: TFunction, s: ConnectionStatus): string {
  const parts = [t('sync.totalActivity', { count: s.totalActivity })];
  if (s.totalNewMembers > 0) parts.push(t('sync.totalNewMembers', { count: s.totalNewMembers }));
  return parts.join(' · ');
}

function lastPull(t: TFunction, dateTime: (iso: string) => string, s: ConnectionStatus): string {
  if (!s.lastPullAt) return t('sync.never');
  const at = dateTime(s.lastPullAt);
  return s.pulledActivity > 0
    ? t('sync.lastPullNew', { count: s.pulledActivity, at })
    : t('sync.lastPullNothing', { at });
}
