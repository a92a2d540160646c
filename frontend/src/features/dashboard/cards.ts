import type { TFunction } from 'i18next';
import type { BehindMetric, KPIs } from '../../api';
import type { DashboardFormat } from './format';

/** A stage of the engagement funnel: the members at level `n` or a better one (1 is best). */
export type FunnelStage = `stage:${1 | 2 | 3 | 4}`;

/**
 * Who is behind a number: a DashboardService metric, every member (the Members screen), or an
 * engagement funnel stage (the levels it adds up, best first).
 */
export type Behind = BehindMetric | 'total' | FunnelStage;

export interface CardDef {
  key: string;
  value(k: KPIs): number;
  percent?: boolean;
  /** A length of time in seconds. */
  duration?: boolean;
  /** No value to show (a response time without answered questions). */
  missing?(k: KPIs): boolean;
  /** More is worse (churn). */
  lowerIsBetter?: boolean;
  behind: Behind;
  /** A second line under the number. */
  detail?(k: KPIs, fmt: DashboardFormat, t: TFunction): string;
}

export const KPI_CARDS: CardDef[] = [
  { key: 'total', value: (k) => k.membersTotal, behind: 'total' },
  { key: 'new', value: (k) => k.membersNew, behind: 'new' },
  { key: 'active', value: (k) => k.membersActive, behind: 'active' },
  { key: 'engagement', value: (k) => k.engagementRate, percent: true, behind: 'active' },
  {
    key: 'stickiness',
    value: (k) => k.stickiness,
    percent: true,
    behind: 'active',
    detail: (k, fmt, t) =>
      t('dashboard.dauMau', { dau: fmt.decimal(k.dau), mau: fmt.decimal(k.mau) }),
  },
  { key: 'growth', value: (k) => k.growthRate, percent: true, behind: 'new' },
  { key: 'churned', value: (k) => k.membersChurned, lowerIsBetter: true, behind: 'churned' },
  { key: 'activities', value: (k) => k.activities, behind: 'active' },
  {
    key: 'answered',
    value: (k) => k.questionsAnswered,
    behind: 'answerers',
    detail: (k, fmt, t) =>
      t('dashboard.answeredDetail', {
        questions: fmt.count(k.questions),
        rate: fmt.percent(k.answerRate),
      }),
  },
  {
    key: 'responseTime',
    value: (k) => k.medianResponseSeconds,
    duration: true,
    lowerIsBetter: true,
    missing: (k) => k.questionsAnswered === 0,
    behind: 'answerers',
    detail: (k, fmt, t) =>
      k.questionsAnswered > 0
        ? t('dashboard.responseDetail', { p90: fmt.duration(k.responseTimeP90Seconds) })
        : '',
  },
];

/** True when neither the period nor the one before saw any activity. */
export function withoutActivity(k: KPIs): boolean {
  return k.activities === 0 && (k.previous?.activities ?? 0) === 0;
}
