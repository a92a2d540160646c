import {
  Alert,
  Button,
  Code,
  Group,
  List,
  Loader,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api';
import { SegmentSelect } from '../../components/SegmentSelect';
import { currentLanguage } from '../../i18n';
import { MemberDrawer, type Editing } from '../members/MemberDrawer';
import { useMemberTags } from '../members/useMemberTags';
import { useWorkbookExport } from '../reports/useWorkbookExport';
import { TasksPanel } from '../tasks/TasksPanel';
import { ConversionCharts, EngagementCharts, GrowthCharts } from './DashboardCharts';
import { withoutActivity, type Behind } from './cards';
import { KpiCards } from './KpiCards';
import { MembersBehindModal, type BehindRequest } from './MembersBehindModal';
import { GoneQuietList, SuperUsersTable } from './PeopleTables';
import { RangePicker } from './RangePicker';
import { QuestionsPanel, TextInsights } from './TextInsights';
import {
  dayOf,
  isValidRange,
  lengthInDays,
  parseDay,
  presetRange,
  type DayRange,
  type Preset,
} from './ranges';
import { CampaignResults } from './CampaignResults';
import { useDashboardCampaigns, useDashboardFunnel } from './useDashboardFunnel';
import { useDashboardStats } from './useDashboardStats';

/** The dashboard's tabs, in order; each has a `dashboard-tab-<name>` test id. */
const DASHBOARD_TABS = ['overview', 'engagement', 'conversations', 'campaigns'] as const;
type DashboardTab = (typeof DASHBOARD_TABS)[number];

/**
 * The first thing to look at in the morning: how the community is doing over a period compared
 * with the one before, who is behind each number, and what needs doing. One tab at a time:
 * Overview (the numbers, growth, activity, tasks), Engagement (levels, super users, who went
 * quiet, cohorts), Conversations (questions, sentiment, rising topics) and Campaigns & ROI.
 */
export function DashboardScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<DashboardTab>('overview');
  const [preset, setPreset] = useState<Preset>('last30');
  const [custom, setCustom] = useState<DayRange>(() => presetRange('custom', new Date()));
  const [behind, setBehind] = useState<BehindRequest | null>(null);
  // The saved segment whose members the numbers are about ('' for everyone).
  const [segment, setSegment] = useState('');
  const [member, setMember] = useState<Editing>(null);
  const tags = useMemberTags();
  const api = useApi();
  const excel = useWorkbookExport();

  // A preset means "as of today": a new day moves it on the next render.
  const today = dayOf(new Date());
  const range = useMemo<DayRange | null>(() => {
    if (preset === 'custom') return isValidRange(custom) ? custom : null;
    return presetRange(preset, parseDay(today) ?? new Date());
  }, [preset, custom, today]);

  const { kpis, range: shown, loading } = useDashboardStats(range, segment);
  // The funnel and the newsletters' results read consent and deliveries: asked for only once
  // their tab is open, so that they do not hold up the cards on a big workspace.
  const campaignsRange = tab === 'campaigns' ? range : null;
  const funnel = useDashboardFunnel(campaignsRange);
  const campaigns = useDashboardCampaigns(campaignsRange);

  const choosePreset = (p: Preset) => {
    // Custom starts from what was on screen.
    if (p === 'custom' && range) setCustom(range);
    setPreset(p);
  };

  const open = useCallback(
    (what: Behind, title: string) =>
      shown && setBehind({ behind: what, title, range: shown, segment }),
    [shown, segment],
  );
  const closeBehind = useCallback(() => setBehind(null), []);
  const openMember = useCallback((id: string) => {
    setBehind(null);
    setMember({ mode: 'edit', id });
  }, []);
  const closeMember = useCallback(() => setMember(null), []);

  const days = shown ? lengthInDays(shown) : 0;

  return (
    <Stack
      gap="lg"
      maw={1200}
      data-testid="screen-dashboard"
      flex={1}
      mih={0}
      style={{ overflowY: 'auto' }}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="xs" align="center">
          <Title order={2}>{t('nav.dashboard')}</Title>
          {loading && kpis && <Loader size="xs" aria-label={t('dashboard.loading')} />}
        </Group>
        <Group gap="xs" align="flex-start" wrap="wrap">
          <RangePicker
            preset={preset}
            custom={custom}
            range={range}
            onPreset={choosePreset}
            onCustom={setCustom}
          />
          <SegmentSelect
            size="sm"
            w={230}
            aria-label={t('dashboard.segment.label')}
            everyone={t('dashboard.segment.everyone')}
            value={segment}
            onChange={setSegment}
            data-testid="dashboard-segment"
          />
          <Button
            variant="default"
            size="sm"
            loading={excel.busy}
            disabled={!shown}
            onClick={() =>
              shown &&
              excel.run(() =>
                api.reports.exportKpi(shown.from, shown.to, segment, currentLanguage()),
              )
            }
            data-testid="dashboard-export-excel"
          >
            {t('dashboard.exportExcel')}
          </Button>
        </Group>
      </Group>

      {segment !== '' && kpis?.unfiltered && (
        <Alert color="blue" variant="light" data-testid="dashboard-segment-note">
          {t('dashboard.segment.note')}
        </Alert>
      )}

      {kpis === null ? (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="dashboard-loading">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} height={96} radius="md" />
          ))}
        </SimpleGrid>
      ) : withoutActivity(kpis) ? (
        <>
          <KpiCards kpis={kpis} onOpen={(what, key) => open(what, t(`dashboard.kpi.${key}`))} />
          <EmptyState />
          <TasksPanel />
        </>
      ) : (
        <Tabs
          value={tab}
          onChange={(v) => v && setTab(v as DashboardTab)}
          keepMounted={false}
          data-testid="dashboard-tabs"
        >
          <Tabs.List mb="md">
            {DASHBOARD_TABS.map((name) => (
              <Tabs.Tab key={name} value={name} data-testid={`dashboard-tab-${name}`}>
                {t(`dashboard.tabs.${name}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="overview">
            <Stack gap="lg">
              <KpiCards kpis={kpis} onOpen={(what, key) => open(what, t(`dashboard.kpi.${key}`))} />
              <GrowthCharts kpis={kpis} />
              <TasksPanel />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="engagement">
            <Stack gap="lg">
              <EngagementCharts kpis={kpis} onOpen={open} />
              <SuperUsersTable users={kpis.superUsers} days={days} onOpenMember={openMember} />
              <GoneQuietList users={kpis.goneQuiet} days={days} onOpenMember={openMember} />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="conversations">
            <Stack gap="lg">
              <QuestionsPanel kpis={kpis} onOpenAnswerers={(title) => open('answerers', title)} />
              <TextInsights kpis={kpis} />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="campaigns">
            <Stack gap="lg">
              {segment !== '' && (
                <Text size="sm" c="dimmed" data-testid="campaigns-not-per-segment">
                  {t('dashboard.segment.campaignsNote')}
                </Text>
              )}
              <ConversionCharts funnel={funnel.result} onRoiSaved={funnel.reload} />
              <CampaignResults report={campaigns.result} />
            </Stack>
          </Tabs.Panel>
        </Tabs>
      )}

      <MembersBehindModal request={behind} onClose={closeBehind} onOpenMember={openMember} />
      <MemberDrawer
        editing={member}
        allTags={tags.map((x) => x.tag)}
        onClose={closeMember}
        onOpenMember={openMember}
      />
    </Stack>
  );
}

/** What to do when no activity has been recorded: where activity comes from. */
function EmptyState() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg" radius="md" data-testid="dashboard-empty">
      <Title order={3} size="h5" mb="xs">
        {t('dashboard.empty.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('dashboard.empty.intro')}
      </Text>
      <List size="sm" spacing="xs">
        <List.Item>{t('dashboard.empty.connections')}</List.Item>
        <List.Item>
          {t('dashboard.empty.import')} <Code>hearth activity import activity.csv</Code>
          <Text size="xs" c="dimmed">
            {t('dashboard.empty.importColumns')}
          </Text>
        </List.Item>
        <List.Item>
          {t('dashboard.empty.add')}{' '}
          <Code>
            hearth activity add --member ana@example.org --kind post --at 2025-03-01T10:00:00Z
          </Code>
        </List.Item>
      </List>
    </Paper>
  );
}
