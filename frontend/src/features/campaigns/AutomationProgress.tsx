import { Badge, Center, Loader, Modal, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Automation, type Enrolment } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { displayName } from '../members/displayName';
import { stepText } from './automationText';

const STATUS_COLORS: Record<string, string> = {
  active: 'blue',
  completed: 'green',
  cancelled: 'gray',
  failed: 'red',
};

/** Enrolments listed at most; the rest are counted. */
const MAX_ROWS = 500;

/** Where each member stands in an automation: current step, next run, steps done with dates. */
export function AutomationProgress({
  automation,
  onClose,
}: {
  automation: Automation | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={automation !== null}
      onClose={onClose}
      size="xl"
      title={t('automation.progressTitle', { name: automation?.name ?? '' })}
    >
      {automation && <ProgressTable key={automation.id} automation={automation} />}
    </Modal>
  );
}

function ProgressTable({ automation }: { automation: Automation }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [rows, setRows] = useState<Enrolment[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const id = automation.id;

  useEffect(() => {
    if (!id) return;
    let live = true;
    api.automations.progress(id).then((list) => live && setRows(list), notifyError);
    return () => {
      live = false;
    };
  }, [api, id]);
  // Names of the members shown, fetched as rows come and go: never an id in their place.
  const missing = [...new Set((rows ?? []).slice(0, MAX_ROWS).map((e) => e.memberId))]
    .filter((m) => !(m in names))
    .sort()
    .join(',');
  useEffect(() => {
    if (missing === '') return;
    let live = true;
    void Promise.all(
      missing.split(',').map((m) =>
        api.members.get(m).then(
          (member) => [m, displayName(member)] as const,
          () => [m, t('automation.goneMember')] as const,
        ),
      ),
    ).then((pairs) => live && setNames((old) => ({ ...old, ...Object.fromEntries(pairs) })));
    return () => {
      live = false;
    };
  }, [api, missing, t]);
  useEffect(() => {
    if (!id) return;
    return api.events.onAutomationsChanged(() => {
      api.automations.progress(id).then(setRows, notifyError);
    });
  }, [api, id]);

  const steps = automation.steps;
  return (
    <>
      <div data-testid="automation-progress">
        {rows === null ? (
          <Center py="lg">
            <Loader size="sm" />
          </Center>
        ) : rows.length === 0 ? (
          <Text c="dimmed">{t('automation.noProgress')}</Text>
        ) : (
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('automation.member')}</Table.Th>
                <Table.Th>{t('automation.currentStep')}</Table.Th>
                <Table.Th>{t('automation.nextRun')}</Table.Th>
                <Table.Th>{t('automation.done')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, MAX_ROWS).map((e) => (
                <Table.Tr key={e.id} data-testid="automation-progress-row">
                  <Table.Td>
                    <Text size="sm" data-testid="automation-progress-member">
                      {names[e.memberId] ?? '…'}
                    </Text>
                    <Badge size="xs" variant="light" color={STATUS_COLORS[e.status] ?? 'gray'}>
                      {t(`automation.status.${e.status}`, { defaultValue: e.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {e.status === 'active'
                        ? `${e.step + 1}. ${stepText(t, steps[e.step])}`
                        : t(`automation.status.${e.status}`, { defaultValue: e.status })}
                    </Text>
                    {e.lastError && (
                      <Text size="xs" c="red">
                        {e.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {e.status === 'active' && e.nextAt ? fmt.dateTime(e.nextAt) : '—'}
                  </Table.Td>
                  <Table.Td>
                    {e.history.length === 0
                      ? '—'
                      : e.history.map((h) => (
                          <Text key={`${h.stepId}-${h.startedAt}`} size="xs">
                            {h.step + 1}.{' '}
                            {stepText(t, steps[h.step] ?? { id: h.stepId, kind: h.kind })} —{' '}
                            {h.doneAt ? fmt.dateTime(h.doneAt) : t('automation.running')}
                            {h.outcome && h.outcome !== 'done'
                              ? ` (${t(`automation.outcome.${h.outcome}`, { defaultValue: h.outcome })})`
                              : ''}
                          </Text>
                        ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rows && rows.length > MAX_ROWS && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('automation.more', { count: rows.length - MAX_ROWS })}
          </Text>
        )}
      </div>
    </>
  );
}
