import { useEffect, useState } from 'react';
import { useApi } from '../api';
import { notifyError } from './notifyError';

/** The saved segments' names by id (for texts naming a segment), read once. */
export function useSegmentNames(): Record<string, string> {
  const api = useApi();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    api.segments.list().then(
      (list) =>
        live && setNames(Object.fromEntries(list.map(({ segment }) => [segment.id, segment.name]))),
      (reason: unknown) => live && notifyError(reason),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return names;
}
