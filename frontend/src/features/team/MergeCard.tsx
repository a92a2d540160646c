import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type TeamConflict, type TeamMerge } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { shortReplica } from './replica';

/**
 * "Merge a teammate's file": pick a bundle, give its passphrase (none when it was encrypted to
 * my key), merge; then the report, which Go keeps for the window's session (shown again when
 * Settings is opened again), with its conflicts and their "Take the other value".
 */
export function MergeCard({ onMerged }: { onMerged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [merge, setMerge] = useState<TeamMerge | null>(null);

  useEffect(() => {
    api.team.lastMerge().then((m) => setMerge(m.done ? m : null), notifyError);
  }, [api]);

  const choose = async () => {
    try {
      const chosen = await api.team.chooseBundle();
      if (chosen) setPath(chosen);
    } catch (reason) {
      notifyError(reason);
    }
  };

  const run = async () => {
    setBusy(true);
    try {
      setMerge(await api.team.merge({ path, passphrase }));
      setPassphrase('');
      onMerged();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="team-merge">
      <Title order={3} size="h5" mb="xs">
        {t('team.merge.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('team.merge.hint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (path) void run();
        }}
      >
        <Stack gap="sm" maw={520}>
          <Group gap="sm" wrap="nowrap">
            <Button variant="default" onClick={() => void choose()} data-testid="team-merge-choose">
              {t('team.merge.choose')}
            </Button>
            {path ? (
              <Code data-testid="team-merge-file" style={{ wordBreak: 'break-all' }}>
                {path}
              </Code>
            ) : (
              <Text size="sm" c="dimmed">
                {t('team.merge.noFile')}
              </Text>
            )}
          </Group>
          <PasswordInput
            label={t('team.merge.passphrase')}
            description={t('team.merge.passphraseHint')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            autoComplete="off"
            data-testid="team-merge-passphrase"
          />
          <div>
            <Button type="submit" loading={busy} disabled={!path} data-testid="team-merge-submit">
              {t('team.merge.submit')}
            </Button>
          </div>
        </Stack>
      </form>
      {merge && <MergeReport merge={merge} onChange={setMerge} />}
    </Paper>
  );
}

const COUNTS = ['added', 'updated', 'deleted', 'erased', 'unchanged', 'duplicates'] as const;

/** What a merge did: its counts, and the conflicts with the value each side wrote. */
function MergeReport({ merge, onChange }: { merge: TeamMerge; onChange: (m: TeamMerge) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [taking, setTaking] = useState<number | null>(null);
  const names = useMemberNames(merge.report.conflicts, merge.taken.filter(Boolean).length);
  const r = merge.report;

  const take = async (i: number, c: TeamConflict) => {
    setTaking(i);
    try {
      onChange(await api.team.takeOther(c));
    } catch (reason) {
      notifyError(reason);
    } finally {
      setTaking(null);
    }
  };

  const fieldLabel = (field: string) => {
    const [base, key] = field.split(/\.(.*)/s);
    if (base === 'customFields' && key) return t('team.fieldNames.customField', { name: key });
    if (base === 'name' || base === 'notes') return t(`team.fieldNames.${base}`);
    return field;
  };

  return (
    <Stack gap="sm" mt="lg" data-testid="team-report">
      <Title order={4} size="h6">
        {t('team.report.title')}
      </Title>
      <Text size="sm" data-testid="team-report-summary">
        {t('team.report.summary', {
          file: merge.file,
          from: r.from || shortReplica(r.fromReplica),
          at: fmt.dateTime(merge.at),
        })}
      </Text>
      <SimpleGrid cols={{ base: 3, md: 6 }} spacing="xs">
        {COUNTS.map((k) => (
          <Paper key={k} withBorder p="xs" radius="sm" data-testid={`team-report-${k}`}>
            <Text size="xs" c="dimmed">
              {t(`team.report.${k}`)}
            </Text>
            <Text fw={600}>{fmt.number(r[k])}</Text>
          </Paper>
        ))}
      </SimpleGrid>
      {r.conflicts.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="team-report-no-conflicts">
          {t('team.report.noConflicts')}
        </Text>
      ) : (
        <>
          <Text size="sm" data-testid="team-report-conflicts">
            {t('team.report.conflicts', { count: r.conflicts.length + r.conflictsLeftOut })}
          </Text>
          {r.conflictsLeftOut > 0 && (
            <Text size="sm" c="dimmed" data-testid="team-report-left-out">
              {t('team.report.leftOut', { count: r.conflictsLeftOut })}
            </Text>
          )}
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" data-testid="team-conflicts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('team.report.record')}</Table.Th>
                  <Table.Th>{t('team.report.field')}</Table.Th>
                  <Table.Th>{t('team.report.kept')}</Table.Th>
                  <Table.Th>{t('team.report.other')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.conflicts.map((c, i) => (
                  <Table.Tr
                    key={`${c.collection}/${c.id}/${c.field}`}
                    data-testid="team-conflict-row"
                  >
                    <Table.Td>
                      <Text size="sm">
                        {t(`team.collections.${c.collection}`, { defaultValue: c.collection })}
                      </Text>
                      {names[c.id] ? (
                        <Text size="sm" data-user-content>
                          {names[c.id]}
                        </Text>
                      ) : (
                        <Code title={c.id}>{shortReplica(c.id)}</Code>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{fieldLabel(c.field)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Value value={c.kept} testId="team-conflict-kept" />
                      <Text size="xs" c="dimmed">
                        {t('team.report.byAt', { who: c.keptBy, at: fmt.dateTime(c.keptAt) })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Value value={c.other} testId="team-conflict-other" />
                      <Text size="xs" c="dimmed">
                        {t('team.report.byAt', { who: c.otherBy, at: fmt.dateTime(c.otherAt) })}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {merge.taken[i] ? (
                        <Badge color="teal" variant="light" data-testid="team-conflict-done">
                          {t('team.report.taken')}
                        </Badge>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          loading={taking === i}
                          disabled={taking !== null}
                          onClick={() => void take(i, c)}
                          data-testid="team-conflict-take"
                        >
                          {t('team.report.take')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}

/** A field's value as a teammate wrote it (untrusted): always text. */
function Value({ value, testId }: { value: unknown; testId: string }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('team.report.empty')}
      </Text>
    );
  }
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-user-content data-testid={testId}>
      {typeof value === 'string' ? value : JSON.stringify(value)}
    </Text>
  );
}

/**
 * The names of the members the conflicts are about, to say which record each is. A member
 * that cannot be read (erased since) is shown by its id instead: nothing to notify. Read again
 * after each value taken back (a name may be one).
 */
function useMemberNames(conflicts: TeamConflict[], taken: number): Record<string, string> {
  const api = useApi();
  const [names, setNames] = useState<Record<string, string>>({});
  const ids = [...new Set(conflicts.filter((c) => c.collection === 'member').map((c) => c.id))];
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    void Promise.all(
      wanted.map((id) =>
        api.members.get(id).then(
          (m) => [id, m.name] as const,
          () => [id, ''] as const,
        ),
      ),
    ).then((pairs) => {
      if (live) setNames(Object.fromEntries(pairs.filter(([, n]) => n)));
    });
    return () => {
      live = false;
    };
  }, [api, key, taken]);
  return names;
}
