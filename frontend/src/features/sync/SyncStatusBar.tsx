import { Box, Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncOverview } from '../../api';
import { useFormat } from '../../i18n/format';
import { useSyncOverview } from './useSyncOverview';

type Reach = 'none' | 'all' | 'some' | 'offline';

/** How many connections answer: all, some, none, or there are none. */
function reach(o: SyncOverview): { reach: Reach; online: number; total: number } {
  const total = o.connections.length;
  const online = o.connections.filter((c) => c.online).length;
  const r: Reach =
    total === 0 ? 'none' : online === total ? 'all' : online > 0 ? 'some' : 'offline';
  return { reach: r, online, total };
}

const DOT: Record<Reach, string> = {
  none: 'gray',
  all: 'green',
  some: 'yellow',
  offline: 'red',
};

/** The footer's sync summary; a click opens the Sync screen. */
export function SyncStatusBar({ onOpen }: { onOpen(): void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const overview = useSyncOverview(true);
  if (!overview) return null;
  const r = reach(overview);
  return (
    <UnstyledButton onClick={onOpen} data-testid="status-sync" title={t('status.open')} px="xs">
      <Group gap="md" wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <Box
            w={8}
            h={8}
            bg={`${DOT[r.reach]}.6`}
            style={{ borderRadius: '50%', flex: 'none' }}
            aria-hidden="true"
          />
          <Text size="xs" data-testid="status-online" data-reach={r.reach}>
            {t(`status.reach.${r.reach}`, {
              online: fmt.number(r.online),
              total: fmt.number(r.total),
              count: r.total,
            })}
          </Text>
        </Group>
        <Text size="xs" data-testid="status-queue">
          {overview.queued > 0
            ? t('status.queue', { count: overview.queued, n: fmt.number(overview.queued) })
            : t('status.queueEmpty')}
        </Text>
        {overview.parked > 0 && (
          <Text size="xs" c="red" data-testid="status-parked">
            {t('status.parked', { count: overview.parked, n: fmt.number(overview.parked) })}
          </Text>
        )}
        {overview.running && (
          <Text size="xs" c="dimmed" data-testid="status-running">
            {t('status.running')}
          </Text>
        )}
      </Group>
    </UnstyledButton>
  );
}
