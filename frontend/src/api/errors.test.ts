import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import '../i18n';
import { ApiError, describeError, describeFieldError, fieldLabelKey, toApiError } from './errors';

const goError = {
  kind: 'invalid',
  code: 'invalid_input',
  message: 'invalid input',
  fields: [{ field: 'emails[0]', code: 'email' }],
};

describe('toApiError', () => {
  it('keeps the structured object the Go side sends', () => {
    const err = toApiError(goError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject(goError);
  });

  it('parses the object sent as a JSON string', () => {
    expect(toApiError(JSON.stringify(goError))).toMatchObject(goError);
  });

  it('parses JSON carried in an Error message', () => {
    expect(toApiError(new Error(JSON.stringify(goError)))).toMatchObject(goError);
  });

  it('turns a plain string into an internal error with that message', () => {
    expect(toApiError('members: boom')).toMatchObject({
      kind: 'internal',
      code: 'internal',
      message: 'members: boom',
    });
  });

  it('turns an Error into an internal error', () => {
    expect(toApiError(new TypeError('x is undefined'))).toMatchObject({
      kind: 'internal',
      message: 'x is undefined',
    });
  });

  it('copes with nothing at all', () => {
    expect(toApiError(undefined)).toMatchObject({ kind: 'internal', code: 'internal' });
  });

  it('maps an unknown kind to internal but keeps the code', () => {
    expect(toApiError({ kind: 'weird', code: 'email_taken', message: 'm' })).toMatchObject({
      kind: 'internal',
      code: 'email_taken',
    });
  });

  it('drops malformed field entries and stringifies params', () => {
    const err = toApiError({
      kind: 'invalid',
      code: 'invalid_input',
      message: '',
      fields: [{ field: 'name', code: 'max', params: { max: 200 } }, 'junk', { code: 'x' }],
    });
    expect(err.fields).toEqual([{ field: 'name', code: 'max', params: { max: '200' } }]);
  });
});

describe('messages', () => {
  beforeAll(() => i18n.changeLanguage('en'));

  it.each([
    ['name', 'name'],
    ['emails[1]', 'emails'],
    ['tags[2]', 'tags'],
    ['handles[0].platform', 'handles_platform'],
    ['handles[3].handle', 'handles_handle'],
    ['customFields.city', 'customFields'],
    ['customFields[city]', 'customFields'],
  ])('labels %s with fields.%s', (path, key) => {
    expect(fieldLabelKey(path)).toBe(key);
  });

  it('reads "Field: problem" in English and "Champ : problème" in French', async () => {
    const t = i18n.t.bind(i18n);
    expect(describeFieldError(t, { field: 'emails[0]', code: 'email' })).toBe(
      'E-mail: not a valid address',
    );
    expect(describeFieldError(t, { field: 'name', code: 'max', params: { max: '200' } })).toBe(
      'Name: too long (at most 200)',
    );
    await i18n.changeLanguage('fr');
    expect(describeFieldError(t, { field: 'emails[0]', code: 'email' })).toBe(
      'E-mail : adresse non valide',
    );
    expect(describeFieldError(t, { field: 'handles[0].platform', code: 'platform' })).toBe(
      'Plateforme : plateforme inconnue',
    );
    await i18n.changeLanguage('en');
  });

  it('falls back to the English message for an unknown code', () => {
    const t = i18n.t.bind(i18n);
    const err = new ApiError({
      kind: 'conflict',
      code: 'new_thing',
      message: 'members: new thing',
    });
    expect(describeError(t, err)).toEqual({ title: 'Conflict', message: 'members: new thing' });
  });
});

describe('messages with parameters', () => {
  it('fill the translated message with the error’s params', async () => {
    const err = toApiError({
      kind: 'unavailable',
      code: 'disk_full',
      message: 'store: the disk is full: 42 MB are needed',
      params: { mb: '42', dir: '/w/db' },
    });
    await i18n.changeLanguage('fr');
    expect(describeError(i18n.t.bind(i18n), err).message).toContain('42 Mo');
    await i18n.changeLanguage('en');
    expect(describeError(i18n.t.bind(i18n), err).message).toBe(
      'The disk is full: 42 MB are needed. Free some space and try again.',
    );
  });
});

describe('unexpected errors', () => {
  it('keep the raw message as details', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(describeError(t, toApiError('members: store closed'))).toEqual({
      title: 'Unexpected error',
      message: 'Something went wrong. Please try again.\nDetails: members: store closed',
    });
  });
});
