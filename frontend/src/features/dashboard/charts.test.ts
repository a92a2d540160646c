import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { Funnel, KPIs } from '../../api';
import i18n from '../../i18n';
import {
  channelOption,
  cohortOption,
  conversionOption,
  funnelOption,
  growthOption,
  kindOption,
  levelsOption,
} from './charts';
import { dashboardFormat } from './format';
import { sentimentOption } from './sentiment';

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;

/** A community big enough for thousands: 3,142 members on the last day. */
const kpis: KPIs = {
  from: '2026-03-01T00:00:00Z',
  to: '2026-03-31T00:00:00Z',
  membersTotal: 3142,
  membersNew: 30,
  membersChurned: 12,
  membersActive: 1204,
  dau: 120.4,
  wau: 600,
  mau: 1204,
  stickiness: 0.1,
  growthRate: 0.01,
  engagementRate: 0.38,
  activities: 12345,
  activitiesByKind: { post: 3142, reply: 9203 },
  activitiesByChannel: { forum: 3142, discord: 9203 },
  daily: Array.from({ length: 30 }, (_, i) => ({
    day: day(i + 1),
    activities: 400,
    activeMembers: 100,
    newMembers: 1,
    membersTotal: 3113 + i,
  })),
  cohorts: [{ month: '2026-03', size: 3142, retention: [0.5] }],
  levels: [
    { level: 1, name: 'ambassadors', members: 42, promoted: 3, demoted: 0 },
    { level: 2, name: 'contributors', members: 300, promoted: 10, demoted: 2 },
    { level: 3, name: 'participants', members: 1200, promoted: 30, demoted: 5 },
    { level: 4, name: 'observers', members: 1600, promoted: 0, demoted: 20 },
  ],
  superUsers: [],
  goneQuiet: [],
  sentiment: {
    positive: 3142,
    negative: 1000,
    neutral: 5000,
    score: 0.2,
    daily: [{ day: day(1), positive: 3142, negative: 1000, neutral: 5000 }],
  },
  risingTopics: [],
  questions: 0,
  questionsAnswered: 0,
  answerRate: 0,
  medianResponseSeconds: 0,
  responseTimeP90Seconds: 0,
};

const funnel: Funnel = {
  members: 3142,
  subscribers: 1500,
  attendees: 300,
  goal: 42,
  subscriberRate: 0,
  attendeeRate: 0,
  goalRate: 0,
  conversionRate: 0,
};

type Node = Record<string, unknown>;
const asList = (x: unknown): Node[] => (Array.isArray(x) ? (x as Node[]) : x ? [x as Node] : []);

function options(lang: 'en' | 'fr') {
  const t = i18n.getFixedT(lang) as TFunction;
  const fmt = dashboardFormat(lang);
  return {
    growth: growthOption(kpis, t, fmt),
    channel: channelOption(kpis, t, fmt),
    kind: kindOption(kpis, t, fmt),
    cohorts: cohortOption(kpis, t, fmt),
    levels: levelsOption(kpis, t, fmt),
    funnel: funnelOption(kpis, t, fmt),
    conversion: conversionOption(funnel, t, fmt),
    sentiment: sentimentOption(kpis.sentiment, t, fmt),
  } as Record<string, Node>;
}

// Intl's group separators: a comma in English, a narrow no-break space in French.
const THOUSANDS = { en: '3,142', fr: '3\u202f142' };

describe('dashboard charts', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`label every value axis with ${lang} numbers`, () => {
      for (const [name, option] of Object.entries(options(lang))) {
        for (const axis of [...asList(option.xAxis), ...asList(option.yAxis)]) {
          if (axis.type !== 'value') continue;
          const label = axis.axisLabel as { formatter?: (v: number) => string } | undefined;
          expect(label?.formatter, `${name}: a value axis without a formatter`).toBeTypeOf(
            'function',
          );
          if (name !== 'sentiment') expect(label!.formatter!(3142)).toBe(THOUSANDS[lang]);
        }
      }
    });

    it(`tips every chart with ${lang} numbers`, () => {
      for (const [name, option] of Object.entries(options(lang))) {
        const tip = option.tooltip as {
          formatter?: (p: unknown) => string;
          valueFormatter?: (v: unknown) => string;
        };
        expect(
          tip.formatter ?? tip.valueFormatter,
          `${name}: a tooltip left to ECharts`,
        ).toBeTypeOf('function');
        if (tip.valueFormatter && name !== 'sentiment')
          expect(tip.valueFormatter(3142)).toBe(THOUSANDS[lang]);
      }
      const o = options(lang);
      const item = (x: Node) =>
        (x.tooltip as { formatter: (p: unknown) => string }).formatter.bind(null);
      expect(item(o.kind!)({ name: 'Post', value: 3142, percent: 25 })).toContain(THOUSANDS[lang]);
      expect(item(o.conversion!)({ name: 'Members', value: 3142 })).toContain(THOUSANDS[lang]);
      expect(item(o.cohorts!)({ value: [0, 0, 50] })).toContain(THOUSANDS[lang]);
    });
  }

  it('draws total and new members each in its own grid, on its own axis', () => {
    const growth = options('en').growth!;
    const grids = asList(growth.grid);
    const xs = asList(growth.xAxis);
    const ys = asList(growth.yAxis);
    const series = asList(growth.series);
    expect(grids).toHaveLength(2);
    expect(series.map((s) => [s.type, s.xAxisIndex, s.yAxisIndex])).toEqual([
      ['line', 0, 0],
      ['bar', 1, 1],
    ]);
    expect(ys.map((y) => y.gridIndex)).toEqual([0, 1]);
    expect(xs.map((x) => x.gridIndex)).toEqual([0, 1]);
    // The same days under both.
    expect(xs[0]!.data).toEqual(xs[1]!.data);
    expect(xs[1]!.data).toHaveLength(30);
  });
});
