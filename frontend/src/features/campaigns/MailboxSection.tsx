import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  SimpleGrid,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  describeError,
  toApiError,
  useApi,
  type FieldError,
  type MailboxCheck,
  type MailboxReading,
  type MailboxSettings,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { errorProp } from '../members/errorProp';
import { ServerAccountFields } from './ServerAccountFields';

/** The counts of a check, in the order they are told, each with its sentence. */
const COUNTS = [
  'unsubscribed',
  'bounced',
  'autoReplies',
  'ignored',
  'malformed',
  'alreadyProcessed',
] as const satisfies readonly (keyof MailboxCheck)[];

/** A check's result: when, and what it did, a sentence per kind of message. */
interface Checked {
  at: Date;
  summary: MailboxCheck | null;
  error: string | null;
}

/**
 * The mailbox replies and bounces arrive in (IMAP), beside outgoing mail: its server, account
 * and folder (the password is write-only, as SMTP's), and "Check the mailbox now", which does
 * what the scheduler does every 15 minutes and says what it did.
 */
export function MailboxSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [values, setValues] = useState<MailboxSettings | null>(null);
  /** '' = keep the stored password. */
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [reading, setReading] = useState<MailboxReading | null>(null);

  useEffect(() => {
    let live = true;
    api.newsletters.mailboxSettings().then((s) => live && setValues(s), notifyError);
    api.newsletters.mailboxLastCheck().then((r) => live && setReading(r), notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const set = <K extends keyof MailboxSettings>(key: K, value: MailboxSettings[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const save = async () => {
    if (!values) return;
    setSaving(true);
    try {
      const saved = await api.newsletters.saveMailboxSettings({
        host: values.host.trim(),
        port: values.port,
        tls: values.tls,
        username: values.username.trim(),
        ...(password !== '' ? { password } : clearPassword ? { password: '' } : {}),
        mailbox: values.mailbox.trim(),
      });
      setValues(saved);
      setPassword('');
      setClearPassword(false);
      setErrors({});
      notifications.show({
        color: 'green',
        message: t(saved.configured ? 'mailbox.saved' : 'mailbox.off'),
      });
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const check = async () => {
    setChecking(true);
    try {
      const summary = await api.newsletters.checkMailbox();
      setChecked({ at: new Date(), summary, error: null });
    } catch (reason) {
      notifyError(reason);
      const { message } = describeError(t, toApiError(reason));
      setChecked({ at: new Date(), summary: null, error: message });
    } finally {
      setChecking(false);
    }
  };

  const err = (k: string) => errorProp(errors[k] ?? []);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="mailbox-settings">
      <Title order={3} size="h5" mb="xs">
        {t('mailbox.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('mailbox.help')}
      </Text>
      {values === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <ServerAccountFields
              catalog="mailbox"
              values={values}
              set={set}
              password={password}
              onPassword={setPassword}
              clearPassword={clearPassword}
              err={err}
            />
            <TextInput
              label={t('mailbox.folder')}
              description={t('mailbox.folderHint')}
              data-testid="mailbox-folder"
              value={values.mailbox}
              onChange={(e) => set('mailbox', e.currentTarget.value)}
              error={err('mailbox')}
            />
          </SimpleGrid>
          <Group justify="space-between" mt="md" gap="sm">
            <Button
              variant="default"
              loading={checking}
              disabled={!values.configured || saving}
              onClick={() => void check()}
              data-testid="mailbox-check"
            >
              {t('mailbox.check')}
            </Button>
            <Group gap="sm">
              {values.passwordSet && !clearPassword && (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => setClearPassword(true)}
                  data-testid="mailbox-password-clear"
                >
                  {t('mailbox.clearPassword')}
                </Button>
              )}
              <Button loading={saving} onClick={() => void save()} data-testid="mailbox-save">
                {t('form.save')}
              </Button>
            </Group>
          </Group>
          {!values.configured && (
            <Text size="sm" c="dimmed" mt="xs" data-testid="mailbox-not-set">
              {t('mailbox.notSet')}
            </Text>
          )}
          {values.configured && reading && (
            <Text size="sm" c="dimmed" mt="xs" data-testid="mailbox-last-reading">
              {!reading.at
                ? t('mailbox.reading.never')
                : reading.error
                  ? t('mailbox.reading.failed', {
                      time: fmt.dateTime(reading.at),
                      error: describeError(t, toApiError(reading.error)).message,
                    })
                  : t('mailbox.reading.ok', { time: fmt.dateTime(reading.at) })}
            </Text>
          )}
          {checked && (
            <Alert
              mt="md"
              variant="light"
              color={checked.error ? 'red' : 'blue'}
              title={t('mailbox.result.title', { time: fmt.dateTime(checked.at.toISOString()) })}
              data-testid="mailbox-result"
            >
              {checked.summary ? <CheckSummary summary={checked.summary} /> : null}
              {checked.error && (
                <Text size="sm">{t('mailbox.result.failed', { error: checked.error })}</Text>
              )}
            </Alert>
          )}
        </>
      )}
    </Paper>
  );
}

/** What a check did, a sentence per kind of message it found. */
function CheckSummary({ summary }: { summary: MailboxCheck }) {
  const { t } = useTranslation();
  const lines = COUNTS.filter((k) => summary[k] > 0);
  if (summary.read === 0 && lines.length === 0)
    return <Text size="sm">{t('mailbox.result.nothing')}</Text>;
  return (
    <List size="sm" spacing={2}>
      <List.Item data-testid="mailbox-result-read">
        {t('mailbox.result.read', { count: summary.read })}
      </List.Item>
      {lines.map((k) => (
        <List.Item key={k} data-testid={`mailbox-result-${k}`}>
          {t(`mailbox.result.${k}`, { count: summary[k] })}
        </List.Item>
      ))}
    </List>
  );
}
