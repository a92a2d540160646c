import { describe, expect, it } from 'vitest';
import type { Recurrence } from '../../api';
import i18n from '../../i18n';
import { describeRecurrence, parseRRule } from './describe';

const en = i18n.getFixedT('en');
const fr = i18n.getFixedT('fr');

const simple = (fields: Partial<Recurrence>): Recurrence => ({
  freq: 'weekly',
  interval: 1,
  weekdays: [],
  monthDay: 0,
  week: 0,
  until: '',
  count: 0,
  ...fields,
});
const rule = (text: string, more: Partial<Recurrence> = {}) =>
  simple({ freq: '', rule: text, ...more });

const say = (r: Recurrence, lng: 'en' | 'fr', timeZone = 'Europe/Paris') =>
  describeRecurrence(r, lng === 'en' ? en : fr, lng, { timeZone, start: '2026-03-02' });

describe('a repeat rule in people’s words', () => {
  it.each([
    [
      'the issue’s example',
      simple({ interval: 2, weekdays: ['MO', 'WE'], until: '2026-12-31' }),
      'Every 2 weeks on Monday and Wednesday, until Dec 31, 2026',
      'Toutes les 2 semaines le lundi et le mercredi, jusqu’au 31 déc. 2026',
    ],
    [
      'every day, 5 times',
      simple({ freq: 'daily', count: 5 }),
      'Every day, 5 times',
      'Tous les jours, 5 fois',
    ],
    ['once', simple({ freq: 'daily', count: 1 }), 'Every day, once', 'Tous les jours, une fois'],
    [
      'monthly on the 2nd Tuesday',
      simple({ freq: 'monthly', week: 2, weekdays: ['TU'] }),
      'Every month on the 2nd Tuesday',
      'Tous les mois le 2e mardi',
    ],
    [
      'monthly on the first Friday',
      simple({ freq: 'monthly', week: 1, weekdays: ['FR'] }),
      'Every month on the 1st Friday',
      'Tous les mois le 1er vendredi',
    ],
    [
      'monthly on the last day',
      simple({ freq: 'monthly', monthDay: -1 }),
      'Every month on the last day',
      'Tous les mois le dernier jour',
    ],
    [
      'monthly on the 1st and 15th',
      rule('FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=10'),
      'Every month on the 1st and the 15th, 10 times',
      'Tous les mois le 1er et le 15, 10 fois',
    ],
    [
      'yearly on the 2nd Sunday of the year',
      rule('FREQ=YEARLY;BYDAY=2SU'),
      'Every year on the 2nd Sunday of the year',
      'Tous les ans le 2e dimanche de l’année',
    ],
    [
      'first and last Sunday every other month',
      rule('FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU,-1SU'),
      'Every 2 months on the 1st Sunday and the last Sunday',
      'Tous les 2 mois le 1er dimanche et le dernier dimanche',
    ],
    [
      'the second-to-last weekday of the month',
      rule('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2'),
      'Every month on Monday, Tuesday, Wednesday, Thursday, and Friday (only the second-to-last of each month)',
      'Tous les mois le lundi, le mardi, le mercredi, le jeudi et le vendredi (seulement l’avant-dernier de chaque mois)',
    ],
    [
      'Friday the 13th',
      rule('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'),
      'Every month on Friday falling on the 13th',
      'Tous les mois le vendredi tombant le 13',
    ],
    [
      'Thursdays in summer',
      rule('FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8'),
      'Every year in June, July, and August on Thursday',
      'Tous les ans en juin, juillet et août le jeudi',
    ],
    [
      'week starting on Sunday, lower case',
      rule('freq=weekly;interval=2;byday=tu,su;wkst=su;count=4'),
      'Every 2 weeks on Tuesday and Sunday (weeks start on Sunday), 4 times',
      'Toutes les 2 semaines le mardi et le dimanche (semaines commençant le dimanche), 4 fois',
    ],
    [
      'every 20 minutes in working hours',
      rule('FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16'),
      'Every 20 minutes at hours 9, 10, 11, 12, 13, 14, 15, and 16',
      'Toutes les 20 minutes à 9, 10, 11, 12, 13, 14, 15 et 16 h',
    ],
    [
      'twice a day',
      rule('FREQ=DAILY;BYHOUR=9,17;BYMINUTE=30'),
      'Every day at 9:30 AM and 5:30 PM',
      'Tous les jours à 09:30 et 17:30',
    ],
    [
      'days of the year',
      rule('FREQ=YEARLY;INTERVAL=3;BYYEARDAY=1,100,200'),
      'Every 3 years on days 1, 100, and 200 of the year',
      'Tous les 3 ans les jours 1, 100 et 200 de l’année',
    ],
    [
      'a week number',
      rule('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO'),
      'Every year in week 20 on Monday',
      'Tous les ans la semaine 20 le lundi',
    ],
    [
      'an UNTIL instant, shown in the item’s zone',
      rule('FREQ=DAILY;UNTIL=20261231T225959Z'),
      'Every day, until Dec 31, 2026, 11:59 PM',
      'Tous les jours, jusqu’au 31 déc. 2026, 23:59',
    ],
    [
      'an exception and an extra date',
      simple({
        freq: 'daily',
        exDates: ['2026-03-04T09:00:00+01:00'],
        rDates: ['2026-03-07T11:00:00+01:00'],
      }),
      'Every day, except Mar 4, 2026, 9:00 AM, and also Mar 7, 2026, 11:00 AM',
      'Tous les jours, sauf le 4 mars 2026, 09:00, et aussi le 7 mars 2026, 11:00',
    ],
    [
      'several exceptions',
      simple({ freq: 'daily', exDates: ['2026-03-04T08:00:00Z', '2026-03-05T08:00:00Z'] }),
      'Every day, except on 2 dates',
      'Tous les jours, sauf à 2 dates',
    ],
  ])('%s', (_, r, english, french) => {
    expect(say(r, 'en')).toBe(english);
    expect(say(r, 'fr')).toBe(french);
  });

  it('describes the yearly rules older versions wrote as that day of the first month', () => {
    const r = simple({ freq: 'yearly', week: 2, weekdays: ['SU'] });
    expect(describeRecurrence(r, en, 'en', { start: '2026-05-10' })).toBe(
      'Every year in May on the 2nd Sunday',
    );
  });

  it('shows a rule it cannot read as it is', () => {
    expect(say(rule('FREQ=FORTNIGHTLY'), 'en')).toBe('Custom rule: FREQ=FORTNIGHTLY');
    expect(parseRRule('FREQ=WEEKLY;BYDAY=XX')).toBeNull();
  });
});
