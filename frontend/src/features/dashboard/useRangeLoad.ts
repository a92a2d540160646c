import { useCallback, useEffect, useState } from 'react';
import { useApi, type Api } from '../../api';
import { notifyError } from '../../components/notifyError';
import type { DayRange } from './ranges';

/** Changes arriving in bursts (a sync, an import) reload the numbers once. */
export const REFRESH_DEBOUNCE_MS = 400;

export interface RangeLoad<T> {
  /** The latest answer; kept while a new range loads, null before the first. */
  result: T | null;
  /** The range `result` is about. */
  range: DayRange | null;
  loading: boolean;
  /** Asks again now (e.g. after settings that change the answer were saved). */
  reload(): void;
}

/**
 * One part of the dashboard for `range` (null: nothing to ask, e.g. an unfinished custom
 * range), asked with `load` (a module-level function: its identity must not change) for the
 * saved segment `segment` ('' for everyone), and asked again when activity or members change. Only the newest answer is kept; a failure is shown.
 */
export function useRangeLoad<T>(
  range: DayRange | null,
  load: (api: Api, from: string, to: string, segment: string) => Promise<T>,
  segment = '',
): RangeLoad<T> {
  const api = useApi();
  const [state, setState] = useState<Omit<RangeLoad<T>, 'reload'>>({
    result: null,
    range: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const from = range?.from ?? '';
  const to = range?.to ?? '';

  useEffect(() => {
    if (!from || !to) return;
    let live = true;
    let latest = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const n = ++latest;
      setState((s) => ({ ...s, loading: true }));
      load(api, from, to, segment).then(
        (result) =>
          live && n === latest && setState({ result, range: { from, to }, loading: false }),
        (reason: unknown) => {
          if (!live || n !== latest) return;
          setState((s) => ({ ...s, loading: false }));
          notifyError(reason);
        },
      );
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(run, REFRESH_DEBOUNCE_MS);
    };
    run();
    const offActivity = api.events.onActivityChanged(later);
    const offMembers = api.events.onMembersChanged(later);
    return () => {
      live = false;
      clearTimeout(timer);
      offActivity();
      offMembers();
    };
  }, [api, from, to, segment, generation, load]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
