// ECharts options of the dashboard's charts, built from the KPIs in the person's language. Pure
// functions: no ECharts code is loaded here (only its types).
import type { EChartsCoreOption } from 'echarts/core';
import type { TFunction } from 'i18next';
import { ACTIVITY_KINDS, type Funnel, type KPIs, type LevelCount } from '../../api';
import type { DashboardFormat } from './format';

/** Mantine's orange first, then colours that stay apart in light and dark. */
export const PALETTE = [
  '#fd7e14',
  '#228be6',
  '#12b886',
  '#fa5252',
  '#7950f2',
  '#fab005',
  '#15aabf',
  '#e64980',
];

const LEVELS = [1, 2, 3, 4] as const;

const tooltipNumber = (fmt: DashboardFormat) => (v: unknown) =>
  typeof v === 'number' ? fmt.count(v) : String(v ?? '');

/** A level's name in the person's language (Go's name for a level the window does not know). */
export function levelName(t: TFunction, level: number, fallback = ''): string {
  return t(`dashboard.levelNames.${level}`, { defaultValue: fallback || String(level) });
}

/** A value axis whose labels are the person's numbers (3,142 / 3 142). */
const countAxis = (fmt: DashboardFormat, more: Record<string, unknown> = {}) => ({
  type: 'value',
  minInterval: 1,
  axisLabel: { formatter: (v: number) => fmt.count(v) },
  ...more,
});

/**
 * Members in total (line) and new members (bars) per day, one above the other: each has its own
 * grid and its own axis, so neither reads on the other's scale. The days line up, and one
 * tooltip gives both numbers of a day.
 */
export function growthOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const days = k.daily.map((d) => fmt.shortDay(d.day));
  const titleStyle = { fontSize: 12, fontWeight: 'normal', color: '#868e96' };
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', valueFormatter: tooltipNumber(fmt) },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    title: [
      { text: t('dashboard.charts.membersTotal'), left: 0, top: 0, textStyle: titleStyle },
      { text: t('dashboard.charts.newMembers'), left: 0, top: '60%', textStyle: titleStyle },
    ],
    grid: [
      { left: 8, right: 8, top: 24, height: '40%', containLabel: true },
      { left: 8, right: 8, top: '68%', bottom: 8, containLabel: true },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: days, axisLabel: { show: false } },
      { type: 'category', gridIndex: 1, data: days },
    ],
    yAxis: [
      // The total moves little against its size: its axis starts near its lowest value.
      countAxis(fmt, { gridIndex: 0, scale: true }),
      countAxis(fmt, { gridIndex: 1, splitNumber: 2 }),
    ],
    series: [
      {
        name: t('dashboard.charts.membersTotal'),
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: false,
        smooth: true,
        data: k.daily.map((d) => d.membersTotal),
      },
      {
        name: t('dashboard.charts.newMembers'),
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: k.daily.map((d) => d.newMembers),
      },
    ],
  };
}

/** Biggest first; '' is named. */
function sortedEntries(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
}

/** Activities per channel, horizontal bars, the busiest on top. */
export function channelOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const rows = sortedEntries(k.activitiesByChannel).reverse();
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: tooltipNumber(fmt),
    },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmt.count(v) } },
    yAxis: {
      type: 'category',
      data: rows.map(([c]) => c || t('dashboard.charts.noChannel')),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [
      {
        name: t('dashboard.charts.activities'),
        type: 'bar',
        data: rows.map(([, n]) => n),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number }) => fmt.count(p.value),
        },
      },
    ],
  };
}

/** A kind's name in the person's language. */
export function kindName(t: TFunction, kind: string): string {
  return (ACTIVITY_KINDS as readonly string[]).includes(kind) ? t(`sync.kinds.${kind}`) : kind;
}

/** Share of activities by kind, as a ring. */
export function kindOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; percent: number }) =>
        `${p.name}: ${fmt.count(p.value)} (${fmt.percent(p.percent / 100)})`,
    },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        name: t('dashboard.charts.byKind'),
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        label: { show: false },
        data: sortedEntries(k.activitiesByKind).map(([kind, value]) => ({
          name: kindName(t, kind),
          value,
        })),
      },
    ],
  };
}

/** Monthly cohorts: joining month × months after, coloured by the share still active. */
export function cohortOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const width = Math.max(0, ...k.cohorts.map((c) => c.retention.length));
  const data: [number, number, number][] = [];
  k.cohorts.forEach((c, y) =>
    c.retention.forEach((share, x) => data.push([x, y, Math.round(share * 1000) / 10])),
  );
  return {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) => {
        const [x, y, v] = p.value;
        const c = k.cohorts[y];
        return c
          ? t('dashboard.charts.cohortTip', {
              month: fmt.month(c.month),
              size: fmt.count(c.size),
              offset: x,
              share: fmt.percent(v / 100),
            })
          : '';
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: {
      type: 'category',
      data: Array.from({ length: width }, (_, i) => t('dashboard.charts.monthOffset', { n: i })),
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: k.cohorts.map((c) => `${fmt.month(c.month)} (${fmt.count(c.size)})`),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#fff4e6', '#ffa94d', '#e8590c'] },
      formatter: (v: number) => fmt.percent(v / 100),
    },
    series: [
      {
        name: t('dashboard.charts.retention'),
        type: 'heatmap',
        data,
        label: {
          show: true,
          formatter: (p: { value: number[] }) => fmt.percent(Math.round(p.value[2] ?? 0) / 100),
        },
      },
    ],
  };
}

const byLevel = (levels: LevelCount[]) =>
  LEVELS.map(
    (n) =>
      levels.find((l) => l.level === n) ?? {
        level: n,
        name: '',
        members: 0,
        promoted: 0,
        demoted: 0,
      },
  );

/** Members per level, with the period's promotions and demotions. Level 1 first. */
export function levelsOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const levels = byLevel(k.levels);
  return {
    color: ['#fd7e14', '#12b886', '#fa5252'],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: tooltipNumber(fmt),
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: levels.map((l) => levelName(t, l.level, l.name)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmt.count(v) } },
    series: [
      { name: t('dashboard.charts.members'), type: 'bar', data: levels.map((l) => l.members) },
      { name: t('dashboard.charts.promoted'), type: 'bar', data: levels.map((l) => l.promoted) },
      { name: t('dashboard.charts.demoted'), type: 'bar', data: levels.map((l) => l.demoted) },
    ],
  };
}

/** A funnel of stages, each labelled with its count and tipped with its share of the first. */
function funnelChart(
  name: string,
  colors: string[],
  stages: { name: string; value: number }[],
  t: TFunction,
  fmt: DashboardFormat,
): EChartsCoreOption {
  const top = stages[0]?.value ?? 0;
  return {
    color: colors,
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) =>
        `${p.name}: ${fmt.count(p.value)}${top ? ` (${fmt.percent(p.value / top)})` : ''}`,
    },
    series: [
      {
        name,
        type: 'funnel',
        sort: 'none',
        left: '4%',
        width: '62%',
        top: 8,
        bottom: 8,
        minSize: '8%',
        label: {
          show: true,
          // Beside the stage: the narrow ones cannot hold a name.
          position: 'right',
          // Grey reads on light and dark; the stage colours are too pale for text.
          color: '#868e96',
          formatter: (p: { name: string; value: number }) =>
            t('dashboard.levelCount', { name: p.name, n: fmt.count(p.value) }),
        },
        data: stages,
      },
    ],
  };
}

/**
 * The engagement funnel, from the levels chart's numbers: stage i counts the members at level
 * 4 - i or a better one, so the first stage is everyone with a level (the sum of the levels
 * chart, not its Observers) and the last the Ambassadors. Stages are named for what they add up.
 */
export function funnelStages(k: KPIs, t: TFunction): { name: string; value: number }[] {
  const levels = byLevel(k.levels);
  return [4, 3, 2, 1].map((n) => ({
    name: t(`dashboard.funnelStages.${n}`),
    value: levels.filter((l) => l.level <= n).reduce((sum, l) => sum + l.members, 0),
  }));
}

/** The engagement funnel chart (see funnelStages). Stage i is level 4 - i and better. */
export function funnelOption(k: KPIs, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const stages = funnelStages(k, t);
  const colors = ['#ffd8a8', '#ffa94d', '#fd7e14', '#d9480f'];
  return funnelChart(t('dashboard.charts.funnel'), colors, stages, t, fmt);
}

/** The conversion funnel: members, newsletter subscribers, event attendees, goal reached. */
export function conversionOption(f: Funnel, t: TFunction, fmt: DashboardFormat): EChartsCoreOption {
  const stages = [
    { name: t('dashboard.conversion.members'), value: f.members },
    { name: t('dashboard.conversion.subscribers'), value: f.subscribers },
    { name: t('dashboard.conversion.attendees'), value: f.attendees },
    { name: t('dashboard.conversion.goal'), value: f.goal },
  ];
  const colors = ['#d0ebff', '#74c0fc', '#339af0', '#1864ab'];
  return funnelChart(t('dashboard.conversion.title'), colors, stages, t, fmt);
}
