import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Input,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PLATFORMS, type Handle } from '../../api';
import { IconPlus, IconStar, IconTrash } from '../../components/icons';
import { customFieldLabel } from './customFieldLabel';
import { errorProp } from './errorProp';
import { errorsUnder, type CustomFieldRow, type ErrorMap } from './formModel';

// The three list editors of the member form. Each row's errors come from the
// map by path (`emails[1]`, `handles[0].platform`) so Go errors land in place.

interface ListProps<T> {
  rows: T[];
  errors: ErrorMap;
  onChange(rows: T[]): void;
  onOpenMember?(id: string): void;
}

const replaceAt = <T,>(xs: T[], i: number, x: T) => xs.map((y, j) => (j === i ? x : y));
const removeAt = <T,>(xs: T[], i: number) => xs.filter((_, j) => j !== i);

export function EmailList({ rows, errors, onChange, onOpenMember }: ListProps<string>) {
  const { t } = useTranslation();
  const makePrimary = (i: number) => onChange([rows[i] as string, ...removeAt(rows, i)]);
  return (
    <Stack gap="xs">
      {rows.map((email, i) => (
        <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            type="email"
            inputMode="email"
            autoComplete="off"
            spellCheck={false}
            aria-label={t('form.emailLabel', { n: i + 1 })}
            data-testid={`member-email-${i}`}
            value={email}
            onChange={(e) => onChange(replaceAt(rows, i, e.currentTarget.value))}
            error={errorProp(errors[`emails[${i}]`] ?? [], onOpenMember)}
            rightSectionWidth={i === 0 ? 90 : undefined}
            rightSection={
              i === 0 && rows.length > 1 ? (
                <Badge size="xs" variant="light">
                  {t('form.primary')}
                </Badge>
              ) : undefined
            }
          />
          {i > 0 && (
            <Tooltip label={t('form.makePrimary')}>
              <ActionIcon
                variant="subtle"
                size="lg"
                aria-label={t('form.makePrimary')}
                onClick={() => makePrimary(i)}
              >
                <IconStar />
              </ActionIcon>
            </Tooltip>
          )}
          {rows.length > 1 && (
            <Tooltip label={t('form.removeEmail')}>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('form.removeEmail')}
                onClick={() => onChange(removeAt(rows, i))}
              >
                <IconTrash />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      ))}
      <AddButton label={t('form.addEmail')} onClick={() => onChange([...rows, ''])} />
    </Stack>
  );
}

export function HandleList({ rows, errors, onChange }: ListProps<Handle>) {
  const { t } = useTranslation();
  const known = PLATFORMS.map((p) => ({ value: p, label: t(`platforms.${p}`) }));
  return (
    <Stack gap="xs">
      {rows.map((h, i) => {
        // A platform the Go side knows but this build does not still shows.
        const data =
          h.platform && !known.some((k) => k.value === h.platform)
            ? [...known, { value: h.platform, label: h.platform }]
            : known;
        return (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <Select
              w={160}
              aria-label={t('form.platform')}
              placeholder={t('form.platform')}
              data={data}
              value={h.platform || null}
              allowDeselect={false}
              onChange={(v) => onChange(replaceAt(rows, i, { ...h, platform: v ?? '' }))}
              error={errorProp(errors[`handles[${i}].platform`] ?? [])}
              comboboxProps={{ withinPortal: true, zIndex: 400 }}
            />
            <TextInput
              style={{ flex: 1 }}
              aria-label={t('form.handle')}
              placeholder={t('form.handle')}
              spellCheck={false}
              value={h.handle}
              onChange={(e) =>
                onChange(replaceAt(rows, i, { ...h, handle: e.currentTarget.value }))
              }
              error={errorProp([
                ...(errors[`handles[${i}].handle`] ?? []),
                ...(errors[`handles[${i}]`] ?? []),
              ])}
            />
            <RemoveButton
              label={t('form.removeHandle')}
              onClick={() => onChange(removeAt(rows, i))}
            />
          </Group>
        );
      })}
      <AddButton
        label={t('form.addHandle')}
        onClick={() => onChange([...rows, { platform: '', handle: '' }])}
      />
    </Stack>
  );
}

export function CustomFieldList({ rows, errors, onChange }: ListProps<CustomFieldRow>) {
  const { t } = useTranslation();
  const rowErrors = errorsUnder(errors, 'customFields');
  return (
    <Stack gap="xs">
      {rows.map((r, i) => (
        <Group key={i} gap="xs" wrap="nowrap">
          {r.isNew ? (
            <TextInput
              w={160}
              aria-label={t('form.customKey')}
              placeholder={t('form.customKey')}
              value={r.key}
              onChange={(e) => onChange(replaceAt(rows, i, { ...r, key: e.currentTarget.value }))}
            />
          ) : (
            <Text
              w={160}
              size="sm"
              fw={500}
              truncate
              title={r.key}
              data-testid="custom-field-label"
            >
              {customFieldLabel(t, r.key)}
            </Text>
          )}
          <TextInput
            style={{ flex: 1 }}
            aria-label={r.isNew ? t('form.customValue') : customFieldLabel(t, r.key)}
            placeholder={t('form.customValue')}
            value={r.value}
            onChange={(e) => onChange(replaceAt(rows, i, { ...r, value: e.currentTarget.value }))}
          />
          <RemoveButton
            label={t('form.removeCustomField')}
            onClick={() => onChange(removeAt(rows, i))}
          />
        </Group>
      ))}
      {rowErrors.length > 0 && <Input.Error component="div">{errorProp(rowErrors)}</Input.Error>}
      <AddButton
        label={t('form.addCustomField')}
        onClick={() => onChange([...rows, { key: '', value: '', isNew: true }])}
      />
    </Stack>
  );
}

function AddButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <Group>
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPlus size={14} />}
        onClick={onClick}
      >
        {label}
      </Button>
    </Group>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="red" size="lg" aria-label={label} onClick={onClick}>
        <IconTrash />
      </ActionIcon>
    </Tooltip>
  );
}
