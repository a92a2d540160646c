import { Badge, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CampaignCounts, CampaignReport } from '../../api';
import { useDashboardFormat, type DashboardFormat } from './format';

interface Props {
  /** The period's results; null while they load. */
  report: CampaignReport | null;
  /** Now, to tell sends whose 30-day window is not over (a clock in tests). */
  now?: Date;
}

/** How long after a send its numbers can still change (the conversions' window). */
const MEASURE_MS = 30 * 24 * 60 * 60 * 1000;

function Figures({ row, fmt }: { row: CampaignCounts; fmt: DashboardFormat }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td ta="right" data-testid="campaign-delivered">
        {fmt.count(row.delivered)}
        <Text span size="xs" c="dimmed">
          {' '}
          {t('dashboard.campaigns.ofRecipients', { total: row.recipients })}
        </Text>
      </Table.Td>
      <Table.Td ta="right" data-testid="campaign-bounced">
        {fmt.count(row.bounced)}
        {row.failedTemp > 0 && (
          <Text size="xs" c="dimmed">
            {t('dashboard.campaigns.failedTemp', { count: row.failedTemp })}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right" data-testid="campaign-unsubscribed">
        {fmt.count(row.unsubscribed)}
      </Table.Td>
      <Table.Td ta="right" data-testid="campaign-engaged">
        {fmt.percent(row.engagedRate)}
        <Text size="xs" c="dimmed" data-testid="campaign-baseline">
          {t('dashboard.campaigns.baseline', { rate: fmt.percent(row.baselineEngagedRate) })}
        </Text>
      </Table.Td>
      <Table.Td ta="right" data-testid="campaign-conversions">
        {fmt.count(row.conversions)}
      </Table.Td>
    </>
  );
}

/** What each newsletter sent in the period achieved, as far as Hearth can know it locally. */
export function CampaignResults({ report, now }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const at = (now ?? new Date()).getTime();

  let body;
  if (!report) {
    body = (
      <Text size="sm" c="dimmed">
        {t('dashboard.loading')}
      </Text>
    );
  } else if (report.newsletters.length === 0) {
    body = (
      <Text size="sm" c="dimmed" data-testid="campaigns-empty">
        {t('dashboard.campaigns.empty')}
      </Text>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.campaigns.newsletter')}</Table.Th>
              <Table.Th>{t('dashboard.campaigns.sent')}</Table.Th>
              <Table.Th ta="right">{t('dashboard.campaigns.delivered')}</Table.Th>
              <Table.Th ta="right">{t('dashboard.campaigns.bounced')}</Table.Th>
              <Table.Th ta="right">{t('dashboard.campaigns.unsubscribed')}</Table.Th>
              <Table.Th ta="right">{t('dashboard.campaigns.engaged')}</Table.Th>
              <Table.Th ta="right">{t('dashboard.campaigns.conversions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.newsletters.map((n) => {
              const sent = new Date(n.sentAt).getTime();
              return (
                <Table.Tr key={n.id} data-testid="campaign-row">
                  <Table.Td data-testid="campaign-subject" fw={600}>
                    {n.subject}
                  </Table.Td>
                  <Table.Td data-testid="campaign-sent">
                    {fmt.date(n.sentAt)}
                    {at - sent < MEASURE_MS && (
                      <Tooltip label={t('dashboard.campaigns.ongoingHelp')}>
                        <Badge size="xs" variant="light" ml={6} data-testid="campaign-ongoing">
                          {t('dashboard.campaigns.ongoing')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Figures row={n} fmt={fmt} />
                </Table.Tr>
              );
            })}
          </Table.Tbody>
          {report.newsletters.length > 1 && (
            <Table.Tfoot>
              <Table.Tr data-testid="campaign-totals" fw={600}>
                <Table.Td colSpan={2}>
                  {t('dashboard.campaigns.total', { count: report.totals.newsletters })}
                </Table.Td>
                <Figures row={report.totals} fmt={fmt} />
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid="campaign-results"
      style={{ gridColumn: '1 / -1' }}
    >
      <Title order={3} size="h5" mb={2}>
        {t('dashboard.campaigns.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.campaigns.note')}
      </Text>
      {body}
    </Paper>
  );
}
