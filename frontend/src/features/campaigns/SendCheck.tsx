import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NewsletterPlan } from '../../api';
import { ExpiredNote } from '../../components/ExpiredNote';
import { useFormat } from '../../i18n/format';

/**
 * The send check: how many of the matched members a send reaches, who is left out and why
 * (no consent, withdrawn, expired, unsubscribed or bounced, no address), and for expired
 * consents the rule and the dates, all as the Go side counted them.
 */
export function SendCheck({ plan }: { plan: NewsletterPlan }) {
  const { t } = useTranslation();
  const total =
    plan.recipients + plan.excludedNoConsent + plan.excludedSuppressed + plan.excludedNoEmail;
  return (
    <Stack gap="sm" data-testid="newsletter-check">
      <Text fw={600} data-testid="newsletter-check-summary">
        {t('newsletter.checkSummary', { count: plan.recipients, total })}
      </Text>
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          <PlanRow
            label={t('newsletter.recipients')}
            value={plan.recipients}
            testId="newsletter-recipients"
            strong
          />
          <PlanRow
            label={t('newsletter.excludedConsent')}
            value={plan.excludedNotAsked}
            testId="newsletter-excluded-consent"
          />
          <PlanRow
            label={t('newsletter.excludedWithdrawn')}
            value={plan.excludedWithdrawn}
            testId="newsletter-excluded-withdrawn"
          />
          <PlanRow
            label={t('newsletter.excludedExpired')}
            value={plan.expired.count}
            testId="newsletter-excluded-expired"
          />
          <PlanRow
            label={t('newsletter.excludedSuppressed')}
            value={plan.excludedSuppressed}
            testId="newsletter-excluded-suppressed"
          />
          <PlanRow
            label={t('newsletter.excludedNoEmail')}
            value={plan.excludedNoEmail}
            testId="newsletter-excluded-no-email"
          />
          {plan.alreadySent > 0 && (
            <PlanRow
              label={t('newsletter.alreadySent')}
              value={plan.alreadySent}
              testId="newsletter-already-sent"
            />
          )}
          {plan.uncertain > 0 && (
            <PlanRow
              label={t('newsletter.planUncertain')}
              value={plan.uncertain}
              testId="newsletter-plan-uncertain"
            />
          )}
        </Table.Tbody>
      </Table>
      <ExpiredNote expired={plan.expired} testId="newsletter-expired-note" />
    </Stack>
  );
}

function PlanRow(props: { label: string; value: number; testId: string; strong?: boolean }) {
  const fmt = useFormat();
  return (
    <Table.Tr>
      <Table.Td>{props.label}</Table.Td>
      <Table.Td ta="right">
        <Badge
          variant={props.strong ? 'filled' : 'light'}
          color={props.strong ? 'orange' : 'gray'}
          data-testid={props.testId}
        >
          {fmt.number(props.value)}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}
