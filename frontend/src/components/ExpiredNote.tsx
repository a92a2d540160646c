import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsentLapsed } from '../api';
import { useFormat } from '../i18n/format';

/**
 * Consents that lapsed under a purpose's rule, as Go counted them (the send check, the import
 * summary): "8 consents expired on 12 Mar 2025 (rule: 24 months for “Newsletter”)"; nothing when none did.
 */
export function ExpiredNote({ expired, testId }: { expired: ConsentLapsed; testId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (expired.count === 0) return null;
  const rule = t('newsletter.expiryRule', {
    count: expired.expiryMonths,
    purpose:
      expired.purposeName ||
      t(`purposes.builtin.${expired.purpose}`, { defaultValue: expired.purpose }),
  });
  const first = fmt.date(expired.first ?? '');
  const last = fmt.date(expired.last ?? '');
  return (
    <Alert color="yellow" variant="light" data-testid={testId}>
      <Text size="sm">
        {first === last
          ? t('newsletter.expiredOn', { count: expired.count, date: first, rule })
          : t('newsletter.expiredBetween', { count: expired.count, first, last, rule })}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('newsletter.expiredHint')}
      </Text>
    </Alert>
  );
}
