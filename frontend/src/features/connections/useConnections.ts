import { useEffect, useState } from 'react';
import { useApi, type Connection } from '../../api';
import { notifyError } from '../../components/notifyError';

/** The connections, kept fresh on `connections:changed`; null while loading. */
export function useConnections(): Connection[] | null {
  const api = useApi();
  const [connections, setConnections] = useState<Connection[] | null>(null);
  useEffect(() => {
    let live = true;
    let latest = 0;
    const load = () => {
      const n = ++latest;
      // Only the newest answer counts: an older one may arrive last.
      return api.connections
        .list()
        .then((c) => live && n === latest && setConnections(c), notifyError);
    };
    void load();
    const off = api.events.onConnectionsChanged(() => void load());
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return connections;
}
