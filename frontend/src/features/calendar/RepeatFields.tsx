import { Chip, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, type FieldError, type Weekday } from '../../api';
import { errorProp } from '../members/errorProp';
import { describeRecurrence } from './describe';
import {
  REPEAT_ENDS,
  REPEAT_KINDS,
  toRecurrence,
  weekOfMonth,
  weekdayOf,
  type RepeatForm,
} from './repeat';
import { weekdayName } from './weekdays';

interface Props {
  value: RepeatForm;
  /** The start's wall date (YYYY-MM-DD), '' when not set. */
  start: string;
  /** The item's IANA zone. */
  timeZone: string;
  onChange(v: RepeatForm): void;
  errors: Record<string, FieldError[]>;
}

const toInt = (v: string | number) => (typeof v === 'number' ? v : Number.parseInt(v, 10) || 0);

/**
 * Repeat: none, weekly on weekdays, every N days, monthly by day or "2nd Tuesday"; and its end.
 * A rule made elsewhere that these cannot build is kept as it is, shown in words.
 */
export function RepeatFields({ value, start, timeZone, onChange, errors }: Props) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage;
  const set = (patch: Partial<RepeatForm>) => onChange({ ...value, ...patch });
  const weekday = start ? weekdayOf(start) : 'MO';
  const nth = start ? weekOfMonth(start) : 1;
  const day = start ? Number(start.slice(8, 10)) : 1;
  const rule = start || value.kind === 'custom' ? toRecurrence(value, start) : null;
  const ruleErrors = [
    ...(errors['repeat.rule'] ?? []),
    ...(errors['repeat.freq'] ?? []),
    ...Object.entries(errors)
      .filter(([k]) => k.startsWith('repeat.exDates') || k.startsWith('repeat.rDates'))
      .flatMap(([, v]) => v),
  ];

  return (
    <Stack gap="xs">
      <Select
        label={t('item.repeat')}
        data-testid="item-repeat"
        allowDeselect={false}
        data={REPEAT_KINDS.filter((k) => k !== 'custom' || value.custom).map((k) => ({
          value: k,
          label: t(`item.repeatKind.${k}`, {
            day,
            nth: t(`item.nth.${nth}`),
            weekday: weekdayName(weekday, lng, 'long'),
          }),
        }))}
        value={value.kind}
        onChange={(v) => v && set({ kind: v as RepeatForm['kind'] })}
        error={errorProp(errors.repeat ?? [])}
      />
      {value.kind === 'weekly' && (
        <Chip.Group
          multiple
          value={value.weekdays.length > 0 ? value.weekdays : [weekday]}
          onChange={(v) => set({ weekdays: v as Weekday[] })}
        >
          <Group gap={4} data-testid="item-repeat-weekdays">
            {WEEKDAYS.map((d) => (
              <Chip key={d} value={d} size="xs">
                {weekdayName(d, lng, 'short')}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      {value.kind === 'daily' && (
        <NumberInput
          label={t('item.everyNDays')}
          min={1}
          allowDecimal={false}
          w={200}
          data-testid="item-repeat-interval"
          value={value.interval}
          onChange={(v) => set({ interval: toInt(v) })}
          error={errorProp(errors['repeat.interval'] ?? [])}
        />
      )}
      {value.kind === 'custom' && (
        <Text size="xs" c="dimmed" data-testid="item-repeat-custom">
          {t('item.customRule')}
        </Text>
      )}
      {value.kind !== 'none' && value.kind !== 'custom' && (
        <Group align="flex-start" gap="sm">
          <Select
            label={t('item.repeatEnd')}
            w={200}
            allowDeselect={false}
            data-testid="item-repeat-end"
            data={REPEAT_ENDS.map((e) => ({ value: e, label: t(`item.end.${e}`) }))}
            value={value.end}
            onChange={(v) => v && set({ end: v as RepeatForm['end'] })}
          />
          {value.end === 'until' && (
            <TextInput
              type="date"
              label={t('item.until')}
              data-testid="item-repeat-until"
              value={value.until}
              onChange={(e) => set({ until: e.currentTarget.value })}
              error={errorProp(errors['repeat.until'] ?? [])}
            />
          )}
          {value.end === 'count' && (
            <NumberInput
              label={t('item.count')}
              min={1}
              allowDecimal={false}
              w={160}
              data-testid="item-repeat-count"
              value={value.count}
              onChange={(v) => set({ count: toInt(v) })}
              error={errorProp(errors['repeat.count'] ?? [])}
            />
          )}
        </Group>
      )}
      {rule && (
        <Text size="sm" data-testid="item-repeat-summary">
          {describeRecurrence(rule, t, lng ?? 'en', { timeZone, start })}
        </Text>
      )}
      {ruleErrors.length > 0 && (
        <Text size="xs" c="red" component="div">
          {errorProp(ruleErrors)}
        </Text>
      )}
    </Stack>
  );
}
