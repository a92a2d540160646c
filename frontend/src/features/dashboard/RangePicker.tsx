import { Group, Select, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDashboardFormat } from './format';
import { PRESETS, isValidRange, previousRange, type DayRange, type Preset } from './ranges';

interface Props {
  preset: Preset;
  /** The custom range being typed (used when `preset` is custom). */
  custom: DayRange;
  /** The range asked for; null while a custom range is not valid. */
  range: DayRange | null;
  onPreset(p: Preset): void;
  onCustom(r: DayRange): void;
}

/** A preset or two days, and which period the numbers are compared with. */
export function RangePicker({ preset, custom, range, onPreset, onCustom }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const badCustom = preset === 'custom' && !isValidRange(custom);
  return (
    <div>
      <Group gap="xs" wrap="wrap" justify="flex-end">
        <Select
          size="sm"
          w={190}
          aria-label={t('dashboard.range')}
          data={PRESETS.map((p) => ({ value: p, label: t(`dashboard.presets.${p}`) }))}
          value={preset}
          allowDeselect={false}
          onChange={(v) => v && onPreset(v as Preset)}
          data-testid="range-preset"
        />
        {preset === 'custom' && (
          <>
            <TextInput
              type="date"
              size="sm"
              w={160}
              aria-label={t('dashboard.from')}
              value={custom.from}
              onChange={(e) => onCustom({ ...custom, from: e.currentTarget.value })}
              data-testid="range-from"
            />
            <TextInput
              type="date"
              size="sm"
              w={160}
              aria-label={t('dashboard.to')}
              value={custom.to}
              onChange={(e) => onCustom({ ...custom, to: e.currentTarget.value })}
              error={badCustom}
              data-testid="range-to"
            />
          </>
        )}
      </Group>
      <Text size="sm" c={badCustom ? 'red' : 'dimmed'} ta="right" mt={4} data-testid="range-text">
        {badCustom || !range
          ? t('dashboard.badRange')
          : t('dashboard.rangeText', {
              range: fmt.range(range),
              previous: fmt.range(previousRange(range)),
            })}
      </Text>
    </div>
  );
}
