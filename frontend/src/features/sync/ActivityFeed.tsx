import { Anchor, Badge, Button, Center, Group, Paper, Select, Text, Title } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACTIVITY_KINDS,
  useApi,
  type ActivityKind,
  type ConnectionStatus,
  type FeedItem,
} from '../../api';
import { notifyError } from '../../components/notifyError';
import { safeHref } from '../../components/safeHref';
import { useFormat } from '../../i18n/format';
import { PlatformAvatar } from '../connections/PlatformAvatar';
import { channelLabel } from './channelLabel';

export const FEED_ROW_HEIGHT = 88;
const PAGE = 50;

interface Props {
  connections: ConnectionStatus[];
  onOpenMember(id: string): void;
}

/**
 * What people did on the platforms, newest first, virtualised. Everything in an item comes from
 * a platform and is untrusted: shown as text, its link only if it is a web address.
 */
export function ActivityFeed({ connections, onOpenMember }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [connection, setConnection] = useState<string | null>(null);
  const [kind, setKind] = useState<ActivityKind | null>(null);
  const [items, setItems] = useState<FeedItem[] | null>(null);
  const [next, setNext] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const latest = useRef(0);

  const query = useCallback(
    (before: string) =>
      api.sync.feed({
        limit: PAGE,
        ...(before ? { before } : {}),
        ...(connection ? { connection } : {}),
        ...(kind ? { kind } : {}),
      }),
    [api, connection, kind],
  );

  useEffect(() => {
    let live = true;
    const load = () => {
      const n = ++latest.current;
      query('').then((page) => {
        if (!live || n !== latest.current) return;
        setItems(page.items);
        setNext(page.next ?? '');
      }, notifyError);
    };
    load();
    const off = api.events.onActivityChanged(load);
    return () => {
      live = false;
      off();
    };
  }, [api, query]);

  const loadMore = async () => {
    const n = latest.current;
    setLoadingMore(true);
    try {
      const page = await query(next);
      if (n !== latest.current) return;
      setItems((cur) => {
        const seen = new Set((cur ?? []).map((i) => i.id));
        return [...(cur ?? []), ...page.items.filter((i) => !seen.has(i.id))];
      });
      setNext(page.next ?? '');
    } catch (reason) {
      notifyError(reason);
    } finally {
      setLoadingMore(false);
    }
  };

  const names = Object.fromEntries(connections.map((c) => [c.connection, c.name]));

  return (
    <Paper withBorder p="lg" radius="md" data-testid="sync-feed">
      <Group justify="space-between" mb="xs" wrap="wrap" gap="sm">
        <Title order={3} size="h5">
          {t('sync.feed')}
        </Title>
        <Group gap="xs">
          <Select
            size="xs"
            aria-label={t('sync.feedConnection')}
            placeholder={t('sync.allConnections')}
            clearable
            data={connections.map((c) => ({ value: c.connection, label: c.name }))}
            value={connection}
            onChange={setConnection}
            data-testid="feed-connection"
          />
          <Select
            size="xs"
            aria-label={t('sync.feedKind')}
            placeholder={t('sync.allKinds')}
            clearable
            data={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`sync.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => setKind(v as ActivityKind | null)}
            data-testid="feed-kind"
          />
        </Group>
      </Group>
      {items === null ? (
        <Text c="dimmed" size="sm">
          {t('sync.loading')}
        </Text>
      ) : items.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="feed-empty">
          {t('sync.feedEmpty')}
        </Text>
      ) : (
        <FeedList items={items} names={names} onOpenMember={onOpenMember} />
      )}
      {next && items && items.length > 0 && (
        <Center mt="sm">
          <Button
            variant="default"
            size="xs"
            loading={loadingMore}
            onClick={() => void loadMore()}
            data-testid="feed-more"
          >
            {t('sync.loadMore')}
          </Button>
        </Center>
      )}
    </Paper>
  );
}

function FeedList({
  items,
  names,
  onOpenMember,
}: {
  items: FeedItem[];
  names: Record<string, string>;
  onOpenMember(id: string): void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => FEED_ROW_HEIGHT,
    overscan: 8,
  });
  return (
    <div
      ref={scrollRef}
      style={{ height: Math.min(480, items.length * FEED_ROW_HEIGHT), overflowY: 'auto' }}
      role="list"
      data-testid="feed-list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const item = items[v.index];
          return item ? (
            <div
              key={item.id}
              role="listitem"
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                height: FEED_ROW_HEIGHT,
                transform: `translateY(${v.start}px)`,
              }}
            >
              <FeedRow item={item} where={names[item.connection]} onOpenMember={onOpenMember} />
            </div>
          ) : null;
        })}
      </div>
    </div>
  );
}

function FeedRow({
  item,
  where,
  onOpenMember,
}: {
  item: FeedItem;
  where: string | undefined;
  onOpenMember(id: string): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const href = safeHref(item.link ?? '');
  const place = [...new Set([where, channelLabel(item)].filter(Boolean))].join(' · ');
  const who = item.memberName || t('sync.someone');
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      h="100%"
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      data-testid="feed-item"
      data-kind={item.kind}
    >
      <PlatformAvatar platform={item.platform} size="sm" />
      <div style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          <Badge size="xs" variant="light" style={{ flex: 'none' }}>
            {t(`sync.kinds.${item.kind}`, { defaultValue: item.kind })}
          </Badge>
          {item.memberId ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              fw={600}
              onClick={() => onOpenMember(item.memberId ?? '')}
              data-testid="feed-member"
              truncate
            >
              {who}
            </Anchor>
          ) : (
            <Text size="sm" fw={600} truncate>
              {who}
            </Text>
          )}
          <Text size="xs" c="dimmed" truncate>
            {place}
          </Text>
          <Text size="xs" c="dimmed" style={{ flex: 'none', marginLeft: 'auto' }}>
            {fmt.dateTime(item.at)}
          </Text>
          {href && (
            <Anchor
              href={href}
              target="_blank"
              rel="noopener noreferrer"
              size="xs"
              style={{ flex: 'none' }}
              data-testid="feed-link"
            >
              {t('sync.openOnPlatform')}
            </Anchor>
          )}
        </Group>
        {item.title && (
          <Text size="sm" fw={500} truncate data-testid="feed-title">
            {item.title}
          </Text>
        )}
        <Text
          size="sm"
          lineClamp={item.title ? 1 : 2}
          data-testid="feed-text"
          style={{ wordBreak: 'break-word' }}
        >
          {item.text}
        </Text>
      </div>
    </Group>
  );
}
