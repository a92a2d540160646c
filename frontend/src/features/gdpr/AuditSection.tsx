import { Button, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type AuditEntry } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';

export const AUDIT_LIMIT = 200;

/** The latest entries of the audit log: who did what to whose data, and when. */
export function AuditSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.gdpr
      .audit('', AUDIT_LIMIT)
      .then((es) => live && setEntries(es), notifyError)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, version]);

  const refresh = () => {
    setLoading(true);
    setVersion((v) => v + 1);
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-audit">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('audit.title')}
        </Title>
        <Button
          size="compact-sm"
          variant="subtle"
          loading={loading}
          onClick={refresh}
          data-testid="audit-refresh"
        >
          {t('audit.refresh')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('audit.help', { count: AUDIT_LIMIT })}
      </Text>
      {entries && entries.length === 0 && <Text c="dimmed">{t('audit.empty')}</Text>}
      {entries && entries.length > 0 && (
        <ScrollArea.Autosize mah={480} type="auto">
          <Table layout="fixed" verticalSpacing={4} striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={170}>{t('audit.at')}</Table.Th>
                <Table.Th w={110}>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th w={140}>{t('audit.member')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e, i) => (
                <Table.Tr key={`${e.at}-${i}`} data-testid="audit-row">
                  <Table.Td>{fmt.dateTime(e.at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate>
                      {e.actor}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" truncate title={e.memberId}>
                      {e.memberId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate title={e.details}>
                      {e.details}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
