import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KPIs, Member } from '../../api';
import {
  DASHBOARD_RECORDINGS,
  RECORDED_NOW,
  recordedKey,
  recordedMembers,
} from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';
import type { Language } from '../../i18n';
import { presetRange } from './ranges';

// jsdom cannot draw: each chart renders its options as data, and a button per bar/stage click.
vi.mock('./EChart', () => ({
  default: (props: import('./EChart').EChartProps) => (
    <div role="img" aria-label={props.label} data-option={JSON.stringify(props.option)}>
      {props.onClick && (
        <button
          type="button"
          onClick={() => props.onClick?.({ name: '', dataIndex: 0, seriesIndex: 0 })}
        >
          {`click ${props.label}`}
        </button>
      )}
    </div>
  ),
}));

/** The options a chart was drawn with. */
async function chartOption(label: string) {
  const el = await screen.findByRole('img', { name: label });
  return JSON.parse(el.getAttribute('data-option') ?? '{}') as {
    xAxis: { data: string[] };
    yAxis: { data: string[] };
    series: { name: string; data: unknown[] }[];
  };
}

/**
 * What Go answered over the recorded workspace (app/recorded_test.go): the screen shows these
 * numbers, never ones the test or the fake worked out.
 */
function go<T>(method: string, ...args: unknown[]): T {
  const answer = DASHBOARD_RECORDINGS.community.answers[recordedKey(method, args)];
  if (!answer) throw new Error(`not recorded: ${recordedKey(method, args)}`);
  return answer.ok as T;
}
const LAST30 = presetRange('last30', RECORDED_NOW);
const LAST7 = presetRange('last7', RECORDED_NOW);
const k30 = go<KPIs>('stats', LAST30.from, LAST30.to, '');
const names = (ms: Member[]) => ms.map((m) => expect.stringContaining(m.name));
/** Waits for the modal to list exactly these members, in this order. */
const expectBehind = (modal: HTMLElement, members: Member[]) =>
  waitFor(() =>
    expect(
      within(modal)
        .getAllByTestId('behind-member')
        .map((b) => b.textContent),
    ).toEqual(names(members)),
  );
const behind = (metric: string, range = LAST30) =>
  go<Member[]>('membersBehind', range.from, range.to, metric, '', 20);

beforeEach(() => {
  // The screen counts its periods from today: today is the day the answers were recorded.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

async function openDashboard(opts: Parameters<typeof renderApp>[0] & { lang?: Language } = {}) {
  const app = await renderApp({ members: recordedMembers(), ...opts });
  await app.user.click(screen.getByTestId('nav-dashboard'));
  await screen.findByTestId('kpi-cards');
  return app;
}

/** Shows one of the dashboard's tabs. */
async function openTab(app: Awaited<ReturnType<typeof openDashboard>>, name: string) {
  await app.user.click(screen.getByTestId(`dashboard-tab-${name}`));
}

describe('Dashboard', () => {
  it('shows each number Go counted, with its direction since the previous period', async () => {
    await openDashboard();
    const prev = k30.previous!;
    expect(screen.getByTestId('kpi-total-value')).toHaveTextContent(String(k30.membersTotal));
    expect(screen.getByTestId('kpi-active-value')).toHaveTextContent(String(k30.membersActive));
    expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent(String(k30.activities));
    expect(screen.getByTestId('kpi-new-value')).toHaveTextContent(String(k30.membersNew));
    expect(screen.getByTestId('kpi-churned-value')).toHaveTextContent(String(k30.membersChurned));
    const arrow = (now: number, before: number) => (now > before ? '↑' : now < before ? '↓' : '');
    expect(screen.getByTestId('kpi-total-change')).toHaveTextContent(
      arrow(k30.membersTotal, prev.membersTotal),
    );
    expect(screen.getByTestId('kpi-activities-change')).toHaveTextContent(
      arrow(k30.activities, prev.activities),
    );
    // Churn going down is good news.
    if (k30.membersChurned < prev.membersChurned)
      expect(screen.getByTestId('kpi-churned-change')).toHaveAttribute('data-tone', 'good');
    // Questions Go saw answered, and a response time since some were.
    expect(screen.getByTestId('kpi-answered-value')).toHaveTextContent(
      String(k30.questionsAnswered),
    );
    expect(screen.getByTestId('kpi-answered')).toHaveTextContent(`of ${k30.questions} asked`);
    expect(k30.questionsAnswered).toBeGreaterThan(0);
    expect(screen.getByTestId('kpi-responseTime-value')).not.toHaveTextContent('—');
  });

  it("shows the newsletters' results next to the KPIs", async () => {
    const app = await openDashboard();
    await openTab(app, 'campaigns');
    const report = go<{ newsletters: { subject: string }[] }>('campaigns', LAST30.from, LAST30.to);
    const rows = await screen.findAllByTestId('campaign-row');
    expect(rows.map((r) => within(r).getByTestId('campaign-subject').textContent)).toEqual(
      report.newsletters.map((n) => n.subject),
    );
  });

  it('says when no newsletter was sent', async () => {
    const app = await openDashboard();
    const lastMonth = presetRange('lastMonth', RECORDED_NOW);
    expect(go<{ newsletters: [] }>('campaigns', lastMonth.from, lastMonth.to).newsletters).toEqual(
      [],
    );
    await app.user.click(screen.getByTestId('range-preset'));
    await app.user.click(await screen.findByRole('option', { name: 'Last month' }));
    await openTab(app, 'campaigns');
    expect(await screen.findByTestId('campaigns-empty')).toBeInTheDocument();
  });

  it('states the period and the one it is compared with', async () => {
    await openDashboard();
    expect(screen.getByTestId('range-text')).toHaveTextContent(/, compared with /);
  });

  it('lists the members behind a number and opens one of them', async () => {
    const { user } = await openDashboard();
    const active = behind('active');

    await user.click(screen.getByTestId('kpi-active-value'));
    const modal = await screen.findByRole('dialog', { name: /Active members/ });
    await expectBehind(modal, active);

    await user.click(within(modal).getAllByTestId('behind-member')[0]!);
    const drawer = await screen.findByRole('dialog', { name: 'Edit member' });
    await waitFor(() =>
      expect(within(drawer).getByDisplayValue(active[0]!.name)).toBeInTheDocument(),
    );
  });

  it('counts only the members of a chosen segment, and says what stays the whole community’s', async () => {
    const { api, user } = await openDashboard();
    // Go answered for the segment by its name (app/recorded_test.go); the picker lists it.
    const fr = go<KPIs>('stats', LAST30.from, LAST30.to, 'Francophones');
    vi.spyOn(api.segments, 'list').mockResolvedValue([
      {
        segment: { id: 'Francophones', name: 'Francophones', where: 'tag = fr' },
        count: fr.membersTotal,
      } as Awaited<ReturnType<typeof api.segments.list>>[number],
    ]);
    expect(fr.membersTotal).toBeLessThan(k30.membersTotal);

    await user.click(screen.getByTestId('dashboard-segment'));
    await user.click(
      await screen.findByRole('option', { name: `Francophones (${fr.membersTotal})` }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('kpi-total-value')).toHaveTextContent(String(fr.membersTotal)),
    );
    expect(screen.getByTestId('kpi-active-value')).toHaveTextContent(String(fr.membersActive));
    expect(screen.getByTestId('dashboard-segment-note')).toHaveTextContent(/whole community/);
    expect(screen.getByTestId('chart-channels-not-per-segment')).toBeInTheDocument();

    await user.click(screen.getByTestId('kpi-active-value'));
    const modal = await screen.findByRole('dialog', { name: /Active members/ });
    const active = go<Member[]>(
      'membersBehind',
      LAST30.from,
      LAST30.to,
      'active',
      'Francophones',
      20,
    );
    await expectBehind(modal, active);
  });

  it('says in the person’s language when the members behind a number cannot be listed', async () => {
    const { api, user } = await openDashboard({ lang: 'fr' });
    vi.spyOn(api.dashboard, 'membersBehind').mockRejectedValue(
      JSON.stringify({ kind: 'internal', code: 'internal', message: 'boom' }),
    );

    await user.click(screen.getByTestId('kpi-new-value'));
    const modal = await screen.findByRole('dialog', { name: /Nouveaux membres/ });
    expect(await within(modal).findByTestId('behind-error')).toHaveTextContent(
      'Impossible de lister ces membres',
    );
    expect(within(modal).queryByTestId('behind-loading')).toBeNull();
  });

  it('lists who joined and who answered', async () => {
    const { user } = await openDashboard();

    await user.click(screen.getByTestId('kpi-new-value'));
    let modal = await screen.findByRole('dialog', { name: /New members/ });
    await expectBehind(modal, behind('new'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(screen.getByTestId('kpi-answered-value'));
    modal = await screen.findByRole('dialog');
    await expectBehind(modal, behind('answerers'));
  });

  it('ranks super users with their reason in the person’s language', async () => {
    const app = await openDashboard({ lang: 'fr' });
    await openTab(app, 'engagement');
    const rows = await screen.findAllByTestId('super-user');
    expect(rows.map((r) => r.textContent)).toEqual(
      k30.superUsers.map((u) => expect.stringContaining(u.name)),
    );
    const first = k30.superUsers[0]!;
    expect(within(rows[0]!).getByTestId('super-user-reason')).toHaveTextContent(
      `a publié ${first.counts.post} fois`,
    );
    await openTab(app, 'overview');
    expect(screen.getByTestId('kpi-engagement-value')).toHaveTextContent(/\d\s%$/);
  });

  it('asks Go again for another preset', async () => {
    const { user } = await openDashboard();
    const k7 = go<KPIs>('stats', LAST7.from, LAST7.to, '');
    await user.click(screen.getByTestId('range-preset'));
    await user.click(await screen.findByRole('option', { name: 'Last 7 days' }));
    await waitFor(() =>
      expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent(String(k7.activities)),
    );
    expect(screen.getByTestId('kpi-active-value')).toHaveTextContent(String(k7.membersActive));
  });

  it('refreshes when new activity arrives', async () => {
    const { api } = await openDashboard({ dashboard: 'quiet' });
    expect(await screen.findByTestId('dashboard-empty')).toBeInTheDocument();
    api.replayDashboard('community');
    await waitFor(() =>
      expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent(String(k30.activities)),
    );
    expect(screen.queryByTestId('dashboard-empty')).toBeNull();
  });

  it('draws growth, channels, kinds and levels from the KPIs in the person’s language', async () => {
    const app = await openDashboard({ lang: 'fr' });
    const growth = await chartOption('Croissance');
    // Total and new members in two grids, one above the other, over the same days.
    const days = growth.xAxis as unknown as { data: string[] }[];
    expect(days.map((x) => x.data.length)).toEqual([k30.daily.length, k30.daily.length]);
    expect(growth.series.map((x) => x.name)).toEqual(['Membres', 'Nouveaux membres']);
    expect(growth.series[0]!.data.at(-1)).toBe(k30.membersTotal);
    const channels = await chartOption('Activité par canal');
    expect([...channels.yAxis.data].sort()).toEqual(Object.keys(k30.activitiesByChannel).sort());
    expect(channels.series[0]!.data).toEqual(
      channels.yAxis.data.map((c) => k30.activitiesByChannel[c]),
    );
    const kinds = (await chartOption('Activité par type')) as unknown as {
      series: { data: { name: string; value: number }[] }[];
    };
    expect(kinds.series[0]!.data.map((d) => d.value).sort()).toEqual(
      Object.values(k30.activitiesByKind).sort(),
    );
    expect(kinds.series[0]!.data.map((d) => d.name)).toContain('Publication');
    await openTab(app, 'engagement');
    const levels = await chartOption('Niveaux d’engagement');
    expect(levels.xAxis.data).toEqual([
      'Ambassadeurs',
      'Contributeurs',
      'Participants',
      'Observateurs',
    ]);
    expect(levels.series[0]!.data).toEqual(k30.levels.map((l) => l.members));
  });

  it('lists a level’s members from the levels chart and the funnel', async () => {
    const app = await openDashboard();
    const { user } = app;
    await openTab(app, 'engagement');
    await user.click(await screen.findByTestId('level-link-3'));
    let modal = await screen.findByRole('dialog', { name: /Participants/ });
    await expectBehind(modal, behind('level:3'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // The funnel's first stage adds up every level: it lists all of them, best level first.
    await user.click(screen.getByRole('button', { name: 'click Engagement funnel' }));
    modal = await screen.findByRole('dialog', { name: /Everyone with a level/ });
    const everyone = [1, 2, 3, 4].flatMap((l) => behind(`level:${l}`)).slice(0, 20);
    await expectBehind(modal, everyone);
  });

  it('names each funnel stage for the levels it adds up, which the levels chart shows one by one', async () => {
    const app = await openDashboard();
    await openTab(app, 'engagement');
    const levels = await chartOption('Engagement levels');
    const perLevel = levels.series[0]!.data as number[]; // Ambassadors first
    const funnel = (await chartOption('Engagement funnel')) as unknown as {
      series: { data: { name: string; value: number }[] }[];
    };
    const stages = funnel.series[0]!.data;
    expect(stages.map((s) => s.name)).toEqual([
      'Everyone with a level',
      'Participants and up',
      'Contributors and up',
      'Ambassadors',
    ]);
    // Stage i is levels 1 to 4 - i of the levels chart, so none is named for a level it is not.
    expect(stages.map((s) => s.value)).toEqual(
      [4, 3, 2, 1].map((n) => perLevel.slice(0, n).reduce((a, b) => a + b, 0)),
    );
    expect(perLevel).toEqual(k30.levels.map((l) => l.members));
  });

  it('shows one tab at a time, named in the person’s language', async () => {
    const app = await openDashboard({ lang: 'fr' });
    expect(
      ['overview', 'engagement', 'conversations', 'campaigns'].map(
        (name) => screen.getByTestId(`dashboard-tab-${name}`).textContent,
      ),
    ).toEqual(['Vue d’ensemble', 'Engagement', 'Conversations', 'Campagnes et ROI']);
    const shown = () =>
      [
        'kpi-cards',
        'chart-growth',
        'tasks-panel',
        'chart-levels',
        'super-users',
        'gone-quiet',
        'chart-cohorts',
        'dashboard-questions',
        'dashboard-sentiment',
        'dashboard-rising',
        'chart-conversion',
        'roi-card',
        'campaign-results',
      ].filter((id) => screen.queryByTestId(id) !== null);

    expect(shown()).toEqual(['kpi-cards', 'chart-growth', 'tasks-panel']);
    await openTab(app, 'engagement');
    await waitFor(() =>
      expect(shown()).toEqual(['chart-levels', 'super-users', 'gone-quiet', 'chart-cohorts']),
    );
    await openTab(app, 'conversations');
    await waitFor(() =>
      expect(shown()).toEqual(['dashboard-questions', 'dashboard-sentiment', 'dashboard-rising']),
    );
    await openTab(app, 'campaigns');
    await waitFor(() =>
      expect(shown()).toEqual(['chart-conversion', 'roi-card', 'campaign-results']),
    );
  });

  it('explains where activity comes from when there is none', async () => {
    await openDashboard({ dashboard: 'quiet' });
    const quiet = DASHBOARD_RECORDINGS.quiet.answers[
      recordedKey('stats', [LAST30.from, LAST30.to, ''])
    ]!.ok as KPIs;
    const empty = await screen.findByTestId('dashboard-empty');
    expect(empty).toHaveTextContent('hearth activity import');
    expect(empty).toHaveTextContent('Settings > Connections');
    expect(screen.queryByTestId('dashboard-charts')).toBeNull();
    // The member counts still stand.
    expect(screen.getByTestId('kpi-total-value')).toHaveTextContent(String(quiet.membersTotal));
  });

  it('keeps the tasks on the dashboard', async () => {
    await openDashboard({ dashboard: 'quiet' });
    expect(screen.getByTestId('tasks-panel')).toBeInTheDocument();
  });
});
