import type { Api, TagCount } from '../../api';
import { useMembersQuery } from '../../components/useMembersQuery';

const fetchTags = (api: Api) => api.members.tags();
const none: TagCount[] = [];

/** All tags with their member counts, kept fresh on `members:changed`. */
export function useMemberTags(): TagCount[] {
  return useMembersQuery(fetchTags, none);
}
