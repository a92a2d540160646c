import { Anchor, Group, List, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KPIs } from '../../api';
import { useDashboardFormat } from './format';
import { positiveShare, sentimentOption } from './sentiment';

const EChart = lazy(() => import('./EChart'));

/** What members' messages say: the sentiment trend and the rising topics of the period. */
export function TextInsights({ kpis }: { kpis: KPIs }) {
  const { t } = useTranslation();
  if (kpis.unfiltered?.includes('sentiment')) {
    return (
      <Text size="sm" c="dimmed" data-testid="insights-not-per-segment">
        {t('dashboard.segment.insightsNote')}
      </Text>
    );
  }
  return <Insights kpis={kpis} />;
}

function Insights({ kpis }: { kpis: KPIs }) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const s = kpis.sentiment;
  const prev = kpis.previous?.sentiment;
  const option = useMemo(() => sentimentOption(s, t, fmt), [s, t, fmt]);
  const measured = s.positive + s.negative + s.neutral > 0;
  const diff = prev && prev.positive + prev.negative > 0 ? s.score - prev.score : null;
  const arrow = diff === null ? '' : diff > 1e-9 ? '↑' : diff < -1e-9 ? '↓' : '→';
  const tone = diff === null || Math.abs(diff) < 1e-9 ? 'dimmed' : diff > 0 ? 'teal.7' : 'red.7';
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Paper withBorder p="md" radius="md" data-testid="dashboard-sentiment">
        <Title order={3} size="h5" mb={2}>
          {t('dashboard.text.sentiment')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('dashboard.text.sentimentNote')}
        </Text>
        {measured ? (
          <>
            <Group gap="sm" align="baseline">
              <Text fz={26} fw={700} data-testid="dashboard-sentiment-score">
                {fmt.decimal(s.score)}
              </Text>
              <Text size="xs" c={tone} fw={500} data-testid="dashboard-sentiment-change">
                {diff === null
                  ? t('dashboard.noPrevious')
                  : `${arrow} ${fmt.decimal(diff)} ${t('dashboard.vsPrevious')}`}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {t('dashboard.text.shares', {
                positive: fmt.percent(positiveShare(s)),
                positiveCount: fmt.count(s.positive),
                negative: fmt.count(s.negative),
                neutral: fmt.count(s.neutral),
              })}
            </Text>
            <Suspense fallback={<Skeleton height={90} />}>
              <EChart
                option={option}
                height={90}
                label={t('dashboard.text.dailyScore')}
                testId="chart-sentiment"
              />
            </Suspense>
          </>
        ) : (
          <Text size="sm">{t('dashboard.text.noText')}</Text>
        )}
      </Paper>
      <Paper withBorder p="md" radius="md" data-testid="dashboard-rising">
        <Title order={3} size="h5" mb={2}>
          {t('dashboard.text.rising')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('dashboard.text.risingNote')}
        </Text>
        {kpis.risingTopics.length === 0 ? (
          <Text size="sm">{t('dashboard.text.risingEmpty')}</Text>
        ) : (
          <List size="sm" spacing={4}>
            {kpis.risingTopics.map((r) => (
              <List.Item key={r.word} data-testid="rising-topic">
                <Text span fw={600}>
                  {r.word}
                </Text>{' '}
                <Text span size="xs" c="dimmed">
                  {t('dashboard.text.risingItem', {
                    count: r.count,
                    n: fmt.count(r.count),
                    previous: fmt.count(r.previous),
                    change: fmt.signedPercent(r.change),
                  })}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
    </SimpleGrid>
  );
}

/** The period's questions: how many were answered, how fast, and who answered them. */
export function QuestionsPanel({
  kpis,
  onOpenAnswerers,
}: {
  kpis: KPIs;
  onOpenAnswerers(title: string): void;
}) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const answered = kpis.questionsAnswered > 0;
  return (
    <Paper withBorder p="md" radius="md" data-testid="dashboard-questions">
      <Title order={3} size="h5" mb={2}>
        {t('dashboard.questions.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.questions.note')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('dashboard.kpi.answered')}
          </Text>
          <Text fz={22} fw={700} data-testid="questions-answered">
            {fmt.count(kpis.questionsAnswered)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('dashboard.answeredDetail', {
              questions: fmt.count(kpis.questions),
              rate: fmt.percent(kpis.answerRate),
            })}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('dashboard.kpi.responseTime')}
          </Text>
          <Text fz={22} fw={700} data-testid="questions-response-time">
            {answered ? fmt.duration(kpis.medianResponseSeconds) : t('dashboard.noAnswer')}
          </Text>
          {answered && (
            <Text size="xs" c="dimmed">
              {t('dashboard.responseDetail', { p90: fmt.duration(kpis.responseTimeP90Seconds) })}
            </Text>
          )}
        </div>
      </SimpleGrid>
      {answered && (
        <Anchor
          component="button"
          type="button"
          size="sm"
          mt="xs"
          onClick={() => onOpenAnswerers(t('dashboard.questions.whoAnswered'))}
          data-testid="questions-answerers"
        >
          {t('dashboard.questions.whoAnswered')}
        </Anchor>
      )}
    </Paper>
  );
}
