import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type ReportLang } from '../../api';
import { currentLanguage } from '../../i18n';
import { RangePicker } from '../dashboard/RangePicker';
import { LangSelect } from './LangSelect';
import { ScheduleCard } from './ScheduleCard';
import { usePeriod } from './usePeriod';
import { useWorkbookExport } from './useWorkbookExport';

/** Excel workbooks to hand to managers: KPIs of a period, the members, and a weekly report. */
export function ReportsScreen() {
  const { t } = useTranslation();
  return (
    <Stack
      gap="lg"
      maw={900}
      data-testid="screen-reports"
      flex={1}
      mih={0}
      style={{ overflowY: 'auto' }}
    >
      <Title order={2}>{t('nav.reports')}</Title>
      <KpiWorkbookCard />
      <MembersWorkbookCard />
      <ScheduleCard />
    </Stack>
  );
}

function KpiWorkbookCard() {
  const { t } = useTranslation();
  const api = useApi();
  const period = usePeriod();
  const [lang, setLang] = useState<ReportLang>(currentLanguage());
  const { busy, run } = useWorkbookExport();
  const { range } = period;
  return (
    <Paper withBorder p="lg" radius="md" data-testid="report-kpi">
      <Title order={3} size="h5" mb="xs">
        {t('reports.kpi.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('reports.kpi.help')}
      </Text>
      <Group align="flex-end" justify="space-between" wrap="wrap" gap="sm">
        <Group align="flex-end" gap="sm">
          <LangSelect value={lang} onChange={setLang} testId="report-kpi-lang" />
          <Button
            loading={busy}
            disabled={!range}
            onClick={() =>
              range && run(() => api.reports.exportKpi(range.from, range.to, '', lang))
            }
            data-testid="report-kpi-export"
          >
            {t('reports.export')}
          </Button>
        </Group>
        <RangePicker
          preset={period.preset}
          custom={period.custom}
          range={range}
          onPreset={period.choosePreset}
          onCustom={period.setCustom}
        />
      </Group>
    </Paper>
  );
}

function MembersWorkbookCard() {
  const { t } = useTranslation();
  const api = useApi();
  const [lang, setLang] = useState<ReportLang>(currentLanguage());
  const { busy, run } = useWorkbookExport();
  return (
    <Paper withBorder p="lg" radius="md" data-testid="report-members">
      <Title order={3} size="h5" mb="xs">
        {t('reports.members.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('reports.members.help')}
      </Text>
      <Group align="flex-end" gap="sm">
        <LangSelect value={lang} onChange={setLang} testId="report-members-lang" />
        <Button
          loading={busy}
          onClick={() => run(() => api.reports.exportMembers(lang))}
          data-testid="report-members-export"
        >
          {t('reports.export')}
        </Button>
      </Group>
    </Paper>
  );
}
