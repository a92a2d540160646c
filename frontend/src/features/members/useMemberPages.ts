import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApi, type Api, type Member, type SortKey } from '../../api';
import { notifyError } from '../../components/notifyError';
import { PageCache } from './pageCache';

export interface MemberQuery {
  search: string;
  tag: string;
  sort: SortKey;
  desc: boolean;
  /** A saved segment's id: only its members ('' for every member). */
  segment: string;
}

export interface MemberPages {
  /** Members matching the query; null until the first page arrives. */
  total: number | null;
  row(index: number): Member | undefined;
  /** Asks for rows `start..end` (inclusive); they arrive asynchronously. */
  ensure(start: number, end: number): void;
  /** Changes whenever rows or total change. */
  version: number;
}

const queryKey = (q: MemberQuery) => JSON.stringify([q.search, q.tag, q.sort, q.desc, q.segment]);

const fetcher =
  (api: Api, { segment, ...q }: MemberQuery) =>
  (offset: number, limit: number) =>
    segment === ''
      ? api.members.list({ ...q, offset, limit })
      : api.segments.members(segment, { ...q, offset, limit });

/** Block-paged, cached rows of the member list; refreshes on `members:changed`. */
export function useMemberPages(query: MemberQuery): MemberPages {
  const api = useApi();
  const [cache] = useState(() => new PageCache(queryKey(query), fetcher(api, query), notifyError));
  const version = useSyncExternalStore(cache.subscribe, cache.getVersion);
  const { search, tag, sort, desc, segment } = query;

  useEffect(() => {
    const q = { search, tag, sort, desc, segment };
    cache.setQuery(queryKey(q), fetcher(api, q));
  }, [api, cache, search, tag, sort, desc, segment]);

  useEffect(() => api.events.onMembersChanged(() => cache.invalidate()), [api, cache]);

  return {
    total: cache.total,
    row: cache.row,
    ensure: cache.ensure,
    version,
  };
}
