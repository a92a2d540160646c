import { useEffect, useState } from 'react';
import { useApi, type Api } from '../api';
import { notifyError } from './notifyError';

/**
 * Loads `fetch(api)` once, then again after every `members:changed` event.
 * `fetch` must be stable (a module-level function), or it reloads every render.
 */
export function useMembersQuery<T>(fetch: (api: Api) => Promise<T>, initial: T): T {
  const api = useApi();
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    let live = true;
    const load = () => fetch(api).then((v) => live && setValue(v), notifyError);
    void load();
    const off = api.events.onMembersChanged(() => void load());
    return () => {
      live = false;
      off();
    };
  }, [api, fetch]);
  return value;
}
