import { describe, expect, it } from 'vitest';
import { createDemoApi, createFakeApi } from '.';
import { RECORDED_NOW, recordedMembers } from './recorded';

describe('fake tasks', () => {
  const api = () => createFakeApi({ members: recordedMembers(), now: () => RECORDED_NOW });

  it('edits a task as Go did and lists it where Go listed it after', async () => {
    const fake = api();
    const [, , release] = await fake.tasks.list('open');
    expect(release?.title).toBe('Draft the release post');
    const edited = await fake.tasks.update(release!.id, {
      title: 'Draft the release post and the changelog',
      notes: '',
      memberId: '',
      dueAt: '2026-03-20T09:00:00.000Z',
    });
    expect(edited).toMatchObject({ id: release!.id, dueAt: '2026-03-20T09:00:00Z' });
    expect((await fake.tasks.list('open')).map((t) => t.title)).toContain(
      'Draft the release post and the changelog',
    );
  });

  it('refuses an edit as Go refused it', async () => {
    const fake = api();
    const [overdue] = await fake.tasks.list('overdue');
    await expect(
      fake.tasks.update(overdue!.id, { title: 'x'.repeat(201), notes: '', memberId: '' }),
    ).rejects.toMatchObject({ kind: 'invalid', fields: [{ field: 'title', code: 'max' }] });
    await expect(
      fake.tasks.update('nope', { title: 'Call Kim', notes: '', memberId: '' }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'task_not_found' });
  });

  it('refuses in demo mode an edit nobody recorded', async () => {
    const demo = createDemoApi(0);
    await expect(
      demo.tasks.update('nope', { title: 'Call the printer', notes: '', memberId: '' }),
    ).rejects.toMatchObject({ code: 'demo_unrecorded' });
  });
});
