import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  describeError,
  describeFieldError,
  toApiError,
  useApi,
  type FieldError,
  type TeamShare,
  type TeamShareFile,
  type TeamShareRun,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { shortReplica } from './replica';

/**
 * "Shared folder": a folder a file-sync tool keeps in step between teammates' computers. When
 * it is on, Hearth writes this copy's bundle there and merges the teammates' (at start and
 * every few minutes while the window is open, backend/team/share.go); "Share now" runs once.
 * Shows the last run: each teammate's file (merged, up to date, or why not), this copy's file,
 * the teammates who cannot open it yet, and the conflicts.
 */
export function SharedFolderCard({ onShared }: { onShared: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [share, setShare] = useState<TeamShare | null>(null);
  // The run "Share now" just made: the setting's last run, with the conflicts' values.
  const [run, setRun] = useState<TeamShareRun | null>(null);
  const [saving, setSaving] = useState(false);
  const [running, setRunning] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);

  const load = useCallback(() => api.team.share().then(setShare, notifyError), [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (on: boolean, folder: string) => {
    setSaving(true);
    setErrors([]);
    try {
      const saved = await api.team.setShare({ on, folder });
      if (saved.folder !== share?.folder) setRun(null);
      setShare(saved);
    } catch (reason) {
      setErrors(Object.values(fieldErrorsOrNotify(reason)).flat());
    } finally {
      setSaving(false);
    }
  };

  const choose = async () => {
    try {
      const chosen = await api.team.chooseShareFolder();
      // Choosing a folder is choosing to share through it.
      if (chosen) await save(true, chosen);
    } catch (reason) {
      notifyError(reason);
    }
  };

  const shareNow = async () => {
    setRunning(true);
    try {
      setRun(await api.team.shareNow());
      onShared();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setRunning(false);
      // The setting keeps the run, or why it failed as a whole.
      void load();
    }
  };

  const shown = run ?? share?.lastRun ?? null;

  return (
    <Paper withBorder p="lg" radius="md" data-testid="team-share">
      <Title order={3} size="h5" mb="xs">
        {t('team.share.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm" data-testid="team-share-hint">
        {t('team.share.hint')}
      </Text>
      {share === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : (
        <Stack gap="sm">
          <Switch
            label={t('team.share.switch')}
            checked={share.on}
            disabled={saving}
            onChange={(e) => void save(e.currentTarget.checked, share.folder)}
            data-testid="team-share-switch"
          />
          <div>
            <Group gap="sm" wrap="nowrap">
              <Button
                variant="default"
                onClick={() => void choose()}
                loading={saving}
                data-testid="team-share-choose"
              >
                {share.folder ? t('team.share.change') : t('team.share.choose')}
              </Button>
              {share.folder ? (
                <Code data-testid="team-share-folder" style={{ wordBreak: 'break-all' }}>
                  {share.folder}
                </Code>
              ) : (
                <Text size="sm" c="dimmed" data-testid="team-share-no-folder">
                  {t('team.share.noFolder')}
                </Text>
              )}
            </Group>
            {errors.length > 0 && (
              <Text size="sm" c="red" mt={4} data-testid="field-error-folder">
                {errors.map((fe) => describeFieldError(t, fe)).join('\n')}
              </Text>
            )}
          </div>
          {share.folder && (
            <Text size="xs" c="dimmed" data-testid="team-share-file">
              {t('team.share.myFile', { file: share.file })}
            </Text>
          )}
          <div>
            <Button
              onClick={() => void shareNow()}
              loading={running}
              disabled={!share.on || !share.folder}
              data-testid="team-share-now"
            >
              {t('team.share.now')}
            </Button>
          </div>
          {share.lastError && (
            <Alert color="red" title={t('team.share.failed')} data-testid="team-share-error">
              {describeError(t, toApiError(share.lastError)).message}
            </Alert>
          )}
          {shown ? (
            <ShareRunReport run={shown} />
          ) : (
            <Text size="sm" c="dimmed" data-testid="team-share-never">
              {t('team.share.never')}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** What one run did: when, each teammate's file, mine, who cannot open mine, the conflicts. */
function ShareRunReport({ run }: { run: TeamShareRun }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // The setting's last run keeps no conflict values: its files' counts say how many.
  const conflicts = Math.max(
    run.conflicts.length,
    run.files.reduce((n, f) => n + f.conflicts, 0),
  );
  const merged = run.files.filter((f) => f.status === 'merged').length;
  return (
    <Stack gap="xs" mt="xs" data-testid="team-share-run">
      <Title order={4} size="h6">
        {t('team.share.lastRun')}
      </Title>
      <Text size="sm" data-testid="team-share-run-summary">
        {t('team.share.summary', { at: fmt.dateTime(run.at), count: merged })}
      </Text>
      {run.files.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="team-share-no-files">
          {t('team.share.noFiles')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" data-testid="team-share-files">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('team.share.file')}</Table.Th>
                <Table.Th>{t('team.share.from')}</Table.Th>
                <Table.Th>{t('team.share.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.files.map((f) => (
                <Table.Tr key={f.name} data-testid="team-share-file-row" data-status={f.status}>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{f.name}</Code>
                  </Table.Td>
                  <Table.Td>
                    {f.teammate ? (
                      <Text size="sm" data-user-content>
                        {f.teammate}
                      </Text>
                    ) : f.replica ? (
                      <Code title={f.replica}>{shortReplica(f.replica)}</Code>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('team.share.unknown')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <FileResult file={f} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="sm" data-testid="team-share-own">
        {run.wrote
          ? t('team.share.wrote', { count: run.records, records: fmt.number(run.records) })
          : t('team.share.notWritten')}
      </Text>
      {run.noKey.length > 0 && (
        <Text size="sm" c="orange.8" data-testid="team-share-no-key">
          {t('team.share.noKey', { count: run.noKey.length, names: run.noKey.join(', ') })}
        </Text>
      )}
      <Text size="sm" c={conflicts > 0 ? undefined : 'dimmed'} data-testid="team-share-conflicts">
        {conflicts > 0
          ? t('team.share.conflicts', { count: conflicts, n: fmt.number(conflicts) })
          : t('team.share.noConflicts')}
      </Text>
    </Stack>
  );
}

/** What the run did with one teammate's file, in words. */
function FileResult({ file: f }: { file: TeamShareFile }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (f.status === 'merged') {
    return (
      <Stack gap={2}>
        <Badge color="teal" variant="light">
          {t('team.share.merged')}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('team.share.counts', {
            added: fmt.number(f.added),
            updated: fmt.number(f.updated),
            deleted: fmt.number(f.deleted),
            erased: fmt.number(f.erased),
            unchanged: fmt.number(f.unchanged),
          })}
        </Text>
      </Stack>
    );
  }
  if (f.status === 'upToDate') {
    return (
      <Badge color="gray" variant="light">
        {t('team.share.upToDate')}
      </Badge>
    );
  }
  return (
    <Stack gap={2}>
      <Badge color="red" variant="light">
        {t('team.share.notMerged')}
      </Badge>
      <Text size="xs" data-testid="team-share-file-error">
        {f.error ? describeError(t, toApiError(f.error)).message : t('errors.code.internal')}
      </Text>
    </Stack>
  );
}
