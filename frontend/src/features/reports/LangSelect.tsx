import { Select } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_LANGS, type ReportLang } from '../../api';

/** The workbook's language: French or English, the app's by default. */
export function LangSelect({
  value,
  onChange,
  testId,
  error,
}: {
  value: string;
  onChange(lang: ReportLang): void;
  testId: string;
  error?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('reports.lang')}
      w={160}
      allowDeselect={false}
      data={REPORT_LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
      value={value}
      onChange={(v) => v && onChange(v as ReportLang)}
      error={error}
      data-testid={testId}
    />
  );
}
