import { Anchor, Badge, Button, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Delivery } from '../../api';
import { notifyError } from '../../components/notifyError';
import { safeHref } from '../../components/safeHref';
import { useFormat } from '../../i18n/format';
import { reasonDetails, reasonText } from './reasons';

const LIMIT = 200;

const byDue = (a: Delivery, b: Delivery) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0);

/** What waits to be published, and what was given up with the reason and a retry. */
export function DeliveriesSection({ names }: { names: Record<string, string> }) {
  const { t } = useTranslation();
  const api = useApi();
  const [queue, setQueue] = useState<Delivery[] | null>(null);
  const [parked, setParked] = useState<Delivery[] | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let latest = 0;
    const load = () => {
      const n = ++latest;
      Promise.all([
        api.sync.deliveries({ state: 'queued', limit: LIMIT }),
        api.sync.deliveries({ state: 'sending', limit: LIMIT }),
        api.sync.deliveries({ state: 'parked', limit: LIMIT }),
      ]).then(([queued, sending, stuck]) => {
        if (!live || n !== latest) return;
        setQueue([...sending, ...queued].sort(byDue));
        setParked(stuck);
      }, notifyError);
    };
    load();
    const off = api.events.onSyncChanged(load);
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const retry = async (d: Delivery) => {
    setRetrying(d.id);
    try {
      await api.sync.retry(d.id);
      setParked((p) => p?.filter((x) => x.id !== d.id) ?? p);
      notifications.show({ color: 'green', message: t('sync.retried', { title: d.title }) });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setRetrying(null);
    }
  };

  const where = (d: Delivery) => names[d.connection] ?? d.channel;

  return (
    <>
      <Paper withBorder p="lg" radius="md" data-testid="sync-queue">
        <Title order={3} size="h5" mb="xs">
          {t('sync.queue')}
        </Title>
        {queue === null ? (
          <Text c="dimmed" size="sm">
            {t('sync.loading')}
          </Text>
        ) : queue.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('sync.queueEmpty')}
          </Text>
        ) : (
          <DeliveryTable rows={queue} where={where} kind="queue" />
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md" data-testid="sync-parked">
        <Title order={3} size="h5" mb="xs">
          {t('sync.parked')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('sync.parkedHelp')}
        </Text>
        {parked === null ? (
          <Text c="dimmed" size="sm">
            {t('sync.loading')}
          </Text>
        ) : parked.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="sync-parked-empty">
            {t('sync.parkedEmpty')}
          </Text>
        ) : (
          <DeliveryTable
            rows={parked}
            where={where}
            kind="parked"
            retrying={retrying}
            onRetry={(d) => void retry(d)}
          />
        )}
      </Paper>
    </>
  );
}

function DeliveryTable({
  rows,
  where,
  kind,
  retrying,
  onRetry,
}: {
  rows: Delivery[];
  where(d: Delivery): string;
  kind: 'queue' | 'parked';
  retrying?: string | null;
  onRetry?(d: Delivery): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sync.entry')}</Table.Th>
            <Table.Th>{t('sync.channel')}</Table.Th>
            <Table.Th>{t('sync.dueAt')}</Table.Th>
            {kind === 'queue' ? (
              <>
                <Table.Th>{t('sync.state')}</Table.Th>
                <Table.Th>{t('sync.nextAt')}</Table.Th>
              </>
            ) : (
              <>
                <Table.Th>{t('sync.reason')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('sync.actions')}</VisuallyHidden>
                </Table.Th>
              </>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((d) => {
            const href = d.url ? safeHref(d.url) : undefined;
            return (
              <Table.Tr key={d.id} data-testid={kind === 'queue' ? 'queue-row' : 'parked-row'}>
                <Table.Td>
                  {href ? (
                    <Anchor href={href} target="_blank" rel="noopener noreferrer" inherit>
                      {d.title}
                    </Anchor>
                  ) : (
                    d.title
                  )}
                  <Text size="xs" c="dimmed">
                    {d.attempts > 0
                      ? t('sync.attempts', { count: d.attempts })
                      : t('sync.notTried')}
                  </Text>
                </Table.Td>
                <Table.Td>{where(d)}</Table.Td>
                <Table.Td>{fmt.dateTime(d.dueAt)}</Table.Td>
                {kind === 'queue' ? (
                  <>
                    <Table.Td>
                      <Badge
                        size="sm"
                        variant="light"
                        color={d.state === 'sending' ? 'blue' : 'gray'}
                      >
                        {t(`sync.states.${d.state}`)}
                      </Badge>
                      {d.reason && (
                        <Text size="xs" c="dimmed">
                          {reasonText(t, d)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{d.nextAt ? fmt.dateTime(d.nextAt) : t('sync.asap')}</Table.Td>
                  </>
                ) : (
                  <>
                    <Table.Td data-testid="parked-reason">
                      <Text size="sm" style={{ wordBreak: 'break-word' }}>
                        {reasonText(t, d)}
                      </Text>
                      {reasonDetails(d) && (
                        // The Go side's words, in English.
                        <Text size="xs" c="dimmed" lang="en" style={{ wordBreak: 'break-word' }}>
                          {reasonDetails(d)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        loading={retrying === d.id}
                        onClick={() => onRetry?.(d)}
                        aria-label={t('sync.retryAria', { title: d.title })}
                        data-testid="delivery-retry"
                      >
                        {t('sync.retry')}
                      </Button>
                    </Table.Td>
                  </>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
