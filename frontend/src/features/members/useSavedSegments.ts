import { useCallback, useEffect, useState } from 'react';
import { useApi, type SavedSegment } from '../../api';
import { notifyError } from '../../components/notifyError';

/** The saved segments with their counts now, read again after a change and when members change. */
export function useSavedSegments(enabled: boolean) {
  const api = useApi();
  const [list, setList] = useState<SavedSegment[] | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api.segments.list().then((v) => live && setList(v), notifyError);
    const off = api.events.onMembersChanged(() => setAsked((n) => n + 1));
    return () => {
      live = false;
      off();
    };
  }, [api, enabled, asked]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  return { list, reload };
}
