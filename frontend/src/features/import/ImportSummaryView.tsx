import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportSummary } from '../../api';
import { ExpiredNote } from '../../components/ExpiredNote';
import { useFormat } from '../../i18n/format';
import { describeRowError } from './importText';

/** Rejected rows listed at most; the rest is counted in an "and N more" line. */
export const REJECTED_VISIBLE = 100;

const COUNTS = ['created', 'updated', 'unchanged', 'rejected'] as const;
const COLORS = { created: 'green', updated: 'blue', unchanged: 'gray', rejected: 'red' } as const;

/** Counts of a finished (or dry-run) import and the rows it rejected, with their reasons. */
export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const shown = summary.errors.slice(0, REJECTED_VISIBLE);
  const more = Math.max(summary.rejected, summary.errors.length) - shown.length;

  return (
    <div data-testid="import-summary">
      {summary.cancelled && (
        <Alert color="yellow" variant="light" mb="md" data-testid="import-cancelled">
          {t('import.cancelledNote')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        {COUNTS.map((key) => (
          <Paper key={key} withBorder p="sm" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t(summary.dryRun ? `import.wouldBe.${key}` : `import.count.${key}`)}
            </Text>
            <Text
              size="xl"
              fw={700}
              c={summary[key] > 0 ? COLORS[key] : undefined}
              data-testid={`import-count-${key}`}
            >
              {fmt.number(summary[key])}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>

      {(summary.merged > 0 || summary.joinDates > 0) && (
        <Stack gap={4} mb="md">
          {summary.merged > 0 && (
            <Text size="sm" data-testid="import-merged">
              {t('import.merged', { count: summary.merged })}
            </Text>
          )}
          {summary.joinDates > 0 && (
            <Text size="sm" data-testid="import-join-dates">
              {t(summary.dryRun ? 'import.joinDatesWouldBe' : 'import.joinDates', {
                count: summary.joinDates,
              })}
            </Text>
          )}
        </Stack>
      )}

      {summary.expiredConsents.length > 0 && (
        <Stack gap="xs" mb="md">
          {summary.expiredConsents.map((l) => (
            <ExpiredNote key={l.purpose} expired={l} testId={`import-expired-${l.purpose}`} />
          ))}
        </Stack>
      )}

      {shown.length > 0 && (
        <>
          <Text fw={600} mb="xs">
            {t('import.rejectedTitle')}
          </Text>
          <Table striped withTableBorder layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>{t('import.line')}</Table.Th>
                <Table.Th w="30%">{t('import.column')}</Table.Th>
                <Table.Th>{t('import.reasonHeader')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((e, i) => (
                <Table.Tr key={`${e.line}-${e.column}-${i}`} data-testid="import-rejected-row">
                  <Table.Td>{fmt.number(e.line)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate title={e.column}>
                      {e.column || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{describeRowError(t, e)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {more > 0 && (
            <Group mt="xs">
              <Text size="sm" c="dimmed" data-testid="import-rejected-more">
                {t('import.andMore', { count: more })}
              </Text>
            </Group>
          )}
        </>
      )}
    </div>
  );
}
