import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type Purpose } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { errorProp } from '../members/errorProp';
import { purposeName } from './purposeName';

const blank: Purpose = {
  id: '',
  name: '',
  description: '',
  expiryMonths: null,
  archived: false,
  builtin: false,
  createdAt: '',
  updatedAt: '',
};

/** The purposes consent is asked for: add, edit, archive. */
export function PurposesSection({ onChanged }: { onChanged?(purposes: Purpose[]): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [purposes, setPurposes] = useState<Purpose[] | null>(null);
  const [editing, setEditing] = useState<{ purpose: Purpose; isNew: boolean } | null>(null);

  const load = useCallback(
    () =>
      api.consent.purposes().then((ps) => {
        setPurposes(ps);
        onChanged?.(ps);
      }, notifyError),
    [api, onChanged],
  );
  useEffect(() => void load(), [load]);

  const toggleArchived = async (p: Purpose) => {
    try {
      await api.consent.savePurpose({ ...p, archived: !p.archived });
      notifications.show({
        message: t(p.archived ? 'purposes.restored' : 'purposes.archivedDone', {
          name: purposeName(t, p),
        }),
      });
      await load();
    } catch (reason) {
      notifyError(reason);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-purposes">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {t('purposes.title')}
        </Title>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => setEditing({ purpose: blank, isNew: true })}
          data-testid="purpose-new"
        >
          {t('purposes.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('purposes.help')}
      </Text>
      {purposes && purposes.length === 0 && <Text c="dimmed">{t('purposes.empty')}</Text>}
      {purposes && purposes.length > 0 && (
        <Table layout="fixed" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('purposes.name')}</Table.Th>
              <Table.Th w={140}>{t('purposes.expiry')}</Table.Th>
              <Table.Th w={200} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {purposes.map((p) => (
              <Table.Tr key={p.id} data-testid={`purpose-row-${p.id}`}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {purposeName(t, p)}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {p.id}
                    </Text>
                    {p.archived && (
                      <Badge size="xs" color="gray" variant="light">
                        {t('purposes.archived')}
                      </Badge>
                    )}
                  </Group>
                  {p.description && (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {p.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {/* The rule the ledger and the newsletter send apply: nothing else expires consent. */}
                  <Text size="sm" data-testid={`purpose-expiry-${p.id}`}>
                    {p.expiryMonths != null && p.expiryMonths > 0
                      ? t('purposes.months', { count: p.expiryMonths })
                      : t('purposes.never')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setEditing({ purpose: p, isNew: false })}
                      data-testid={`purpose-edit-${p.id}`}
                    >
                      {t('purposes.edit')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="gray"
                      onClick={() => void toggleArchived(p)}
                      data-testid={`purpose-archive-${p.id}`}
                    >
                      {t(p.archived ? 'purposes.unarchive' : 'purposes.archive')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <PurposeForm
          initial={editing.purpose}
          isNew={editing.isNew}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </Paper>
  );
}

/** Slug from a name: "Event invitations" → "event-invitations". */
const slugOf = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

function PurposeForm({
  initial,
  isNew,
  onClose,
  onSaved,
}: {
  initial: Purpose;
  isNew: boolean;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [values, setValues] = useState(initial);
  const [idTouched, setIdTouched] = useState(!isNew);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  const set = <K extends keyof Purpose>(key: K, value: Purpose[K]) => {
    setValues((v) => ({
      ...v,
      [key]: value,
      ...(key === 'name' && !idTouched ? { id: slugOf(String(value)) } : {}),
    }));
    setErrors((e) => ({ ...e, [key]: [] }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const saved = await api.consent.savePurpose({
        ...values,
        name: values.name.trim(),
        description: values.description.trim(),
      });
      notifications.show({ color: 'green', message: t('purposes.saved', { name: saved.name }) });
      onSaved();
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t(isNew ? 'purposes.titleNew' : 'purposes.titleEdit')}
      centered
    >
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="purpose-form">
        <Stack gap="sm">
          <TextInput
            label={t('purposes.name')}
            required
            data-autofocus
            data-testid="purpose-name"
            value={values.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errorProp(errors.name ?? [])}
          />
          <TextInput
            label={t('purposes.id')}
            description={t('purposes.idHint')}
            required
            disabled={!isNew}
            data-testid="purpose-id"
            value={values.id}
            onChange={(e) => {
              setIdTouched(true);
              set('id', e.currentTarget.value);
            }}
            error={errorProp(errors.id ?? [])}
          />
          <Textarea
            label={t('purposes.description')}
            autosize
            minRows={2}
            data-testid="purpose-description"
            value={values.description}
            onChange={(e) => set('description', e.currentTarget.value)}
            error={errorProp(errors.description ?? [])}
          />
          <NumberInput
            label={t('purposes.expiryMonths')}
            description={t('purposes.expiryHint')}
            placeholder={t('purposes.never')}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            data-testid="purpose-expiry"
            value={values.expiryMonths || ''}
            onChange={(v) =>
              // Empty (or 0) is "never": the Go side stores both as null.
              set('expiryMonths', v === '' ? null : Number(v) || null)
            }
            error={errorProp(errors.expiryMonths ?? [])}
          />
          <Group justify="flex-end" gap="sm" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={saving} data-testid="purpose-save">
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
