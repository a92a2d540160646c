import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type ROI } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';

interface Props {
  /** The period's ROI; null while it loads. */
  roi: ROI | null;
  /** Called once new settings are saved, to compute the ROI again. */
  onSaved(): void;
}

const toAmount = (v: string | number): number | null =>
  v === '' ? null : typeof v === 'number' ? v : Number(v);

/** Cost, conversions, value and ROI of the period, with the two amounts to edit. */
export function RoiCard({ roi, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [cost, setCost] = useState<number | null>(null);
  const [value, setValue] = useState<number | null>(null);
  const [currency, setCurrency] = useState('EUR');
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.dashboard.roiSettings().then(
      (s) => {
        if (!live) return;
        setCost(s.costPerMonth);
        setValue(s.valuePerConversion);
        setCurrency(s.currency || 'EUR');
      },
      (reason: unknown) => live && fieldErrorsOrNotify(reason),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const lng = i18n.resolvedLanguage ?? 'en';
  const fmt = useMemo(() => {
    const cur = roi?.currency || currency;
    let money: Intl.NumberFormat;
    try {
      money = new Intl.NumberFormat(lng, { style: 'currency', currency: cur });
    } catch {
      money = new Intl.NumberFormat(lng, { maximumFractionDigits: 2 });
    }
    const pct = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 1 });
    const count = new Intl.NumberFormat(lng);
    return { money: (n: number) => money.format(n), pct: (n: number) => pct.format(n), count };
  }, [lng, roi?.currency, currency]);

  /** The amounts' only rule: a number of 0 or more. */
  const errorOf = (field: string) =>
    errors[field]?.length ? t('dashboard.roi.amountError') : undefined;

  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      await api.dashboard.saveRoiSettings({
        costPerMonth: cost ?? 0,
        valuePerConversion: value ?? 0,
        currency,
      });
      onSaved();
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const figure = (label: string, text: string, testId: string) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {text}
      </Text>
    </Stack>
  );

  return (
    <Paper withBorder p="md" radius="md" data-testid="roi-card" style={{ gridColumn: '1 / -1' }}>
      <Title order={3} size="h5" mb={2}>
        {t('dashboard.roi.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.roi.note')}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" mb="sm">
        {figure(t('dashboard.roi.cost'), roi ? fmt.money(roi.cost) : '…', 'roi-cost')}
        {figure(
          t('dashboard.roi.conversions'),
          roi ? fmt.count.format(roi.conversions) : '…',
          'roi-conversions',
        )}
        {figure(t('dashboard.roi.value'), roi ? fmt.money(roi.value) : '…', 'roi-value')}
        {figure(
          t('dashboard.roi.roi'),
          !roi ? '…' : roi.roi === null ? t('dashboard.roi.noCost') : fmt.pct(roi.roi),
          'roi-roi',
        )}
      </SimpleGrid>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NumberInput
          label={t('dashboard.roi.costPerMonth', { currency })}
          min={0}
          allowNegative={false}
          decimalScale={2}
          w={200}
          value={cost ?? ''}
          onChange={(v) => setCost(toAmount(v))}
          error={errorOf('costPerMonth')}
          data-testid="roi-cost-input"
        />
        <NumberInput
          label={t('dashboard.roi.valuePerConversion', { currency })}
          min={0}
          allowNegative={false}
          decimalScale={2}
          w={200}
          value={value ?? ''}
          onChange={(v) => setValue(toAmount(v))}
          error={errorOf('valuePerConversion')}
          data-testid="roi-value-input"
        />
        <Button onClick={() => void save()} loading={saving} data-testid="roi-save">
          {t('dashboard.roi.save')}
        </Button>
      </Group>
    </Paper>
  );
}
