import { Button, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type AuditEntry } from '../../api';
import { actorLabel } from '../../components/actorLabel';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { displayName } from '../members/displayName';
import { auditDetails } from './auditText';

export const AUDIT_LIMIT = 200;

/**
 * The latest entries of the audit log: who did what to whose data, and when, in people's words:
 * the actor translated, the member by name (an erased member has none left to show).
 */
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
  const names = useMemberNames(entries);

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
                    <Text size="sm" truncate title={e.actor} data-testid="audit-actor">
                      {e.teammate
                        ? t('audit.byTeammate', { name: e.teammate, actor: actorLabel(t, e.actor) })
                        : actorLabel(t, e.actor)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Table.Td>
                  <Table.Td>
                    <MemberCell id={e.memberId} name={names.get(e.memberId)} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate title={auditDetails(t, e)} data-testid="audit-details">
                      {auditDetails(t, e)}
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

/** The members' names by id: a string once known, null when the member is gone. */
function useMemberNames(entries: AuditEntry[] | null): Map<string, string | null> {
  const api = useApi();
  const [names, setNames] = useState(new Map<string, string | null>());
  const ids = [...new Set((entries ?? []).map((e) => e.memberId).filter(Boolean))].sort();
  const key = ids.join(',');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    void Promise.all(
      key.split(',').map((id) =>
        api.members.get(id).then(
          (m): [string, string | null] => [id, displayName(m)],
          (): [string, string | null] => [id, null],
        ),
      ),
    ).then((pairs) => live && setNames(new Map(pairs)));
    return () => {
      live = false;
    };
  }, [api, key]);
  return names;
}

function MemberCell({ id, name }: { id: string; name: string | null | undefined }) {
  const { t } = useTranslation();
  if (!id) return <Text size="sm">{t('audit.noMember')}</Text>;
  if (name === undefined) return null; // still loading
  return (
    <Text
      size="sm"
      truncate
      c={name === null ? 'dimmed' : undefined}
      fs={name === null ? 'italic' : undefined}
      data-testid="audit-member"
    >
      {name ?? t('audit.erasedMember')}
    </Text>
  );
}
