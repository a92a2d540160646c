import { describe, expect, it } from 'vitest';
import type { Member } from '../../api';
import { fromMember, toInput, toPatch } from './formModel';
import { validateForm } from './validation';

const m: Member = {
  id: 'm1',
  name: 'Hélène',
  emails: ['h@example.org'],
  handles: [{ platform: 'discord', handle: 'hel' }],
  tags: ['a'],
  customFields: { city: 'Lyon', role: 'chair' },
  notes: '',
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
};

describe('form model', () => {
  it('sends nothing when nothing changed', () => {
    expect(toPatch(m, toInput(fromMember(m)).input)).toEqual({});
  });

  it('sends only the changed fields', () => {
    const v = fromMember(m);
    v.notes = 'hello';
    v.emails = ['', 'x@example.org'];
    expect(toPatch(m, toInput(v).input)).toEqual({ notes: 'hello', emails: ['x@example.org'] });
  });

  it('ignores the order of custom fields', () => {
    const v = fromMember(m);
    v.customFields.reverse();
    expect(toPatch(m, toInput(v).input)).toEqual({});
  });

  it('drops blank rows and maps Go paths back to the rows shown', () => {
    const v = fromMember(m);
    v.emails = ['', 'a@example.org', '  ', 'b@example.org'];
    v.handles = [
      { platform: '', handle: '' },
      { platform: 'mastodon', handle: ' @x ' },
    ];
    const { input, toFormPath } = toInput(v);
    expect(input.emails).toEqual(['a@example.org', 'b@example.org']);
    expect(input.handles).toEqual([{ platform: 'mastodon', handle: '@x' }]);
    expect(toFormPath('emails[1]')).toBe('emails[3]');
    expect(toFormPath('handles[0].handle')).toBe('handles[1].handle');
    expect(toFormPath('name')).toBe('name');
  });

  it('checks e-mails before sending', () => {
    const v = fromMember(m);
    v.emails = ['ok@example.org', 'nope', 'also@bad'];
    expect(validateForm(v)).toEqual([
      { field: 'emails[1]', code: 'email' },
      { field: 'emails[2]', code: 'email' },
    ]);
    v.emails = [' '];
    v.handles = [{ platform: 'discord', handle: 'kim' }];
    expect(validateForm(v)).toEqual([]); // a handle is enough, as on the Go side
    v.handles = [];
    expect(validateForm(v)).toEqual([{ field: 'emails[0]', code: 'required' }]);
  });
});
