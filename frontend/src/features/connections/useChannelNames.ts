import { useEffect, useState } from 'react';
import { useApi, type Connection } from '../../api';

/**
 * The names of the Discord channels the connections read, as their latest activity gives them
 * (the connector keeps the name Discord's channel object carries), by connection id. A channel
 * with no activity yet has no entry: the row then shows the id that was typed in its settings.
 */
export function useChannelNames(connections: Connection[]): Record<string, string> {
  const api = useApi();
  const [names, setNames] = useState<Record<string, string>>({});
  const ids = connections
    .filter((c) => c.platform === 'discord' && !c.settings.webhook)
    .map((c) => c.id)
    .sort()
    .join(',');
  useEffect(() => {
    if (ids === '') return;
    let live = true;
    void Promise.all(
      ids.split(',').map((id) =>
        api.sync.feed({ connection: id, limit: 20 }).then(
          (page) => {
            const named = page.items.find((i) => i.channel && !/^\d+$/.test(i.channel));
            return [id, named?.channel ?? ''] as const;
          },
          () => [id, ''] as const,
        ),
      ),
    ).then((pairs) => live && setNames(Object.fromEntries(pairs.filter(([, n]) => n !== ''))));
    return () => {
      live = false;
    };
  }, [api, ids]);
  return names;
}
