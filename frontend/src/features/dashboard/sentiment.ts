// The sentiment card's numbers and mini chart, from the KPIs. Pure functions.
import type { EChartsCoreOption } from 'echarts/core';
import type { TFunction } from 'i18next';
import type { Sentiment } from '../../api';
import type { DashboardFormat } from './format';

/** A day's score, (positive − negative) / (positive + negative); null when neither. */
export function dayScore(d: { positive: number; negative: number }): number | null {
  const n = d.positive + d.negative;
  return n === 0 ? null : (d.positive - d.negative) / n;
}

/** Share of the records that are positive, 0..1 (0 without records). */
export function positiveShare(s: Sentiment): number {
  const all = s.positive + s.negative + s.neutral;
  return all === 0 ? 0 : s.positive / all;
}

/** The daily score as a small line (gaps on days without positive or negative records). */
export function sentimentOption(
  s: Sentiment,
  t: TFunction,
  fmt: DashboardFormat,
): EChartsCoreOption {
  return {
    color: ['#12b886'],
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt.decimal(v) : '–'),
    },
    grid: { left: 4, right: 4, top: 8, bottom: 4, containLabel: true },
    xAxis: { type: 'category', show: false, data: s.daily.map((d) => fmt.shortDay(d.day)) },
    yAxis: {
      type: 'value',
      min: -1,
      max: 1,
      interval: 1,
      splitLine: { show: true },
      axisLabel: { formatter: (v: number) => fmt.decimal(v) },
    },
    series: [
      {
        name: t('dashboard.text.dailyScore'),
        type: 'line',
        showSymbol: false,
        connectNulls: true,
        smooth: true,
        data: s.daily.map(dayScore),
      },
    ],
  };
}
