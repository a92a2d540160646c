import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { describeRowError } from './importText';

describe('describeRowError', () => {
  it('names an import stopped by a full disk with the room needed, in both languages', async () => {
    const e = {
      line: 0,
      column: '',
      field: '',
      reason: 'disk_full',
      message: 'store: the disk is full: 42 MB are needed',
      params: { mb: '42' },
    };
    await i18n.changeLanguage('en');
    expect(describeRowError(i18n.t.bind(i18n), e)).toBe(
      'The disk is full: 42 MB are needed. Free some space and try again.',
    );
    await i18n.changeLanguage('fr');
    expect(describeRowError(i18n.t.bind(i18n), e)).toContain('42 Mo');
    await i18n.changeLanguage('en');
  });

  it('says which column does not fit when a row has too many', () => {
    const e = {
      line: 2,
      column: 'extra 51',
      field: 'customFields',
      reason: 'too_many_columns',
      message: 'more than 50 custom fields',
      params: { max: '50' },
    };
    expect(describeRowError(i18n.t.bind(i18n), e)).toContain('more than 50 columns');
  });
});
