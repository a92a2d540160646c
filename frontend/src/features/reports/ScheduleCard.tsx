import { Button, Code, Group, Paper, Select, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REPORT_WEEKDAYS,
  useApi,
  type FieldError,
  type ReportSchedule,
  type ReportScheduleInput,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { errorProp } from '../members/errorProp';
import { LangSelect } from './LangSelect';

/** A weekday's name in `lng`; 2024-01-01 was a Monday. */
function weekdayLabel(index: number, lng: string | undefined): string {
  const date = new Date(Date.UTC(2024, 0, 1 + index, 12));
  return new Intl.DateTimeFormat(lng, { weekday: 'long', timeZone: 'UTC' }).format(date);
}

/** An RFC 3339 instant as a local date and time: "Monday, March 3, 2025 at 8:00 AM". */
function when(iso: string | undefined, lng: string | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lng, { dateStyle: 'full', timeStyle: 'short' }).format(d);
}

const inputOf = (s: ReportSchedule): ReportScheduleInput => ({
  enabled: s.enabled,
  weekday: s.weekday,
  at: s.at,
  folder: s.folder,
  lang: s.lang,
});

/** The weekly KPI workbook: which day and time, which folder, which language. */
export function ScheduleCard() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage;
  const api = useApi();
  const [saved, setSaved] = useState<ReportSchedule | null>(null);
  const [values, setValues] = useState<ReportScheduleInput | null>(null);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.reports.schedule().then((s) => {
      if (!live) return;
      setSaved(s);
      setValues(inputOf(s));
    }, notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const set = <K extends keyof ReportScheduleInput>(key: K, value: ReportScheduleInput[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const chooseFolder = async () => {
    try {
      const folder = await api.reports.chooseFolder();
      if (folder) set('folder', folder);
    } catch (reason) {
      notifyError(reason);
    }
  };

  const save = async () => {
    if (!values) return;
    setSaving(true);
    try {
      const s = await api.reports.setSchedule({
        ...values,
        at: values.at.trim(),
        folder: values.folder.trim(),
      });
      setSaved(s);
      setValues(inputOf(s));
      setErrors({});
      notifications.show({ color: 'green', message: t('reports.schedule.saved') });
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const err = (k: string) => errorProp(errors[k] ?? []);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="report-schedule">
      <Title order={3} size="h5" mb="xs">
        {t('reports.schedule.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('reports.schedule.help')}
      </Text>
      {values === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : (
        <>
          <Switch
            label={t('reports.schedule.enabled')}
            checked={values.enabled}
            onChange={(e) => set('enabled', e.currentTarget.checked)}
            mb="sm"
            data-testid="report-schedule-enabled"
          />
          <Group align="flex-start" gap="sm" wrap="wrap">
            <Select
              label={t('reports.schedule.weekday')}
              w={180}
              allowDeselect={false}
              data={REPORT_WEEKDAYS.map((d, i) => ({ value: d, label: weekdayLabel(i, lng) }))}
              value={values.weekday}
              onChange={(v) => v && set('weekday', v)}
              error={err('weekday')}
              data-testid="report-schedule-weekday"
            />
            <TextInput
              type="time"
              label={t('reports.schedule.at')}
              w={140}
              value={values.at}
              onChange={(e) => set('at', e.currentTarget.value)}
              error={err('at')}
              data-testid="report-schedule-at"
            />
            <LangSelect
              value={values.lang}
              onChange={(l) => set('lang', l)}
              error={err('lang')}
              testId="report-schedule-lang"
            />
          </Group>
          <Group align="flex-start" gap="sm" mt="sm" wrap="nowrap">
            <TextInput
              label={t('reports.schedule.folder')}
              placeholder={t('reports.schedule.folderPlaceholder')}
              flex={1}
              value={values.folder}
              onChange={(e) => set('folder', e.currentTarget.value)}
              error={err('folder')}
              data-testid="report-schedule-folder"
            />
            <Button
              variant="default"
              mt={25}
              onClick={chooseFolder}
              data-testid="report-schedule-choose"
            >
              {t('reports.schedule.choose')}
            </Button>
          </Group>
          <Group justify="space-between" align="flex-end" mt="md" wrap="wrap">
            <div data-testid="report-schedule-status">
              {saved?.enabled && saved.nextSlot ? (
                <Text size="sm" data-testid="report-schedule-next">
                  {t('reports.schedule.next', { when: when(saved.nextSlot, lng) })}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('reports.schedule.off')}
                </Text>
              )}
              {saved?.lastFile && (
                <Text size="sm" c="dimmed" data-testid="report-schedule-last">
                  {t('reports.schedule.last', { when: when(saved.lastSlot, lng) })}{' '}
                  <Code>{saved.lastFile}</Code>
                </Text>
              )}
            </div>
            <Button loading={saving} onClick={save} data-testid="report-schedule-save">
              {t('reports.schedule.save')}
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
