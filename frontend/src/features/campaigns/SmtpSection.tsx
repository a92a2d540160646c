import {
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type SmtpSettings } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { errorProp } from '../members/errorProp';
import { ServerAccountFields } from './ServerAccountFields';

const toNumber = (v: string | number) => (typeof v === 'number' ? v : Number(v) || 0);

/** Outgoing mail (SMTP) for newsletters and automations. The password is write-only. */
export function SmtpSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [values, setValues] = useState<SmtpSettings | null>(null);
  /** '' = keep the stored password. */
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.newsletters.settings().then((s) => live && setValues(s), notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const set = <K extends keyof SmtpSettings>(key: K, value: SmtpSettings[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const save = async () => {
    if (!values) return;
    setSaving(true);
    try {
      const saved = await api.newsletters.saveSettings({
        host: values.host.trim(),
        port: values.port,
        tls: values.tls,
        username: values.username.trim(),
        ...(password !== '' ? { password } : clearPassword ? { password: '' } : {}),
        fromAddress: values.fromAddress.trim(),
        fromName: values.fromName.trim(),
        ratePerSecond: values.ratePerSecond,
      });
      setValues(saved);
      setPassword('');
      setClearPassword(false);
      setErrors({});
      notifications.show({ color: 'green', message: t('smtp.saved') });
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const err = (k: string) => errorProp(errors[k] ?? []);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="smtp-settings">
      <Title order={3} size="h5" mb="xs">
        {t('smtp.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('smtp.help')}
      </Text>
      {values === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <ServerAccountFields
              catalog="smtp"
              values={values}
              set={set}
              password={password}
              onPassword={setPassword}
              clearPassword={clearPassword}
              err={err}
            />
            <TextInput
              label={t('smtp.fromAddress')}
              data-testid="smtp-from"
              type="email"
              value={values.fromAddress}
              onChange={(e) => set('fromAddress', e.currentTarget.value)}
              error={err('fromAddress')}
            />
            <TextInput
              label={t('smtp.fromName')}
              data-testid="smtp-from-name"
              value={values.fromName}
              onChange={(e) => set('fromName', e.currentTarget.value)}
              error={err('fromName')}
            />
            <NumberInput
              label={t('smtp.rate')}
              description={t('smtp.rateHint')}
              data-testid="smtp-rate"
              min={0}
              decimalScale={2}
              value={values.ratePerSecond}
              onChange={(v) => set('ratePerSecond', toNumber(v))}
              error={err('ratePerSecond')}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="md" gap="sm">
            {values.passwordSet && !clearPassword && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setClearPassword(true)}
                data-testid="smtp-password-clear"
              >
                {t('smtp.clearPassword')}
              </Button>
            )}
            <Button loading={saving} onClick={() => void save()} data-testid="smtp-save">
              {t('form.save')}
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
