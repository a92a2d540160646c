import { Anchor, Group, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FunnelResult, KPIs } from '../../api';
import type { Behind } from './cards';
import {
  channelOption,
  cohortOption,
  conversionOption,
  funnelOption,
  growthOption,
  kindOption,
  levelName,
  levelsOption,
} from './charts';
import type { ChartClick } from './EChart';
import { useDashboardFormat } from './format';
import { RoiCard } from './RoiCard';

// ECharts is big: it loads with the first chart, not with the app.
const EChart = lazy(() => import('./EChart'));

interface Props {
  /** The conversion funnel and ROI, once they answer (they come after the KPIs). */
  funnel?: FunnelResult | null;
  onOpen(what: Behind, title: string): void;
  /** Called after the ROI settings were saved. */
  onRoiSaved?(): void;
}

function Panel({
  title,
  note,
  testId,
  children,
  wide = false,
}: {
  title: string;
  note?: string;
  testId: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid={testId}
      style={wide ? { gridColumn: '1 / -1' } : undefined}
    >
      <Title order={3} size="h5" mb={note ? 2 : 'xs'}>
        {title}
      </Title>
      {note && (
        <Text size="xs" c="dimmed" mb="xs">
          {note}
        </Text>
      )}
      {children}
    </Paper>
  );
}

function Chart(props: Parameters<typeof EChart>[0]) {
  return (
    <Suspense fallback={<Skeleton height={props.height} />}>
      <EChart {...props} />
    </Suspense>
  );
}

/** The Overview tab's charts: growth, and activity by channel and by kind. */
export function GrowthCharts({ kpis }: { kpis: KPIs }) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const options = useMemo(
    () => ({
      growth: growthOption(kpis, t, fmt),
      channel: channelOption(kpis, t, fmt),
      kind: kindOption(kpis, t, fmt),
    }),
    [kpis, t, fmt],
  );
  const channels = Object.keys(kpis.activitiesByChannel).length;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" data-testid="dashboard-charts">
      <Panel
        title={t('dashboard.charts.growth')}
        note={t('dashboard.charts.growthNote')}
        testId="chart-growth"
        wide
      >
        <Chart option={options.growth} height={300} label={t('dashboard.charts.growth')} />
      </Panel>
      <Panel title={t('dashboard.charts.byChannel')} testId="chart-channels">
        {kpis.unfiltered?.includes('activitiesByChannel') ? (
          <Text size="sm" c="dimmed" data-testid="chart-channels-not-per-segment">
            {t('dashboard.segment.channelsNote')}
          </Text>
        ) : (
          <Chart
            option={options.channel}
            height={Math.max(160, Math.min(360, 40 + channels * 32))}
            label={t('dashboard.charts.byChannel')}
          />
        )}
      </Panel>
      <Panel title={t('dashboard.charts.byKind')} testId="chart-kinds">
        <Chart option={options.kind} height={260} label={t('dashboard.charts.byKind')} />
      </Panel>
    </SimpleGrid>
  );
}

/** The Engagement tab's charts: levels, the engagement funnel and the cohorts. */
export function EngagementCharts({ kpis, onOpen }: { kpis: KPIs; onOpen: Props['onOpen'] }) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const options = useMemo(
    () => ({
      cohorts: cohortOption(kpis, t, fmt),
      levels: levelsOption(kpis, t, fmt),
      funnel: funnelOption(kpis, t, fmt),
    }),
    [kpis, t, fmt],
  );

  const openLevel = (level: number) =>
    onOpen(`level:${level as 1 | 2 | 3 | 4}`, levelName(t, level));
  // Bars are in level order (1 first); funnel stage i adds up levels 1 to 4 - i.
  const onLevelBar = (c: ChartClick) => openLevel(c.dataIndex + 1);
  const onFunnel = (c: ChartClick) => {
    const n = (4 - c.dataIndex) as 1 | 2 | 3 | 4;
    onOpen(`stage:${n}`, t(`dashboard.funnelStages.${n}`));
  };

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" data-testid="dashboard-engagement-charts">
      <Panel
        title={t('dashboard.charts.levels')}
        note={t('dashboard.charts.levelsNote')}
        testId="chart-levels"
      >
        <Chart
          option={options.levels}
          height={260}
          label={t('dashboard.charts.levels')}
          onClick={onLevelBar}
        />
        <Group gap="md" mt="xs" wrap="wrap">
          {[1, 2, 3, 4].map((n) => {
            const level = kpis.levels.find((l) => l.level === n);
            return (
              <Anchor
                key={n}
                component="button"
                type="button"
                size="sm"
                onClick={() => openLevel(n)}
                data-testid={`level-link-${n}`}
              >
                {t('dashboard.levelCount', {
                  name: levelName(t, n, level?.name),
                  n: fmt.count(level?.members ?? 0),
                })}
              </Anchor>
            );
          })}
        </Group>
      </Panel>
      <Panel
        title={t('dashboard.charts.funnel')}
        note={t('dashboard.charts.funnelNote')}
        testId="chart-funnel"
      >
        <Chart
          option={options.funnel}
          height={260}
          label={t('dashboard.charts.funnel')}
          onClick={onFunnel}
        />
      </Panel>
      <Panel
        title={t('dashboard.charts.cohorts')}
        note={t('dashboard.charts.cohortsNote')}
        testId="chart-cohorts"
        wide
      >
        {kpis.cohorts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('dashboard.charts.noCohorts')}
          </Text>
        ) : (
          <Chart
            option={options.cohorts}
            height={Math.max(180, 90 + kpis.cohorts.length * 28)}
            label={t('dashboard.charts.cohorts')}
          />
        )}
      </Panel>
    </SimpleGrid>
  );
}

/** The Campaigns & ROI tab's charts: the conversion funnel and the ROI. */
export function ConversionCharts({
  funnel = null,
  onRoiSaved = () => {},
}: Pick<Props, 'funnel' | 'onRoiSaved'>) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const option = useMemo(
    () => (funnel ? conversionOption(funnel.funnel, t, fmt) : null),
    [funnel, t, fmt],
  );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" data-testid="dashboard-conversion-charts">
      <Panel
        title={t('dashboard.conversion.title')}
        note={t('dashboard.conversion.note')}
        testId="chart-conversion"
      >
        {option ? (
          <Chart option={option} height={260} label={t('dashboard.conversion.title')} />
        ) : (
          <Skeleton height={260} />
        )}
      </Panel>
      <RoiCard roi={funnel?.roi ?? null} onSaved={onRoiSaved} />
    </SimpleGrid>
  );
}
