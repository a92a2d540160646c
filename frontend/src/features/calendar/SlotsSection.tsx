import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, useApi, type ChannelSlots, type FieldError, type Weekday } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { IconPlus, IconTrash } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { timeZones, userTimeZone } from '../../i18n/zoned';
import { errorProp } from '../members/errorProp';
import { weekdayName } from './weekdays';

/** A channel as edited: its saved form plus whether it was ever saved. */
interface Draft extends ChannelSlots {
  saved: boolean;
}

const NEW_SLOT = { weekday: 'MO' as Weekday, time: '09:00' };
const sameChannel = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Weekly posting slots per channel, like a Buffer queue: "Add to queue" takes the next free one. */
export function SlotsSection() {
  const { t } = useTranslation();
  const api = useApi();
  const zones = useMemo(() => timeZones(), []);
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [errors, setErrors] = useState<Record<string, Record<string, FieldError[]>>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [zone, setZone] = useState(userTimeZone());
  const [nameError, setNameError] = useState<FieldError[]>([]);

  useEffect(() => {
    let live = true;
    api.calendar.slots().then((list) => {
      if (live) setDrafts(list.map((cs) => ({ ...cs, saved: true })));
    }, notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const update = (channel: string, patch: (d: Draft) => Partial<Draft>) =>
    setDrafts((list) =>
      (list ?? []).map((d) => (d.channel === channel ? { ...d, ...patch(d), saved: d.saved } : d)),
    );

  const addChannel = () => {
    const channel = name.trim();
    if (channel === '') {
      setNameError([{ field: 'channel', code: 'required' }]);
      return;
    }
    if ((drafts ?? []).some((d) => sameChannel(d.channel, channel))) {
      setNameError([{ field: 'channel', code: 'channel_exists' }]);
      return;
    }
    setDrafts((list) => [...(list ?? []), { channel, timeZone: zone, slots: [], saved: false }]);
    setName('');
    setNameError([]);
  };

  const save = async (d: Draft) => {
    setSaving(d.channel);
    try {
      const saved = await api.calendar.saveSlots({
        channel: d.channel,
        timeZone: d.timeZone,
        slots: d.slots,
      });
      setDrafts((list) =>
        (list ?? []).map((x) => (x.channel === d.channel ? { ...saved, saved: true } : x)),
      );
      setErrors((e) => ({ ...e, [d.channel]: {} }));
      notifications.show({ color: 'green', message: t('slots.saved', { channel: saved.channel }) });
    } catch (reason) {
      setErrors((e) => ({ ...e, [d.channel]: fieldErrorsOrNotify(reason) }));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-slots">
      <Title order={3} size="h5" mb="xs">
        {t('slots.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('slots.help')}
      </Text>
      {drafts === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : (
        <Stack gap="md">
          {drafts.length === 0 && <Text c="dimmed">{t('slots.empty')}</Text>}
          {drafts.map((d) => (
            <ChannelCard
              key={d.channel}
              draft={d}
              zones={zones}
              errors={errors[d.channel] ?? {}}
              saving={saving === d.channel}
              onChange={(patch) => update(d.channel, () => patch)}
              onSave={() => void save(d)}
              onDiscard={() =>
                setDrafts((list) => (list ?? []).filter((x) => x.channel !== d.channel))
              }
            />
          ))}
          <Group align="flex-start" gap="sm">
            <TextInput
              label={t('slots.channel')}
              placeholder={t('slots.channelPlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addChannel();
                }
              }}
              error={errorProp(nameError)}
              data-testid="slots-channel-name"
            />
            <Select
              label={t('slots.timeZone')}
              searchable
              allowDeselect={false}
              limit={50}
              data={zones}
              value={zone}
              onChange={(v) => v && setZone(v)}
              data-testid="slots-channel-tz"
            />
            <Button
              mt={25}
              variant="light"
              leftSection={<IconPlus size={16} />}
              onClick={addChannel}
              data-testid="slots-add-channel"
            >
              {t('slots.addChannel')}
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

interface CardProps {
  draft: Draft;
  zones: string[];
  errors: Record<string, FieldError[]>;
  saving: boolean;
  onChange(patch: Partial<ChannelSlots>): void;
  onSave(): void;
  onDiscard(): void;
}

function ChannelCard({ draft, zones, errors, saving, onChange, onSave, onDiscard }: CardProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage;
  const weekdays = WEEKDAYS.map((w) => ({ value: w, label: weekdayName(w, lng, 'long') }));
  const setSlot = (i: number, patch: Partial<ChannelSlots['slots'][number]>) =>
    onChange({ slots: draft.slots.map((s, j) => (j === i ? { ...s, ...patch } : s)) });

  return (
    <Paper withBorder p="md" radius="sm" data-testid={`slots-channel-${draft.channel}`}>
      <Group justify="space-between" mb="xs" align="flex-start">
        <Stack gap={0}>
          <Group gap="xs">
            <Text fw={600}>{draft.channel}</Text>
            {!draft.saved && (
              <Badge size="xs" variant="light" color="yellow">
                {t('slots.unsaved')}
              </Badge>
            )}
          </Group>
          {(errors.channel ?? []).length > 0 && (
            <Text size="xs" c="red">
              {errorProp(errors.channel ?? [])}
            </Text>
          )}
        </Stack>
        <Select
          aria-label={t('slots.timeZone')}
          searchable
          allowDeselect={false}
          limit={50}
          data={zones}
          value={draft.timeZone}
          onChange={(v) => v && onChange({ timeZone: v })}
          error={errorProp(errors.timeZone ?? [])}
          data-testid="slots-tz"
        />
      </Group>
      <Stack gap="xs">
        {draft.slots.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('slots.none')}
          </Text>
        )}
        {draft.slots.map((s, i) => (
          <Group key={i} gap="xs" align="flex-start" data-testid="slots-row">
            <Select
              aria-label={t('slots.weekday')}
              allowDeselect={false}
              data={weekdays}
              value={s.weekday}
              onChange={(v) => v && setSlot(i, { weekday: v as Weekday })}
              error={errorProp(errors[`slots[${i}].weekday`] ?? [])}
              w={160}
              data-testid="slots-weekday"
            />
            <TextInput
              type="time"
              aria-label={t('slots.time')}
              value={s.time}
              onChange={(e) => setSlot(i, { time: e.currentTarget.value })}
              error={errorProp(errors[`slots[${i}].time`] ?? [])}
              w={130}
              data-testid="slots-time"
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={4}
              aria-label={t('slots.remove')}
              onClick={() => onChange({ slots: draft.slots.filter((_, j) => j !== i) })}
              data-testid="slots-remove"
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      <Group justify="space-between" mt="sm">
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange({ slots: [...draft.slots, { ...NEW_SLOT }] })}
          data-testid="slots-add"
        >
          {t('slots.add')}
        </Button>
        <Group gap="xs">
          {!draft.saved && (
            <Button size="compact-sm" variant="default" onClick={onDiscard}>
              {t('slots.discard')}
            </Button>
          )}
          <Button size="compact-sm" loading={saving} onClick={onSave} data-testid="slots-save">
            {t('form.save')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
