import { useEffect, useState } from 'react';
import { useApi, type SyncOverview } from '../../api';
import { notifyError } from '../../components/notifyError';

/**
 * The engine's overview, reloaded on `sync:changed` and `connections:changed`; null while
 * loading. `quiet`: a failure is not announced (the status bar must not nag on every screen).
 */
export function useSyncOverview(quiet = false): SyncOverview | null {
  const api = useApi();
  const [overview, setOverview] = useState<SyncOverview | null>(null);
  useEffect(() => {
    let live = true;
    let latest = 0;
    const load = () => {
      const n = ++latest;
      return api.sync.overview().then(
        (o) => live && n === latest && setOverview(o),
        (reason: unknown) => {
          if (!quiet) notifyError(reason);
          else console.error(reason);
        },
      );
    };
    void load();
    const offSync = api.events.onSyncChanged(() => void load());
    const offConns = api.events.onConnectionsChanged(() => void load());
    return () => {
      live = false;
      offSync();
      offConns();
    };
  }, [api, quiet]);
  return overview;
}
