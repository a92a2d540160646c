import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Member } from '../../api';
import type { FakeActivity } from '../../api/fake/dashboard';
import { member, renderApp } from '../../test/renderApp';
import type { Language } from '../../i18n';

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

/** Local noon `n` days before today, RFC 3339. */
function daysAgo(n: number, hour = 12): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, hour).toISOString();
}

const act = (m: Member, kind: string, ago: number, channel = 'forum'): FakeActivity => ({
  memberId: m.id,
  kind,
  channel,
  at: daysAgo(ago),
});

/**
 * Over the last 30 days: Ana posted 3 times and replied once, Bruno reacted once, Dan joined 3
 * days ago; Chloé was active only in the 30 days before (so she churned). Previous period: 3
 * members, 1 active, 1 activity.
 */
function community() {
  const ana = member({ name: 'Ana Lima', createdAt: daysAgo(100) });
  const bruno = member({ name: 'Bruno Petit', createdAt: daysAgo(100) });
  const chloe = member({ name: 'Chloé Martin', createdAt: daysAgo(100) });
  const dan = member({ name: 'Dan Roy', createdAt: daysAgo(3) });
  const activities = [
    act(ana, 'post', 1),
    act(ana, 'post', 2),
    act(ana, 'post', 3, 'discord'),
    act(ana, 'reply', 10),
    act(bruno, 'reaction', 20),
    act(chloe, 'post', 40),
  ];
  return { members: [ana, bruno, chloe, dan], activities, ana, bruno, chloe, dan };
}

async function openDashboard(opts: Parameters<typeof renderApp>[0] & { lang?: Language }) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-dashboard'));
  await screen.findByTestId('kpi-cards');
  return app;
}

/** Shows one of the dashboard's tabs. */
async function openTab(app: Awaited<ReturnType<typeof openDashboard>>, name: string) {
  await app.user.click(screen.getByTestId(`dashboard-tab-${name}`));
}

describe('Dashboard', () => {
  it('shows each number with its change since the previous period', async () => {
    const { members, activities } = community();
    await openDashboard({ members, activities });

    expect(screen.getByTestId('kpi-total-value')).toHaveTextContent('4');
    expect(screen.getByTestId('kpi-total-change')).toHaveTextContent('↑ +33.3%');
    expect(screen.getByTestId('kpi-active-value')).toHaveTextContent('2');
    expect(screen.getByTestId('kpi-active-change')).toHaveTextContent('↑ +100%');
    expect(screen.getByTestId('kpi-engagement-value')).toHaveTextContent('50%');
    expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent('5');
    expect(screen.getByTestId('kpi-activities-change')).toHaveTextContent('↑ +400%');
    expect(screen.getByTestId('kpi-activities-change')).toHaveAttribute('data-tone', 'good');
    // Nobody joined in the previous period: no ratio to give.
    expect(screen.getByTestId('kpi-new-value')).toHaveTextContent('1');
    expect(screen.getByTestId('kpi-new-change')).toHaveTextContent('↑ n/a');
    // Churn going up is bad news.
    expect(screen.getByTestId('kpi-churned-value')).toHaveTextContent('1');
    expect(screen.getByTestId('kpi-churned-change')).toHaveAttribute('data-tone', 'bad');
    // No question asked: no response time to give, and no change to compare.
    expect(screen.getByTestId('kpi-answered-value')).toHaveTextContent('0');
    expect(screen.getByTestId('kpi-responseTime-value')).toHaveTextContent('—');
    expect(screen.getByTestId('kpi-responseTime-change').textContent).toBe('');
  });

  it("shows the newsletters' results next to the KPIs, and says when none was sent", async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities });
    await openTab(app, 'campaigns');
    expect(await screen.findByTestId('campaigns-empty')).toBeInTheDocument();
  });

  it('counts the questions answered and the median time to a first answer', async () => {
    const { members, activities, ana, bruno, chloe } = community();
    const at = (ago: number, hour: number, minute = 0) => {
      const now = new Date();
      return new Date(
        now.getFullYear(),
        now.getMonth(),
        now.getDate() - ago,
        hour,
        minute,
      ).toISOString();
    };
    const say = (m: Member, kind: string, when: string, thread: string, title?: string) => ({
      memberId: m.id,
      kind,
      channel: 'forum',
      at: when,
      thread,
      title,
    });
    activities.push(
      say(ana, 'post', at(5, 9), 'q1', 'Comment exporter ?'),
      say(bruno, 'reply', at(5, 9, 30), 'q1'),
      say(chloe, 'post', at(4, 9), 'q2', 'Where is the guide?'),
      say(chloe, 'reply', at(4, 9, 5), 'q2'),
      say(ana, 'reply', at(4, 11), 'q2'),
      say(bruno, 'post', at(3, 9), 'q3', 'Anyone there?'),
    );
    await openDashboard({ members, activities });
    // q1 in 30 min, q2 in 2 h (Chloé's own reply does not count), q3 unanswered.
    expect(screen.getByTestId('kpi-answered-value')).toHaveTextContent('2');
    expect(screen.getByTestId('kpi-answered')).toHaveTextContent('of 3 asked (66.7%)');
    expect(screen.getByTestId('kpi-responseTime-value')).toHaveTextContent('1 h 15 min');
    expect(screen.getByTestId('kpi-responseTime')).toHaveTextContent('90% within 2 h');
  });

  it('states the period and the one it is compared with', async () => {
    const { members, activities } = community();
    await openDashboard({ members, activities });
    expect(screen.getByTestId('range-text')).toHaveTextContent(/, compared with /);
  });

  it('lists the members behind a number and opens one of them', async () => {
    const { members, activities } = community();
    const { user } = await openDashboard({ members, activities });

    await user.click(screen.getByTestId('kpi-active-value'));
    const modal = await screen.findByRole('dialog', { name: /Active members/ });
    await waitFor(() =>
      expect(
        within(modal)
          .getAllByTestId('behind-member')
          .map((b) => b.textContent),
      ).toEqual([expect.stringContaining('Ana Lima'), expect.stringContaining('Bruno Petit')]),
    );

    await user.click(within(modal).getAllByTestId('behind-member')[0]!);
    const drawer = await screen.findByRole('dialog', { name: 'Edit member' });
    await waitFor(() => expect(within(drawer).getByDisplayValue('Ana Lima')).toBeInTheDocument());
  });

  it('says in the person’s language when the members behind a number cannot be listed', async () => {
    const { members, activities } = community();
    const { api, user } = await openDashboard({ members, activities, lang: 'fr' });
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

  it('lists who churned and who joined', async () => {
    const { members, activities } = community();
    const { user } = await openDashboard({ members, activities });

    await user.click(screen.getByTestId('kpi-churned-value'));
    let modal = await screen.findByRole('dialog', { name: /Churned/ });
    expect(await within(modal).findByTestId('behind-member')).toHaveTextContent('Chloé Martin');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(screen.getByTestId('kpi-new-value'));
    modal = await screen.findByRole('dialog', { name: /New members/ });
    expect(await within(modal).findByTestId('behind-member')).toHaveTextContent('Dan Roy');
  });

  it('ranks super users with their reason in the person’s language', async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities, lang: 'fr' });
    await openTab(app, 'engagement');
    const rows = await screen.findAllByTestId('super-user');
    expect(rows[0]).toHaveTextContent('Ana Lima');
    expect(within(rows[0]!).getByTestId('super-user-reason')).toHaveTextContent(
      'a publié 3 fois, répondu une fois en 30 jours',
    );
    expect(rows[1]).toHaveTextContent('Bruno Petit');
    await openTab(app, 'overview');
    expect(screen.getByTestId('kpi-engagement-value')).toHaveTextContent('50 %');
  });

  it('recomputes for another preset', async () => {
    const { members, activities } = community();
    const { user } = await openDashboard({ members, activities });
    await user.click(screen.getByTestId('range-preset'));
    await user.click(await screen.findByRole('option', { name: 'Last 7 days' }));
    // Only Ana's three posts are in the last 7 days.
    await waitFor(() => expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent('3'));
    expect(screen.getByTestId('kpi-active-value')).toHaveTextContent('1');
  });

  it('refreshes when new activity arrives', async () => {
    const { members, activities, bruno } = community();
    const { api } = await openDashboard({ members, activities });
    expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent('5');
    api.addActivities([act(bruno, 'reply', 0), act(bruno, 'reply', 1)]);
    await waitFor(() => expect(screen.getByTestId('kpi-activities-value')).toHaveTextContent('7'));
  });

  it('draws growth, channels, kinds and levels from the KPIs in the person’s language', async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities, lang: 'fr' });
    const growth = await chartOption('Croissance');
    // Total and new members in two grids, one above the other, over the same days.
    const days = growth.xAxis as unknown as { data: string[] }[];
    expect(days.map((x) => x.data.length)).toEqual([30, 30]);
    expect(growth.series.map((x) => x.name)).toEqual(['Membres', 'Nouveaux membres']);
    expect(growth.series[0]!.data.at(-1)).toBe(4);
    const channels = await chartOption('Activité par canal');
    expect(channels.yAxis.data).toEqual(['discord', 'forum']);
    expect(channels.series[0]!.data).toEqual([1, 4]);
    const kinds = await chartOption('Activité par type');
    expect(kinds.series[0]!.data).toEqual([
      { name: 'Publication', value: 3 },
      { name: 'Réaction', value: 1 },
      { name: 'Réponse', value: 1 },
    ]);
    await openTab(app, 'engagement');
    const levels = await chartOption('Niveaux d’engagement');
    expect(levels.xAxis.data).toEqual([
      'Ambassadeurs',
      'Contributeurs',
      'Participants',
      'Observateurs',
    ]);
  });

  it('lists a level’s members from the levels chart and the funnel', async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities });
    const { user } = app;
    await openTab(app, 'engagement');
    // Over the 90 days to today, Ana (score 11) and Chloé (3) are Participants; Bruno (0.5) and
    // Dan (0) are Observers.
    await user.click(await screen.findByTestId('level-link-3'));
    let modal = await screen.findByRole('dialog', { name: /Participants/ });
    await waitFor(() =>
      expect(
        within(modal)
          .getAllByTestId('behind-member')
          .map((b) => b.textContent),
      ).toEqual([expect.stringContaining('Ana Lima'), expect.stringContaining('Chloé Martin')]),
    );
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // The funnel's first stage adds up every level: it lists all of them, best level first.
    await user.click(screen.getByRole('button', { name: 'click Engagement funnel' }));
    modal = await screen.findByRole('dialog', { name: /Everyone with a level/ });
    await waitFor(() =>
      expect(
        within(modal)
          .getAllByTestId('behind-member')
          .map((b) => b.textContent),
      ).toEqual([
        expect.stringContaining('Ana Lima'),
        expect.stringContaining('Chloé Martin'),
        expect.stringContaining('Bruno Petit'),
        expect.stringContaining('Dan Roy'),
      ]),
    );
  });

  it('names each funnel stage for the levels it adds up, which the levels chart shows one by one', async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities });
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
    expect(stages[0]!.value).toBe(4);
    expect(perLevel[3]).toBe(2); // the Observers: Bruno and Dan
  });

  it('shows one tab at a time, named in the person’s language', async () => {
    const { members, activities } = community();
    const app = await openDashboard({ members, activities, lang: 'fr' });
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
    const { members } = community();
    await openDashboard({ members });
    const empty = await screen.findByTestId('dashboard-empty');
    expect(empty).toHaveTextContent('hearth activity import');
    expect(empty).toHaveTextContent('Settings > Connections');
    expect(screen.queryByTestId('dashboard-charts')).toBeNull();
    // The member counts still stand.
    expect(screen.getByTestId('kpi-total-value')).toHaveTextContent('4');
  });

  it('keeps the tasks on the dashboard', async () => {
    const { members } = community();
    await openDashboard({ members });
    expect(screen.getByTestId('tasks-panel')).toBeInTheDocument();
  });
});
