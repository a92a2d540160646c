import type { Api, ListQuery, Page } from '../../api';
import { BLOCK_SIZE } from './pageCache';

/** The members list as the window opens on it: everyone, by name, from the top. */
export const FIRST_PAGE: ListQuery = {
  search: '',
  tag: '',
  sort: 'name',
  desc: false,
  offset: 0,
  limit: BLOCK_SIZE,
};

const same = (a: ListQuery, b: ListQuery) =>
  (a.search ?? '') === b.search &&
  (a.tag ?? '') === b.tag &&
  (a.sort ?? 'name') === b.sort &&
  (a.desc ?? false) === b.desc &&
  (a.offset ?? 0) === b.offset &&
  a.limit === b.limit;

/**
 * Asks for the members screen's first page now, while the window still loads its screens, and
 * returns an api whose first request for that same page gets this answer (later ones ask again):
 * the rows are there when the table first renders instead of being asked for only then.
 */
export function withFirstPageAsked(api: Api): Api {
  let pending: Promise<Page> | null = api.members.list(FIRST_PAGE);
  // A failure is reported by the screen that uses the answer, not as an unhandled rejection.
  pending.catch(() => {});
  return {
    ...api,
    members: {
      ...api.members,
      list: (q) => {
        if (pending && same(q, FIRST_PAGE)) {
          const answer = pending;
          pending = null;
          return answer;
        }
        pending = null; // the person moved on: the early answer is stale for what comes next
        return api.members.list(q);
      },
    },
  };
}
