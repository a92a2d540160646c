import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useApi } from '../../api';
import { displayName } from '../members/displayName';

export interface MemberOption {
  value: string;
  label: string;
}

/** Up to 20 members matching `search`, as Select options; `keep` stays listed. */
export function useMemberOptions(search: string, keep?: MemberOption | null): MemberOption[] {
  const api = useApi();
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [options, setOptions] = useState<MemberOption[]>([]);
  useEffect(() => {
    let live = true;
    api.members
      .list({ search: debounced, tag: '', sort: 'name', desc: false, offset: 0, limit: 20 })
      .then(
        (page) =>
          live && setOptions(page.items.map((m) => ({ value: m.id, label: displayName(m) }))),
        () => live && setOptions([]),
      );
    return () => {
      live = false;
    };
  }, [api, debounced]);
  return keep && !options.some((o) => o.value === keep.value) ? [keep, ...options] : options;
}
