import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsentEvent } from '../../api';
import { useFormat } from '../../i18n/format';
import { methodLabel, proofText } from './consentText';
import type { ConsentRow } from './useConsent';
import { purposeName } from './purposeName';

/** Every consent event of a member, newest first, with its proof as plain text. */
export function ConsentHistory({ events, names }: { events: ConsentEvent[]; names: ConsentRow[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const nameOf = (id: string) => {
    const p = names.find((r) => r.purpose.id === id)?.purpose;
    return p ? purposeName(t, p) : id;
  };

  return (
    <Stack gap="xs" mt="xs" data-testid="consent-history">
      {events.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('consent.noHistory')}
        </Text>
      )}
      {events.map((e) => {
        const proof = proofText(t, e.proof);
        return (
          <div key={e.id} data-testid="consent-history-item">
            <Group gap="xs">
              <Badge size="sm" variant="dot" color={e.kind === 'granted' ? 'green' : 'red'}>
                {t(`consent.kind.${e.kind}`, { defaultValue: e.kind })}
              </Badge>
              <Text size="sm" fw={500}>
                {nameOf(e.purpose)}
              </Text>
              <Text size="sm" c="dimmed">
                {fmt.dateTime(e.at)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {[
                methodLabel(t, e.method),
                e.by ? t('consent.by', { by: e.by }) : '',
                e.noticeVersion ? t('consent.noticeVersion', { version: e.noticeVersion }) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
            {proof && (
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                {t('consent.proofLabel', { proof })}
              </Text>
            )}
          </div>
        );
      })}
    </Stack>
  );
}
