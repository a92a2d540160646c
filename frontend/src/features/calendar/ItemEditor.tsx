import {
  Alert,
  Badge,
  Button,
  Center,
  Drawer,
  Group,
  Input,
  Loader,
  Paper,
  Select,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EDITORIAL_STATUSES,
  ITEM_KINDS,
  STATUS_TRANSITIONS,
  useApi,
  type CalendarItem,
  type FieldError,
  type ItemStatus,
} from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { Markdown } from '../../components/Markdown';
import { notifyError } from '../../components/notifyError';
import { timeZones, userTimeZone } from '../../i18n/zoned';
import { errorProp } from '../members/errorProp';
import {
  emptyItemForm,
  formInstant,
  fromItem,
  toItemInput,
  toItemPatch,
  validateItemForm,
  type ItemFormValues,
} from './itemForm';
import { RepeatFields } from './RepeatFields';
import { STATUS_COLORS } from './status';
import { useEditedRecord } from '../../components/useEditedRecord';
import { useConnections } from '../connections/useConnections';

export type EditingItem = null | { mode: 'new'; at?: Date } | { mode: 'edit'; id: string };

interface Props {
  editing: EditingItem;
  onClose(): void;
  onSaved(): void;
}

/** Where each field shows its errors; anything else goes to the summary. */
const PLACED = [
  'title',
  'kind',
  'body',
  'channels',
  'at',
  'timeZone',
  'repeat',
  'assignee',
  'campaign',
  'notes',
];

const group = (errs: FieldError[]) => {
  const out: Record<string, FieldError[]> = {};
  for (const f of errs) (out[f.field] ??= []).push(f);
  return out;
};

/** The calendar item drawer: loads the item, then the form. */
export function ItemEditor({ editing, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const editId = editing?.mode === 'edit' ? editing.id : null;

  const item = useEditedRecord(editId, api.calendar.get, onClose);
  const title = editing?.mode === 'edit' ? t('item.titleEdit') : t('item.titleNew');
  return (
    <Drawer opened={editing !== null} onClose={onClose} position="right" size="xl" title={title}>
      {editing?.mode === 'new' && (
        <ItemForm
          key="new"
          item={null}
          initial={emptyItemForm(editing.at)}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
      {editing?.mode === 'edit' &&
        (item ? (
          <ItemForm
            key={item.id}
            item={item}
            initial={fromItem(item)}
            onClose={onClose}
            onSaved={onSaved}
          />
        ) : (
          <Center py="xl">
            <Loader size="sm" />
          </Center>
        ))}
    </Drawer>
  );
}

interface FormProps {
  item: CalendarItem | null;
  initial: ItemFormValues;
  onClose(): void;
  onSaved(): void;
}

function ItemForm({ item: stored, initial, onClose, onSaved }: FormProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [item, setItem] = useState(stored);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [busy, setBusy] = useState<null | 'save' | 'queue' | 'status' | 'delete'>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const zones = useMemo(() => timeZones(), []);
  // A channel names a connection (Settings > Connections): offer their names.
  const connections = useConnections();
  const channelOptions = useMemo(
    () => [...new Set((connections ?? []).map((c) => c.name))],
    [connections],
  );
  const userZone = userTimeZone();
  const lng = i18n.resolvedLanguage;

  const set = <K extends keyof ItemFormValues>(key: K, value: ItemFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(next)) if (k === key || k.startsWith(`${key}.`)) delete next[k];
      return next;
    });
  };

  /** Saves the form; resolves with the stored item, or null when it could not. */
  const save = async (): Promise<CalendarItem | null> => {
    const local = validateItemForm(values);
    if (local.length > 0) {
      setErrors(group(local));
      return null;
    }
    const input = toItemInput(values);
    try {
      let saved: CalendarItem;
      if (item) {
        const patch = toItemPatch(item, input);
        saved = Object.keys(patch).length > 0 ? await api.calendar.update(item.id, patch) : item;
      } else {
        saved = await api.calendar.create(input);
      }
      setItem(saved);
      setErrors({});
      onSaved();
      return saved;
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
      return null;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    const saved = await save();
    setBusy(null);
    if (saved) {
      notifications.show({ color: 'green', message: t('item.saved', { title: saved.title }) });
      onClose();
    }
  };

  const queue = async () => {
    setBusy('queue');
    try {
      const saved = await save();
      if (!saved) return;
      const queued = await api.calendar.addToQueue(saved.id, '');
      setItem(queued);
      setValues(fromItem(queued));
      onSaved();
      notifications.show({
        color: 'green',
        message: t('item.queued', { date: queued.at ? fmtLong(queued.at) : '' }),
      });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  const changeStatus = async (status: ItemStatus) => {
    if (!item) return;
    setBusy('status');
    try {
      const saved = await api.calendar.setStatus(item.id, status);
      setItem(saved);
      setValues((v) => ({ ...v, status: saved.status }));
      onSaved();
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!item) return;
    setBusy('delete');
    try {
      await api.calendar.delete(item.id);
      notifications.show({ message: t('item.deleted', { title: item.title }) });
      onSaved();
      onClose();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
      setConfirmDelete(false);
    }
  };

  const fmtLong = (iso: string | Date) =>
    new Intl.DateTimeFormat(lng, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
  const instant = formInstant(values);
  const unplaced = Object.entries(errors)
    .filter(
      ([path]) =>
        !PLACED.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)),
    )
    .flatMap(([, errs]) => errs);
  const channelErrors = Object.entries(errors)
    .filter(([p]) => p.startsWith('channels'))
    .flatMap(([, e]) => e);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="item-editor">
      <Stack gap="md">
        {Object.keys(errors).length > 0 && (
          <Alert color="red" variant="light" py="xs" role="alert">
            {t('form.fixErrors')}
            {unplaced.length > 0 && (
              <Input.Error component="div">{errorProp(unplaced)}</Input.Error>
            )}
          </Alert>
        )}
        <TextInput
          label={t('item.title')}
          required
          data-testid="item-title"
          data-autofocus
          value={values.title}
          onChange={(e) => set('title', e.currentTarget.value)}
          error={errorProp(errors.title ?? [])}
        />
        <Group grow align="flex-start">
          <Select
            label={t('item.kind')}
            data-testid="item-kind"
            allowDeselect={false}
            data={ITEM_KINDS.map((k) => ({ value: k, label: t(`item.kinds.${k}`) }))}
            value={values.kind}
            onChange={(v) => v && set('kind', v as ItemFormValues['kind'])}
            error={errorProp(errors.kind ?? [])}
          />
          <TagsInput
            label={t('item.channels')}
            placeholder={t('item.channelsPlaceholder')}
            data-testid="item-channels"
            description={t('item.channelsHint')}
            data={channelOptions}
            value={values.channels}
            onChange={(v) => set('channels', v)}
            error={errorProp(channelErrors)}
          />
        </Group>

        <Tabs defaultValue="write" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="write" data-testid="item-write-tab">
              {t('item.write')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid="item-preview-tab">
              {t('item.preview')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="xs">
            <Textarea
              aria-label={t('item.body')}
              description={t('item.bodyHint')}
              autosize
              minRows={6}
              maxRows={16}
              data-testid="item-body"
              value={values.body}
              onChange={(e) => set('body', e.currentTarget.value)}
              error={errorProp(errors.body ?? [])}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <Paper withBorder p="sm" radius="md" mih={120} data-testid="item-preview">
              {values.body.trim() ? (
                <Markdown source={values.body} />
              ) : (
                <Text c="dimmed" size="sm">
                  {t('item.previewEmpty')}
                </Text>
              )}
            </Paper>
          </Tabs.Panel>
        </Tabs>

        <Group grow align="flex-start">
          <TextInput
            type="datetime-local"
            label={t('item.at')}
            data-testid="item-at"
            value={values.at}
            onChange={(e) => set('at', e.currentTarget.value)}
            error={errorProp(errors.at ?? [])}
            description={
              instant && values.timeZone !== userZone
                ? t('item.inYourZone', { date: fmtLong(instant), zone: userZone })
                : t(values.repeat.kind === 'none' ? 'item.atHint' : 'item.atHintSeries')
            }
          />
          <Select
            label={t('item.timeZone')}
            data-testid="item-tz"
            searchable
            allowDeselect={false}
            limit={50}
            data={zones}
            value={values.timeZone}
            onChange={(v) => v && set('timeZone', v)}
            error={errorProp(errors.timeZone ?? [])}
          />
        </Group>

        <RepeatFields
          value={values.repeat}
          start={values.at.slice(0, 10)}
          timeZone={values.timeZone}
          onChange={(r) => set('repeat', r)}
          errors={errors}
        />

        <Input.Wrapper label={t('item.status')}>
          <Group gap="xs" mt={4} data-testid="item-status">
            {item ? (
              <>
                <Badge
                  color={STATUS_COLORS[item.status] ?? 'gray'}
                  variant="light"
                  data-testid="item-status-current"
                >
                  {t(`calendar.status.${item.status}`, { defaultValue: item.status })}
                </Badge>
                {(STATUS_TRANSITIONS[item.status] ?? []).map((s) => (
                  <Button
                    key={s}
                    size="compact-sm"
                    variant={s === 'draft' ? 'default' : 'light'}
                    color={s === 'draft' ? undefined : STATUS_COLORS[s]}
                    loading={busy === 'status'}
                    onClick={() => void changeStatus(s)}
                    data-testid={`item-status-${s}`}
                  >
                    {t(`item.moveTo.${s}`)}
                  </Button>
                ))}
              </>
            ) : (
              <Select
                aria-label={t('item.status')}
                allowDeselect={false}
                data-testid="item-status-initial"
                data={EDITORIAL_STATUSES.map((s) => ({
                  value: s,
                  label: t(`calendar.status.${s}`),
                }))}
                value={values.status}
                onChange={(v) => v && set('status', v as ItemStatus)}
              />
            )}
          </Group>
        </Input.Wrapper>

        <Group grow align="flex-start">
          <TextInput
            label={t('item.assignee')}
            data-testid="item-assignee"
            value={values.assignee}
            onChange={(e) => set('assignee', e.currentTarget.value)}
            error={errorProp(errors.assignee ?? [])}
          />
          <TextInput
            label={t('item.campaign')}
            data-testid="item-campaign"
            value={values.campaign}
            onChange={(e) => set('campaign', e.currentTarget.value)}
            error={errorProp(errors.campaign ?? [])}
          />
        </Group>
        <Textarea
          label={t('item.notes')}
          autosize
          minRows={2}
          data-testid="item-notes"
          value={values.notes}
          onChange={(e) => set('notes', e.currentTarget.value)}
          error={errorProp(errors.notes ?? [])}
        />

        <Group justify="space-between">
          <Group gap="sm">
            {item && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setConfirmDelete(true)}
                data-testid="item-delete"
              >
                {t('form.delete')}
              </Button>
            )}
          </Group>
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            {values.repeat.kind === 'none' && (
              <Button
                variant="light"
                loading={busy === 'queue'}
                onClick={() => void queue()}
                data-testid="item-queue"
              >
                {t('item.addToQueue')}
              </Button>
            )}
            <Button type="submit" loading={busy === 'save'} data-testid="item-save">
              {t('form.save')}
            </Button>
          </Group>
        </Group>
      </Stack>

      <ConfirmModal
        opened={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t('item.deleteTitle')}
        body={t('item.deleteBody', { title: item?.title ?? '' })}
        confirmLabel={t('form.delete')}
        busy={busy === 'delete'}
        onConfirm={() => void remove()}
        testId="item-delete-confirm"
      />
    </form>
  );
}
