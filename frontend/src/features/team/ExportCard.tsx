import {
  Alert,
  Button,
  Checkbox,
  Code,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  describeFieldError,
  useApi,
  type FieldError,
  type TeamExport,
  type Teammate,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { useFormat } from '../../i18n/format';
import { shortReplica } from './replica';

type Mode = 'passphrase' | 'keys';

/**
 * "Export for my team": the whole workspace as one encrypted bundle, to a passphrase (typed
 * twice) or to teammates' public keys (those this copy knows, and pasted ones), written where
 * the person picks in the save dialog.
 */
export function ExportCard({ mates, me }: { mates: Teammate[]; me: Teammate | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [mode, setMode] = useState<Mode>('passphrase');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<TeamExport | null>(null);
  const [errors, setErrors] = useState<{ key: string; error: FieldError }[]>([]);

  const others = mates.filter((m) => m.publicKey && m.replica !== me?.replica);
  const pastedKeys = pasted
    .split('\n')
    .map((k) => k.trim())
    .filter(Boolean);
  const recipients = [...chosen, ...pastedKeys];
  const mismatch = mode === 'passphrase' && confirm !== '' && confirm !== passphrase;
  const ready =
    mode === 'passphrase' ? passphrase !== '' && confirm === passphrase : recipients.length > 0;

  const run = async () => {
    setBusy(true);
    setErrors([]);
    setDone(null);
    const sent = mode === 'keys' ? recipients : [];
    try {
      const path = await api.team.chooseExportFile();
      if (!path) return;
      const out = await api.team.export({
        path,
        passphrase: mode === 'passphrase' ? passphrase : '',
        recipients: sent,
      });
      setDone(out);
    } catch (reason) {
      // Field errors name recipients[i]: show each with the key it is about.
      const fields = Object.values(fieldErrorsOrNotify(reason)).flat();
      setErrors(
        fields.map((error) => {
          const i = /^recipients\[(\d+)\]/.exec(error.field);
          return { key: i ? (sent[Number(i[1])] ?? '') : '', error };
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="team-export">
      <Title order={3} size="h5" mb="xs">
        {t('team.export.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('team.export.hint')}
      </Text>
      <Alert color="blue" variant="light" mb="md" data-testid="team-export-secrets">
        {t('team.export.secrets')}
      </Alert>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void run();
        }}
      >
        <Stack gap="sm" maw={520}>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('team.export.mode')}
            </Text>
            <SegmentedControl
              value={mode}
              onChange={(v) => setMode(v as Mode)}
              data={[
                { value: 'passphrase', label: t('team.export.modePassphrase') },
                { value: 'keys', label: t('team.export.modeKeys') },
              ]}
              data-testid="team-export-mode"
            />
          </div>
          {mode === 'passphrase' ? (
            <>
              <PasswordInput
                label={t('team.export.passphrase')}
                description={t('team.export.passphraseHint')}
                value={passphrase}
                onChange={(e) => setPassphrase(e.currentTarget.value)}
                autoComplete="new-password"
                data-testid="team-export-passphrase"
              />
              <PasswordInput
                label={t('team.export.confirm')}
                value={confirm}
                onChange={(e) => setConfirm(e.currentTarget.value)}
                error={mismatch ? t('team.export.mismatch') : undefined}
                autoComplete="new-password"
                data-testid="team-export-confirm"
              />
            </>
          ) : (
            <>
              <Checkbox.Group
                label={t('team.export.recipients')}
                value={chosen}
                onChange={setChosen}
              >
                <Stack gap={6} mt={6}>
                  {others.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('team.export.noRecipients')}
                    </Text>
                  ) : (
                    others.map((m) => (
                      <Checkbox
                        key={m.replica}
                        value={m.publicKey ?? ''}
                        label={<span data-user-content>{m.name || shortReplica(m.replica)}</span>}
                        data-testid={`team-export-recipient-${m.replica}`}
                      />
                    ))
                  )}
                </Stack>
              </Checkbox.Group>
              <Textarea
                label={t('team.export.keys')}
                description={t('team.export.keysHint')}
                placeholder="age1…"
                autosize
                minRows={2}
                value={pasted}
                onChange={(e) => setPasted(e.currentTarget.value)}
                spellCheck={false}
                data-testid="team-export-keys"
              />
            </>
          )}
          {errors.length > 0 && (
            <Stack gap={2} data-testid="team-export-errors">
              {errors.map(({ key, error }, i) => (
                <Text key={i} size="sm" c="red">
                  {key && <Code mr={6}>{key}</Code>}
                  {describeFieldError(t, error)}
                </Text>
              ))}
            </Stack>
          )}
          <div>
            <Button type="submit" loading={busy} disabled={!ready} data-testid="team-export-submit">
              {t('team.export.submit')}
            </Button>
          </div>
          {done && (
            <Text size="sm" c="teal" data-testid="team-export-done">
              {t('team.export.done', {
                path: done.path,
                records: fmt.number(done.summary.records),
              })}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
