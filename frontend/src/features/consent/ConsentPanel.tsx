import { Badge, Button, Collapse, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type ConsentStatus } from '../../api';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { ConsentHistory } from './ConsentHistory';
import { STATE_COLORS, methodLabel } from './consentText';
import { useMemberConsent } from './useConsent';
import { purposeName } from './purposeName';

/** A member's consent per purpose, with Grant/Withdraw and the full history. */
export function ConsentPanel({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const { rows, history, reload } = useMemberConsent(memberId);
  const [busy, setBusy] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);

  const change = async (action: 'grant' | 'withdraw', purpose: string) => {
    setBusy(purpose);
    try {
      await api.consent[action]({ memberId, purpose });
      reload();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  const detail = (s: ConsentStatus) => {
    if (s.state === 'none') return t('consent.noRecord');
    const parts = [t(`consent.since.${s.state}`, { date: s.since ? fmt.date(s.since) : '' })];
    const method = methodLabel(t, s.method);
    if (method) parts.push(method);
    if (s.source) parts.push(s.source);
    if (s.noticeVersion) parts.push(t('consent.noticeVersion', { version: s.noticeVersion }));
    return parts.join(' · ');
  };

  return (
    <Stack gap="sm" data-testid="consent-panel">
      <Title order={3} size="h5">
        {t('consent.title')}
      </Title>
      {rows === null ? (
        <Skeleton height={48} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('consent.noPurposes')}
        </Text>
      ) : (
        rows.map(({ purpose, status }) => (
          <Paper key={purpose.id} withBorder p="sm" radius="md">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {purposeName(t, purpose)}
                  </Text>
                  <Badge
                    color={STATE_COLORS[status.state] ?? 'gray'}
                    variant="light"
                    data-testid={`consent-state-${purpose.id}`}
                    data-state={status.state}
                  >
                    {t(`consent.state.${status.state}`, { defaultValue: status.state })}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" mt={4}>
                  {detail(status)}
                </Text>
              </div>
              {!purpose.archived &&
                (status.state === 'granted' ? (
                  <Button
                    size="compact-sm"
                    variant="default"
                    loading={busy === purpose.id}
                    onClick={() => void change('withdraw', purpose.id)}
                    data-testid={`consent-withdraw-${purpose.id}`}
                  >
                    {t('consent.withdraw')}
                  </Button>
                ) : (
                  <Button
                    size="compact-sm"
                    variant="light"
                    loading={busy === purpose.id}
                    onClick={() => void change('grant', purpose.id)}
                    data-testid={`consent-grant-${purpose.id}`}
                  >
                    {t('consent.grant')}
                  </Button>
                ))}
            </Group>
          </Paper>
        ))
      )}
      <div>
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() => setShowHistory((v) => !v)}
          aria-expanded={showHistory}
          data-testid="consent-history-toggle"
        >
          {t(showHistory ? 'consent.hideHistory' : 'consent.showHistory', {
            count: history.length,
          })}
        </Button>
        <Collapse in={showHistory}>
          {showHistory && <ConsentHistory events={history} names={rows ?? []} />}
        </Collapse>
      </div>
    </Stack>
  );
}
