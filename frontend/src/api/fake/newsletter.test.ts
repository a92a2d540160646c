import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDemoApi, createFakeApi } from '.';
import { newsletterDoneEvent, type NewsletterDone } from '../types';
import { RECORDED_NOW, recordedMembers } from './recorded';

// Go's answers recorded at RECORDED_NOW (app/recorded_newsletter_test.go).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const JUNE = {
  id: '',
  subject: 'June news',
  bodyMarkdown: 'Hello {{name}}',
  lang: 'en',
  tags: ['en'],
  search: '',
  segment: '',
};

describe('fake newsletters', () => {
  it('replays a send: the job id, then the events Go emitted, then the newsletter as Go left it', async () => {
    const api = createFakeApi({ members: recordedMembers() });
    const draft = await api.newsletters.save(JUNE);
    const done = new Promise<NewsletterDone>((resolve) =>
      api.events.onNewsletterDone(draft.id, resolve),
    );
    expect(await api.newsletters.send(draft.id)).toBe(draft.id);
    expect(await done).toMatchObject({ status: 'sent', sent: 2, counts: { excludedNoEmail: 1 } });
    expect((await api.newsletters.get(draft.id)).status).toBe('sent');
    // Go refuses to send it twice, and to change or delete it once sent.
    await expect(api.newsletters.send(draft.id)).rejects.toMatchObject({
      code: 'newsletter_already_sent',
    });
    await expect(api.newsletters.save({ ...JUNE, id: draft.id })).rejects.toMatchObject({
      code: 'newsletter_not_draft',
    });
    await expect(api.newsletters.delete(draft.id)).rejects.toMatchObject({
      code: 'newsletter_not_draft',
    });
    expect(newsletterDoneEvent(draft.id)).toBe('newsletter:done:newsletter-03');
  });

  it('fails loudly, naming the call, when Go never answered it', async () => {
    const api = createFakeApi();
    await expect(api.newsletters.save({ ...JUNE, subject: 'Other news' })).rejects.toThrow(
      /no answer recorded from Go for newsletters/,
    );
  });

  it('in demo mode, lists the recorded newsletters as of today and refuses a draft nobody recorded', async () => {
    vi.setSystemTime(new Date(RECORDED_NOW.getTime() + 100 * 86_400_000));
    const api = createDemoApi(0);
    const list = await api.newsletters.list();
    expect(list.map((n) => [n.subject, n.sentAt])).toEqual([
      ['Cut-off news', '2026-06-21T12:00:00Z'],
      ['Des nouvelles de mars', '2026-06-10T12:00:00Z'],
    ]);
    await expect(api.newsletters.save({ ...JUNE, subject: 'Other news' })).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'demo_unrecorded',
    });
  });
});
