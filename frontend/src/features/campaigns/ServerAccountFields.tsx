import { Badge, Group, NumberInput, PasswordInput, Select, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TLS_MODES, type TlsMode } from '../../api';

const toNumber = (v: string | number) => (typeof v === 'number' ? v : Number(v) || 0);

/** What a mail server account shows: the SMTP sender's and the reply mailbox's. */
export interface ServerAccount {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  passwordSet: boolean;
}

interface Props {
  /** Where the words (`<catalog>.host`…) and test ids (`<catalog>-host`…) come from. */
  catalog: 'smtp' | 'mailbox';
  values: ServerAccount;
  set<K extends keyof ServerAccount>(key: K, value: ServerAccount[K]): void;
  /** The new password typed ('' keeps the stored one); the stored one is never shown. */
  password: string;
  onPassword(password: string): void;
  /** The stored password is to be cleared on save (its badge is then hidden). */
  clearPassword: boolean;
  err(field: string): ReactNode;
}

/**
 * A mail server account's fields, laid out in a two-column grid by the section: host, port and
 * security, user name and a write-only password ("password set" when one is kept).
 */
export function ServerAccountFields({
  catalog,
  values,
  set,
  password,
  onPassword,
  clearPassword,
  err,
}: Props) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t(`${catalog}.host`)}
        data-testid={`${catalog}-host`}
        value={values.host}
        onChange={(e) => set('host', e.currentTarget.value)}
        error={err('host')}
      />
      <Group grow align="flex-start">
        <NumberInput
          label={t(`${catalog}.port`)}
          data-testid={`${catalog}-port`}
          min={1}
          max={65535}
          allowDecimal={false}
          value={values.port}
          onChange={(v) => set('port', toNumber(v))}
          error={err('port')}
        />
        <Select
          label={t(`${catalog}.tls`)}
          data-testid={`${catalog}-tls`}
          allowDeselect={false}
          data={TLS_MODES.map((m) => ({ value: m, label: t(`smtp.tlsModes.${m}`) }))}
          value={values.tls}
          onChange={(v) => v && set('tls', v as TlsMode)}
          error={err('tls')}
        />
      </Group>
      <TextInput
        label={t(`${catalog}.username`)}
        data-testid={`${catalog}-username`}
        autoComplete="off"
        value={values.username}
        onChange={(e) => set('username', e.currentTarget.value)}
        error={err('username')}
      />
      <PasswordInput
        label={
          <Group gap={6} component="span">
            {t(`${catalog}.password`)}
            {values.passwordSet && !clearPassword && (
              <Badge
                size="xs"
                variant="light"
                color="green"
                data-testid={`${catalog}-password-set`}
              >
                {t(`${catalog}.passwordSet`)}
              </Badge>
            )}
          </Group>
        }
        description={values.passwordSet ? t(`${catalog}.passwordKeep`) : undefined}
        data-testid={`${catalog}-password`}
        autoComplete="new-password"
        value={password}
        onChange={(e) => onPassword(e.currentTarget.value)}
        error={err('password')}
      />
    </>
  );
}
