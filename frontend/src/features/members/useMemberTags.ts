import { useEffect, useState } from 'react';
import { useApi, type TagCount } from '../../api';
import { notifyError } from '../../components/notifyError';

/** All tags with their member counts, kept fresh on `members:changed`. */
export function useMemberTags(): TagCount[] {
  const api = useApi();
  const [tags, setTags] = useState<TagCount[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => api.members.tags().then((t) => live && setTags(t), notifyError);
    void load();
    const off = api.events.onMembersChanged(() => void load());
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return tags;
}
