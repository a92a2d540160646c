import {
  Alert,
  Button,
  Group,
  Input,
  Modal,
  Paper,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONNECTION_PLATFORMS,
  useApi,
  type Connection,
  type ConnectionPlatform,
  type ConnectionSettings,
  type FieldError,
  type SecretBackend,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { ConnectionFieldErrors } from './ConnectionFieldErrors';
import { fieldHint, fieldLabel, formKey } from './fieldLabels';
import { PlatformAvatar } from './PlatformAvatar';
import {
  VARIANT_FIELDS,
  hasSecretField,
  variantOf,
  type SettingKey,
  type Variant,
} from './platforms';

interface Props {
  /** null: closed; 'new': adding; else the connection being edited. */
  editing: null | 'new' | Connection;
  secretBackend: SecretBackend | null;
  onClose(): void;
  onSaved(c: Connection): void;
}

/** Adds a connection (choose a platform, then its fields) or edits one. */
export function ConnectionForm({ editing, secretBackend, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const title =
    editing === 'new'
      ? t('connections.titleNew')
      : editing
        ? t('connections.titleEdit', { name: editing.name })
        : '';
  return (
    <Modal opened={editing !== null} onClose={onClose} title={title} size="lg">
      {editing !== null && (
        <FormBody
          key={editing === 'new' ? 'new' : editing.id}
          connection={editing === 'new' ? null : editing}
          secretBackend={secretBackend}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

interface Values {
  name: string;
  settings: Record<SettingKey, string>;
  keywords: string[];
  secret: string;
}

const fromConnection = (c: Connection | null): Values => ({
  name: c?.name ?? '',
  settings: {
    url: c?.settings.url ?? '',
    username: c?.settings.username ?? '',
    category: c?.settings.category ?? '',
    channel: c?.settings.channel ?? '',
    guild: c?.settings.guild ?? '',
    apiUrl: c?.settings.apiUrl ?? '',
    listId: c?.settings.listId ?? '',
  },
  keywords: c?.settings.keywords ?? [],
  secret: '',
});

/** The settings the variant uses, trimmed; empty optional ones left out. */
function toSettings(variant: Variant, v: Values): ConnectionSettings {
  const out: ConnectionSettings = variant === 'discordWebhook' ? { webhook: true } : {};
  for (const f of VARIANT_FIELDS[variant]) {
    if (f.key === 'secret') continue;
    if (f.key === 'keywords') {
      if (v.keywords.length > 0) out.keywords = v.keywords;
      continue;
    }
    const value = v.settings[f.key].trim();
    if (value !== '') out[f.key] = value;
  }
  return out;
}

function FormBody({
  connection,
  secretBackend,
  onClose,
  onSaved,
}: {
  connection: Connection | null;
  secretBackend: SecretBackend | null;
  onClose(): void;
  onSaved(c: Connection): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [platform, setPlatform] = useState<ConnectionPlatform | null>(connection?.platform ?? null);
  const [webhook, setWebhook] = useState(connection?.settings.webhook ?? false);
  const [values, setValues] = useState<Values>(() => fromConnection(connection));
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  if (platform === null) return <ChoosePlatform onChoose={setPlatform} />;
  const variant = variantOf(platform, { webhook });
  const editing = connection !== null;
  // A Discord connection switched between bot and webhook needs the other kind of secret.
  const keepsSecret =
    editing &&
    connection.hasSecret &&
    variantOf(connection.platform, connection.settings) === variant;

  const clearError = (key: string) =>
    setErrors((errs) =>
      Object.fromEntries(Object.entries(errs).filter(([path]) => formKey(path) !== key)),
    );
  const setSetting = (key: SettingKey, value: string) => {
    setValues((v) => ({ ...v, settings: { ...v.settings, [key]: value } }));
    clearError(key);
  };
  const errorsOf = (key: string) =>
    Object.entries(errors)
      .filter(([path]) => formKey(path) === key)
      .flatMap(([, e]) => e);
  const err = (key: string) => {
    const list = errorsOf(key);
    return list.length > 0 ? <ConnectionFieldErrors errors={list} variant={variant} /> : undefined;
  };
  const placed = new Set(['name', ...VARIANT_FIELDS[variant].map((f) => f.key)]);
  const unplaced = Object.entries(errors)
    .filter(([path]) => !placed.has(formKey(path)))
    .flatMap(([, e]) => e);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const settings = toSettings(variant, values);
    const secret = hasSecretField(variant) ? values.secret.trim() : '';
    try {
      const saved = connection
        ? await api.connections.update(connection.id, {
            name: values.name.trim(),
            settings,
            ...(secret !== '' ? { secret } : {}),
          })
        : await api.connections.add({ name: values.name.trim(), platform, settings, secret });
      notifications.show({
        color: 'green',
        message: t(editing ? 'connections.saved' : 'connections.added', { name: saved.name }),
      });
      onSaved(saved);
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="connection-form">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <PlatformAvatar platform={platform} />
            <Text fw={600}>{t(`connections.platforms.${platform}`)}</Text>
          </Group>
          {!editing && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setPlatform(null);
                setErrors({});
              }}
              data-testid="connection-change-platform"
            >
              {t('connections.changePlatform')}
            </Button>
          )}
        </Group>

        {platform === 'discord' && (
          <Input.Wrapper label={t('connections.discordMode')} labelElement="div">
            <SegmentedControl
              fullWidth
              aria-label={t('connections.discordMode')}
              data-testid="connection-discord-mode"
              value={webhook ? 'webhook' : 'bot'}
              onChange={(v) => {
                setWebhook(v === 'webhook');
                setErrors({});
              }}
              data={[
                { value: 'bot', label: t('connections.discordBot') },
                { value: 'webhook', label: t('connections.discordWebhook') },
              ]}
            />
          </Input.Wrapper>
        )}

        <About variant={variant} />

        {Object.keys(errors).length > 0 && (
          <Alert color="red" variant="light" py="xs" role="alert">
            {t('form.fixErrors')}
            {unplaced.length > 0 && (
              <Input.Error component="div">
                <ConnectionFieldErrors errors={unplaced} variant={variant} />
              </Input.Error>
            )}
          </Alert>
        )}

        <TextInput
          label={t('connections.fields.name')}
          description={t('connections.hints.name')}
          placeholder={t(`connections.namePlaceholder.${platform}`)}
          required
          data-autofocus
          data-testid="connection-name"
          value={values.name}
          onChange={(e) => {
            const name = e.currentTarget.value;
            setValues((v) => ({ ...v, name }));
            clearError('name');
          }}
          error={err('name')}
        />

        {VARIANT_FIELDS[variant].map((f) => {
          const label = fieldLabel(t, variant, f.key);
          if (f.key === 'keywords')
            return (
              <TagsInput
                key={f.key}
                label={label}
                description={fieldHint(t, f.key)}
                placeholder={t('connections.keywordsPlaceholder')}
                data-testid="connection-keywords"
                value={values.keywords}
                onChange={(keywords) => {
                  setValues((v) => ({ ...v, keywords }));
                  clearError('keywords');
                }}
                error={err('keywords')}
              />
            );
          if (f.key === 'secret')
            return (
              <PasswordInput
                key={f.key}
                label={label}
                required={!keepsSecret}
                description={
                  <>
                    {keepsSecret
                      ? t('connections.secretKeep')
                      : t(`connections.secretHint.${variant}`)}
                    {secretBackend && (
                      <span style={{ display: 'block' }} data-testid="connection-secret-where">
                        {t(`connections.secretWhere.${secretBackend}`)}
                      </span>
                    )}
                  </>
                }
                autoComplete="new-password"
                data-testid="connection-secret"
                value={values.secret}
                onChange={(e) => {
                  const secret = e.currentTarget.value;
                  setValues((v) => ({ ...v, secret }));
                  clearError('secret');
                }}
                error={err('secret')}
              />
            );
          const key = f.key;
          return (
            <TextInput
              key={key}
              label={label}
              description={fieldHint(t, key)}
              placeholder={f.example}
              required={f.required}
              data-testid={`connection-${key}`}
              value={values.settings[key]}
              onChange={(e) => setSetting(key, e.currentTarget.value)}
              error={err(key)}
            />
          );
        })}

        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" loading={saving} data-testid="connection-save">
            {editing ? t('form.save') : t('connections.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ChoosePlatform({ onChoose }: { onChoose(p: ConnectionPlatform): void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="connection-choose">
      <Text size="sm">{t('connections.choose')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {CONNECTION_PLATFORMS.map((p) => (
          <UnstyledButton
            key={p}
            onClick={() => onChoose(p)}
            data-testid={`connection-platform-${p}`}
          >
            <Paper withBorder p="sm" radius="md" h="100%">
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <PlatformAvatar platform={p} />
                <div>
                  <Text fw={600}>{t(`connections.platforms.${p}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`connections.pitch.${p}`)}
                  </Text>
                </div>
              </Group>
            </Paper>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** What Hearth will read and write on the platform. */
function About({ variant }: { variant: Variant }) {
  const { t } = useTranslation();
  return (
    <Alert variant="light" color="blue" py="xs" data-testid="connection-about">
      <Text size="sm">
        <Text span fw={600} inherit>
          {t('connections.reads')}
        </Text>{' '}
        {t(`connections.about.${variant}.reads`)}
      </Text>
      <Text size="sm">
        <Text span fw={600} inherit>
          {t('connections.writes')}
        </Text>{' '}
        {t(`connections.about.${variant}.writes`)}
      </Text>
    </Alert>
  );
}
