import { describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../api/fake';
import { demoMembers } from '../../api/fake/seed';
import { FIRST_PAGE, withFirstPageAsked } from './firstPage';

describe('withFirstPageAsked', () => {
  it('asks for the first page at once and answers the first request for it with that answer', async () => {
    const api = createFakeApi({ members: demoMembers(500) });
    const list = vi.spyOn(api.members, 'list');
    const early = withFirstPageAsked(api);
    expect(list).toHaveBeenCalledTimes(1);

    const page = await early.members.list({ ...FIRST_PAGE });
    expect(list).toHaveBeenCalledTimes(1);
    expect(page.total).toBe(500);
    expect(page.items).toHaveLength(FIRST_PAGE.limit!);

    await early.members.list({ ...FIRST_PAGE });
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('asks again for any other page, and drops the early answer', async () => {
    const api = createFakeApi({ members: demoMembers(50) });
    const list = vi
      .spyOn(api.members, 'list')
      .mockImplementation((q) => Promise.resolve({ items: [], total: 0, offset: q.offset ?? 0 }));
    const early = withFirstPageAsked(api);
    await early.members.list({ ...FIRST_PAGE, search: 'a' });
    await early.members.list({ ...FIRST_PAGE });
    expect(list).toHaveBeenCalledTimes(3);
  });
});
