import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, setLanguage, type Language } from '../../i18n';

export function LanguageSwitch({ testId = 'lang-switch' }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      data-testid={testId}
      aria-label={t('lang.label')}
      size="xs"
      value={currentLanguage()}
      onChange={(v) => void setLanguage(v as Language)}
      data={LANGUAGES.map((lng) => ({
        value: lng,
        label: <span title={t(`lang.${lng}`)}>{lng.toUpperCase()}</span>,
      }))}
    />
  );
}
