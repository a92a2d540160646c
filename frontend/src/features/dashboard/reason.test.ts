import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { change } from './change';
import { reasonText } from './reason';

const en = i18n.getFixedT('en');
const fr = i18n.getFixedT('fr');

describe('a super user’s reason', () => {
  it('says what they did most first, in English', () => {
    expect(reasonText(en, { reply: 17, post: 42 }, 30)).toBe(
      'posted 42 times, replied 17 times in 30 days',
    );
  });

  it('says it in French with one auxiliary for the whole list', () => {
    expect(reasonText(fr, { reply: 17, post: 42 }, 30)).toBe(
      'a publié 42 fois, répondu 17 fois en 30 jours',
    );
  });

  it('names the questions of others they answered, as the issue words it', () => {
    expect(reasonText(en, { post: 42, reply: 20, answered: 17 }, 30)).toBe(
      'posted 42 times, replied 20 times, answered 17 questions in 30 days',
    );
    expect(reasonText(fr, { post: 42, answered: 1 }, 30)).toBe(
      'a publié 42 fois, répondu à une question en 30 jours',
    );
  });

  it('uses the singular forms and localised numbers', () => {
    expect(reasonText(en, { message: 1, reaction: 1234 }, 1)).toBe(
      'reacted 1,234 times, sent a message in 1 day',
    );
    expect(reasonText(fr, { message: 1, reaction: 1234 }, 1)).toBe(
      'a réagi 1\u202f234 fois, envoyé un message en 1 jour',
    );
  });

  it('names a kind the window does not know as is, and keeps the four biggest', () => {
    expect(reasonText(en, { post: 5, reply: 4, reaction: 3, message: 2, stars: 9 }, 7)).toBe(
      'did “stars” 9 times, posted 5 times, replied 4 times, reacted 3 times in 7 days',
    );
  });

  it('says so when there was no activity', () => {
    expect(reasonText(en, { post: 0 }, 7)).toBe('no activity in the period');
    expect(reasonText(fr, {}, 7)).toBe('aucune activité pendant la période');
  });
});

describe('the change since the previous period', () => {
  it('is a ratio with a direction, good when it grows', () => {
    expect(change(150, 100)).toEqual({ ratio: 0.5, direction: 'up', tone: 'good' });
    expect(change(50, 100)).toEqual({ ratio: -0.5, direction: 'down', tone: 'bad' });
    expect(change(3, 3)).toEqual({ ratio: 0, direction: 'flat', tone: 'neutral' });
  });

  it('is good news when churn goes down', () => {
    expect(change(2, 4, true)).toMatchObject({ direction: 'down', tone: 'good' });
  });

  it('has no ratio when the previous value was 0', () => {
    expect(change(5, 0)).toEqual({ ratio: null, direction: 'up', tone: 'good' });
  });
});
