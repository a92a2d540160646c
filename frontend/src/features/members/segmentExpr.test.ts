import { describe, expect, it } from 'vitest';
import {
  expressionText,
  newCondition,
  newGroup,
  withField,
  type Condition,
  type RowField,
} from './segmentExpr';

const cond = (field: RowField, patch: Partial<Condition>): Condition => ({
  ...newCondition(field),
  ...patch,
});

describe('the segment builder’s rows', () => {
  it('write the expression of the documentation’s example', () => {
    const root = newGroup('AND', [
      cond('tag', { value: 'bénévole' }),
      cond('custom', { name: 'city', value: 'Lyon' }),
      newGroup('OR', [
        cond('level', { value: 'ambassador' }),
        cond('activities', { days: '30', op: '>=', value: '3' }),
      ]),
      cond('consent', { name: 'newsletter', value: 'granted' }),
      cond('tag', { not: true, value: 'équipe' }),
    ]);
    expect(expressionText(root)).toBe(
      'tag = "bénévole" AND city = "Lyon" AND (level = ambassador OR activities(30d) >= 3) AND ' +
        'consent.newsletter = granted AND NOT tag = "équipe"',
    );
  });

  it('leave out the rows that miss something, and write nothing without a complete row', () => {
    expect(expressionText(newGroup('AND', [newCondition('tag')]))).toBe('');
    const root = newGroup('OR', [
      cond('custom', { value: 'Lyon' }), // no field name yet
      cond('platform', { value: 'discord' }),
      newGroup('AND', [cond('tag', { value: '' })]),
    ]);
    expect(expressionText(root)).toBe('platform = discord');
  });

  it('quote what is not one word, and field names that are built-in words or hold spaces', () => {
    const root = newGroup('AND', [
      cond('custom', { name: 'Code postal', op: '>=', value: '69001' }),
      cond('custom', { name: 'level', value: 'dit "bonjour" \\o/' }),
      cond('custom', { name: 'renouvellement', op: '<', value: '30d' }),
      cond('received', { value: 'Lettre d’avril' }),
    ]);
    expect(expressionText(root)).toBe(
      '"Code postal" >= "69001" AND "level" = "dit \\"bonjour\\" \\\\o/" AND ' +
        'renouvellement < 30d AND received = "Lettre d’avril"',
    );
  });

  it('write dates, kinds of activity and newsletters as the syntax reads them', () => {
    const root = newGroup('AND', [
      cond('joined', { op: '>=', value: '2026-01-01' }),
      cond('last_activity', { op: '<', value: '90d' }),
      cond('activities', { name: 'reply', days: '7', op: '>', value: '0' }),
      cond('newsletters', { days: '90', op: '=', value: '0' }),
    ]);
    expect(expressionText(root)).toBe(
      'joined >= 2026-01-01 AND last_activity < 90d AND activities(reply, 7d) > 0 AND newsletters(90d) = 0',
    );
  });

  it('put NOT before a group in parentheses', () => {
    const root = newGroup('AND', [
      cond('tag', { value: 'fr' }),
      {
        ...newGroup('OR', [cond('tag', { value: 'team' }), cond('platform', { value: 'discord' })]),
        not: true,
      },
    ]);
    expect(expressionText(root)).toBe('tag = "fr" AND NOT (tag = "team" OR platform = discord)');
  });

  it('keep an operator only where the new field takes it', () => {
    const c = cond('tag', { op: 'contains', value: 'x' });
    expect(withField(c, 'platform')).toMatchObject({ field: 'platform', op: '=', value: '' });
    expect(withField({ ...c, op: '>=' }, 'joined').op).toBe('>=');
  });
});
