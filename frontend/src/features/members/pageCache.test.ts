import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../api/fake';
import { recordedMembers } from '../../api/fake/recorded';
import { demoMembers } from '../../api/fake/seed';
import { BLOCK_SIZE, PageCache } from './pageCache';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(count: number) {
  const api = createFakeApi({ members: demoMembers(count) });
  const requests: number[] = [];
  const errors: unknown[] = [];
  const fetchBlock = (offset: number, limit: number) => {
    requests.push(offset);
    return api.members.list({ search: '', tag: '', sort: 'name', desc: false, offset, limit });
  };
  const cache = new PageCache('all', fetchBlock, (e) => errors.push(e));
  return { api, cache, requests, errors, fetchBlock };
}

describe('PageCache', () => {
  it('fetches only the blocks in view, once', async () => {
    const { cache, requests } = setup(100_000);
    cache.ensure(0, 30);
    cache.ensure(0, 30);
    await settle();
    expect(cache.total).toBe(100_000);
    expect(requests).toEqual([0]);

    cache.ensure(50_010, 50_040);
    await settle();
    expect(requests).toEqual([0, 50_000]);
    expect(cache.row(50_020)).toBeDefined();
    expect(cache.row(10_000)).toBeUndefined();
  });

  it('asks for two blocks when the view straddles them', async () => {
    const { cache, requests } = setup(1000);
    cache.ensure(BLOCK_SIZE - 5, BLOCK_SIZE + 5);
    await settle();
    expect(requests).toEqual([0, BLOCK_SIZE]);
  });

  it('keeps showing old rows while refreshing after a change', async () => {
    const { cache, requests } = setup(1000);
    cache.ensure(0, 20);
    await settle();
    const before = cache.row(0);
    cache.invalidate();
    expect(cache.row(0)).toBe(before);
    await settle();
    expect(requests).toEqual([0, 0]);
    expect(cache.row(0)).toEqual(before);
  });

  it('starts from the top for a new query and ignores late answers to the old one', async () => {
    const { cache } = setup(1000);
    cache.ensure(400, 420);
    // A search is Go's recorded answer over the recorded workspace's members.
    const recorded = createFakeApi({ members: recordedMembers() });
    cache.setQuery('helene', (offset, limit) =>
      recorded.members.list({
        search: 'helene',
        tag: '',
        sort: 'name',
        desc: false,
        offset,
        limit,
      }),
    );
    await settle();
    expect(cache.total).toBe(1);
    expect(cache.row(0)?.name).toBe('Hélène Dupont');
  });

  it('reports a failure once and does not retry in a loop', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const cache = new PageCache(
      'x',
      () => {
        calls++;
        return Promise.reject(new Error('down'));
      },
      (e) => errors.push(e),
    );
    cache.ensure(0, 500);
    await settle();
    expect(calls).toBe(3);
    cache.ensure(0, 500);
    await settle();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(3);
    expect(cache.total).toBe(0);
  });
});
