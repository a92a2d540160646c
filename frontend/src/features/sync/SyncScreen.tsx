import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, useApi, type RunReport } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { useConnections } from '../connections/useConnections';
import { MemberDrawer, type Editing } from '../members/MemberDrawer';
import { useMemberTags } from '../members/useMemberTags';
import { ActivityFeed } from './ActivityFeed';
import { ConnectionCards } from './ConnectionCards';
import { DeliveriesSection } from './DeliveriesSection';
import { useSyncOverview } from './useSyncOverview';

/** The Sync screen: each platform's state, the queue, parked entries and incoming activity. */
export function SyncScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const overview = useSyncOverview();
  const connections = useConnections();
  const tags = useMemberTags();
  const [starting, setStarting] = useState(false);
  const [member, setMember] = useState<Editing>(null);
  const running = starting || (overview?.running ?? false);

  const runNow = async () => {
    setStarting(true);
    try {
      const report = await api.sync.runNow();
      notifications.show({
        color: report.connections.some((c) => c.error) ? 'yellow' : 'green',
        title: t('sync.doneTitle'),
        message: summarise(t, report),
        style: { whiteSpace: 'pre-line' },
      });
    } catch (reason) {
      // Stopped by the person: not an error, and nothing was lost.
      if (toApiError(reason).code === 'cancelled')
        notifications.show({ title: t('sync.stoppedTitle'), message: t('sync.stopped') });
      else notifyError(reason);
    } finally {
      setStarting(false);
    }
  };

  const openMember = useCallback((id: string) => setMember({ mode: 'edit', id }), []);
  const closeMember = useCallback(() => setMember(null), []);
  const names = Object.fromEntries(
    (overview?.connections ?? []).map((c) => [c.connection, c.name]),
  );

  return (
    // Scrolls inside the shell's column, like the members screen, so the banner keeps its size.
    <Stack
      gap="lg"
      flex={1}
      mih={0}
      maw={1100}
      style={{ overflowY: 'auto' }}
      data-testid="screen-sync"
    >
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2}>{t('nav.sync')}</Title>
          <Text size="sm" c="dimmed" data-testid="sync-last-run">
            {overview?.lastRunAt
              ? t('sync.lastRun', { at: fmt.dateTime(overview.lastRunAt) })
              : t('sync.neverRun')}
          </Text>
        </div>
        <Group gap="xs">
          {running && (
            <Button
              variant="default"
              onClick={() => void api.sync.cancel().catch(notifyError)}
              data-testid="sync-stop"
            >
              {t('sync.stop')}
            </Button>
          )}
          <Button
            onClick={() => void runNow()}
            loading={running}
            data-testid="sync-now"
            data-running={running ? 'true' : 'false'}
          >
            {t('sync.runNow')}
          </Button>
        </Group>
      </Group>

      {overview === null ? (
        <Text c="dimmed" size="sm">
          {t('sync.loading')}
        </Text>
      ) : (
        <ConnectionCards statuses={overview.connections} connections={connections ?? []} />
      )}

      <DeliveriesSection names={names} />
      <ActivityFeed connections={overview?.connections ?? []} onOpenMember={openMember} />

      <MemberDrawer
        editing={member}
        allTags={tags.map((x) => x.tag)}
        onClose={closeMember}
        onOpenMember={openMember}
      />
    </Stack>
  );
}

/** "forum: 2 published, 5 received" per connection, in the current language. */
function summarise(t: ReturnType<typeof useTranslation>['t'], report: RunReport): string {
  if (report.connections.length === 0) return t('sync.doneNothing');
  return report.connections
    .map((c) =>
      c.error
        ? t('sync.doneError', { name: c.name, error: c.error })
        : t('sync.doneLine', {
            name: c.name,
            pushed: t('sync.donePushed', { count: c.pushed }),
            pulled: t('sync.donePulled', { count: c.pulled }),
          }),
    )
    .join('\n');
}
