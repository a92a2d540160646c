import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type TimelinePage, type TimelineQuery } from '../../api';
import {
  MEMBERS_TIMELINE_RECORDING,
  RECORDED_NOW,
  recordedMembers,
  replay,
} from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';
import { STORY_PAGE } from './MemberStory';

// Members' stories as Go told them over the recorded workspace (app/recorded_timeline_test.go):
// Hélène (member-01) posts on the forum, on Discourse and Mastodon, got the newsletter and has
// a task done; Chloé (member-04) is a teammate; Marc (member-12) only joined.

/** What Go answered for the story of `id` with this query. */
const goPage = (id: string, q: Omit<TimelineQuery, 'limit'> = {}) =>
  replay<TimelinePage>(MEMBERS_TIMELINE_RECORDING, 'members', '||timeline', [
    id,
    { ...q, limit: STORY_PAGE },
  ]);

const entries = () => screen.queryAllByTestId('story-entry');
const kinds = () => entries().map((e) => e.getAttribute('data-kind'));
const times = () => entries().map((e) => e.getAttribute('data-at') ?? '');

async function openStory(name: string, lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members: recordedMembers(), lang, now: () => RECORDED_NOW });
  await app.user.click(await screen.findByText(name));
  await screen.findByTestId('member-story');
  return app;
}

describe('Member story', () => {
  it('opens on the story, newest first, as Go tells it', async () => {
    await openStory('Hélène Dupont');
    expect(screen.getByTestId('member-tab-story')).toHaveAttribute('aria-selected', 'true');
    const go = goPage('member-01');
    await waitFor(() => expect(entries()).toHaveLength(STORY_PAGE));
    expect(times()).toEqual(go.entries.map((e) => e.at));
    expect([...times()].sort().reverse()).toEqual(times());
    // Words, not codes: the log's entry of the sync that found her on Mastodon, a post on the
    // forum, a task done, the newsletter received.
    const log = entries()[0]!;
    expect(log).toHaveAttribute('data-kind', 'log');
    expect(within(log).getByTestId('story-what')).toHaveTextContent('Member edited');
    expect(within(log).getByTestId('story-text')).toHaveTextContent('from Mastodon');
    const first = entries()[1]!;
    expect(within(first).getByTestId('story-what')).toHaveTextContent('Post');
    expect(within(first).getByTestId('story-where')).toHaveTextContent('Added by hand · forum');
    expect(within(first).getByTestId('story-text')).toHaveTextContent('Super webinar, merci !');
    const task = entries().find((e) => e.getAttribute('data-kind') === 'task')!;
    expect(within(task).getByTestId('story-what')).toHaveTextContent('Task done');
    expect(within(task).getByTestId('story-title')).toHaveTextContent('Proposer un talk au meetup');
    const mail = entries().find((e) => e.getAttribute('data-kind') === 'mail')!;
    expect(within(mail).getByTestId('story-what')).toHaveTextContent('E-mail sent');
    expect(within(mail).getByTestId('story-title')).toHaveTextContent('Des nouvelles de mars');
    expect(screen.getByTestId('story-shown')).toHaveTextContent(`20 of ${go.total} entries shown`);
  });

  it('says where the member stands and why', async () => {
    await openStory('Hélène Dupont');
    const s = goPage('member-01').summary;
    expect(s).toMatchObject({ level: 1, score: 141, activeDays: 46, windowDays: 90 });
    expect(await screen.findByTestId('story-level')).toHaveTextContent('Ambassadors');
    expect(screen.getByTestId('story-why')).toHaveTextContent(
      'Score 141 over the last 90 days, with activity on 46 days. This is the highest level.',
    );
    expect(screen.getByTestId('story-activity')).toHaveTextContent(
      '83 activities: Discourse 2, Added by hand 80, Mastodon 1.',
    );
    expect(screen.getByTestId('story-dates')).toHaveTextContent(
      'First activity on Oct 8, 2025, latest on Mar 15, 2026.',
    );
  });

  it('says what the next level asks of a member below the top, in French too', async () => {
    await openStory('Marc Lefèvre', 'fr');
    expect(screen.getByTestId('member-tab-story')).toHaveTextContent('Histoire');
    expect(screen.getByTestId('member-tab-details')).toHaveTextContent('Fiche');
    expect(await screen.findByTestId('story-level')).toHaveTextContent('Participants');
    expect(screen.getByTestId('story-why')).toHaveTextContent(
      'Score de 0,5 sur les 90 derniers jours, avec de l’activité 1 jour. ' +
        'Contributeurs demande un score de 12 sur au moins 4 jours.',
    );
    expect(screen.getByTestId('story-activity')).toHaveTextContent(
      '1 activité : Saisie à la main 1.',
    );
    await waitFor(() => expect(kinds()).toEqual(['activity', 'log']));
    expect(within(entries()[1]!).getByTestId('story-what')).toHaveTextContent('Membre ajouté');
  });

  it('shows the score once, in why the member stands where they are', async () => {
    await openStory('Hélène Dupont');
    const card = await screen.findByTestId('story-summary');
    await waitFor(() => expect(within(card).getAllByText(/Score/)).toHaveLength(1));
    expect(within(card).getByText(/Score/)).toBe(screen.getByTestId('story-why'));
  });

  it('tells the questions a member asked and those they answered apart from other posts', async () => {
    const { user } = await openStory('Inès Durand');
    const go = goPage('member-08');
    await waitFor(() => expect(kinds()).toEqual(go.entries.map((e) => e.kind)));
    const question = entries().find((e) => e.getAttribute('data-kind') === 'question')!;
    expect(within(question).getByTestId('story-what')).toHaveTextContent('Asked a question');
    expect(within(question).getByText('Question')).toBeInTheDocument();
    expect(within(question).getByTestId('story-where')).toHaveTextContent('Added by hand');
    expect(question).toHaveTextContent('Comment installer la version 2 ?');
    await user.click(screen.getByRole('radio', { name: 'Question' }));
    await waitFor(() => expect(new Set(kinds())).toEqual(new Set(['question'])));
    // A platform keeps the questions: they are what the member did there.
    await user.click(screen.getByTestId('story-platform'));
    await user.click(await screen.findByRole('option', { name: /Added by hand/ }));
    await waitFor(() =>
      expect(times()).toEqual(
        goPage('member-08', { kinds: ['question'], platform: 'manual' }).entries.map((e) => e.at),
      ),
    );
    expect(screen.getByRole('radio', { name: 'Question' })).toBeChecked();
    expect(new Set(kinds())).toEqual(new Set(['question']));
  });

  it('tells an answer to someone else’s question in French', async () => {
    await openStory('Ana Lima', 'fr');
    await waitFor(() => expect(kinds()).toContain('answer'));
    const answer = entries().find((e) => e.getAttribute('data-kind') === 'answer')!;
    expect(within(answer).getByTestId('story-what')).toHaveTextContent('A répondu à une question');
    expect(within(answer).getByText('Réponse')).toBeInTheDocument();
  });

  it('says a teammate is left out of levels', async () => {
    await openStory('Chloé Martin');
    expect(await screen.findByTestId('story-level')).toHaveTextContent('Team');
    expect(screen.getByTestId('story-why')).toHaveTextContent('A teammate (team tag)');
  });

  it('narrows the story by kind and by platform', async () => {
    const { user } = await openStory('Hélène Dupont');
    await waitFor(() => expect(entries()).toHaveLength(STORY_PAGE));

    await user.click(screen.getByRole('radio', { name: 'Consent' }));
    const consent = goPage('member-01', { kinds: ['consent'] });
    await waitFor(() => expect(times()).toEqual(consent.entries.map((e) => e.at)));
    expect(new Set(kinds())).toEqual(new Set(['consent']));
    expect(within(entries()[0]!).getByTestId('story-what')).toHaveTextContent(
      'Consent given: Newsletter',
    );

    await user.click(screen.getByRole('radio', { name: 'All' }));
    await user.click(screen.getByTestId('story-platform'));
    await user.click(await screen.findByRole('option', { name: 'Discourse (2)' }));
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(times()).toEqual(
      goPage('member-01', { platform: 'discourse' }).entries.map((e) => e.at),
    );
    // The platform's words are text: the title's markup is shown, never made.
    const post = entries()[0]!;
    expect(within(post).getByTestId('story-title')).toHaveTextContent(
      'Meetup Lyon: <b>inscriptions</b>',
    );
    expect(post.querySelector('b')).toBeNull();
    const link = within(post).getByTestId('story-link');
    expect(link).toHaveAttribute('href', 'https://forum.example.org/t/meetup-lyon/42');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');

    // Other kinds than activity have no platform: choosing one shows every platform again.
    await user.click(screen.getByRole('radio', { name: 'Automation' }));
    await waitFor(() => expect(screen.getByTestId('story-empty')).toBeInTheDocument());
    expect(screen.getByTestId('story-platform')).toHaveValue('');
    expect(screen.getByTestId('story-empty')).toHaveTextContent(
      'Nothing in this story matches these filters.',
    );
  });

  it('loads the next page after the last entry shown', async () => {
    const { user } = await openStory('Hélène Dupont');
    await waitFor(() => expect(entries()).toHaveLength(STORY_PAGE));
    const first = goPage('member-01');
    const second = goPage('member-01', { after: first.next });
    await user.click(screen.getByTestId('story-more'));
    await waitFor(() => expect(entries()).toHaveLength(2 * STORY_PAGE));
    expect(times()).toEqual([...first.entries, ...second.entries].map((e) => e.at));
    expect(screen.getByTestId('story-shown')).toHaveTextContent(
      `40 of ${first.total} entries shown`,
    );
  });

  it('shows a failed load and tries again', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { api, user } = await renderApp({
      members: recordedMembers(),
      now: () => RECORDED_NOW,
    });
    api.failNext(
      'timeline',
      new ApiError({
        kind: 'unavailable',
        code: 'workspace_unavailable',
        message: 'store: closed',
      }),
    );
    await user.click(await screen.findByText('Marc Lefèvre'));
    expect(await screen.findByTestId('story-error')).toHaveTextContent(
      'The story could not be loaded.',
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(kinds()).toEqual(['activity', 'log']));
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
  });
});
