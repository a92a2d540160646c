import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type Member } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { displayName } from '../members/displayName';
import { errorProp } from '../members/errorProp';

/** Inactive members listed at most; "select all" still covers every one found. */
export const INACTIVE_VISIBLE = 500;
const DEFAULT_MONTHS = 24;

const toInt = (v: string | number) => (typeof v === 'number' ? v : Number.parseInt(v, 10) || 0);

/** The retention setting, and the list of inactive members to anonymise. */
export function RetentionSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [retention, setRetention] = useState<number | null>(null);
  const [retentionErrors, setRetentionErrors] = useState<Record<string, FieldError[]>>({});
  const [savingRetention, setSavingRetention] = useState(false);
  const [months, setMonths] = useState(DEFAULT_MONTHS);
  const [inactive, setInactive] = useState<Member[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [listing, setListing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [anonymising, setAnonymising] = useState(false);

  useEffect(() => {
    let live = true;
    api.settings.get().then((s) => {
      if (!live) return;
      setRetention(s.retentionMonths);
      if (s.retentionMonths > 0) setMonths(s.retentionMonths);
    }, notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const saveRetention = async () => {
    if (retention === null) return;
    setSavingRetention(true);
    try {
      const saved = await api.settings.save({ retentionMonths: retention });
      setRetention(saved.retentionMonths);
      setRetentionErrors({});
      notifications.show({ color: 'green', message: t('retention.saved') });
    } catch (reason) {
      setRetentionErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSavingRetention(false);
    }
  };

  const list = async () => {
    setListing(true);
    try {
      setInactive(await api.gdpr.inactive(months));
      setSelected(new Set());
    } catch (reason) {
      notifyError(reason);
    } finally {
      setListing(false);
    }
  };

  const anonymise = async () => {
    setAnonymising(true);
    try {
      const count = await api.gdpr.anonymise([...selected]);
      notifications.show({ color: 'green', message: t('retention.anonymised', { count }) });
      setConfirming(false);
      await list();
    } catch (reason) {
      notifyError(reason);
      setConfirming(false);
    } finally {
      setAnonymising(false);
    }
  };

  const all = inactive ?? [];
  const shown = all.slice(0, INACTIVE_VISIBLE);
  const allSelected = all.length > 0 && selected.size === all.length;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-retention">
      <Title order={3} size="h5" mb="xs">
        {t('retention.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('retention.help')}
      </Text>
      <Group align="flex-end" gap="sm" mb="lg">
        <NumberInput
          label={t('retention.months')}
          description={t('retention.monthsHint')}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          w={260}
          data-testid="retention-months"
          value={retention ?? ''}
          disabled={retention === null}
          onChange={(v) => setRetention(toInt(v))}
          error={errorProp(retentionErrors.retentionMonths ?? [])}
        />
        <Button
          variant="default"
          loading={savingRetention}
          disabled={retention === null}
          onClick={() => void saveRetention()}
          data-testid="retention-save"
        >
          {t('form.save')}
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" mb="sm">
        <NumberInput
          label={t('retention.inactiveFor')}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          w={260}
          data-testid="inactive-months"
          value={months}
          onChange={(v) => setMonths(Math.max(1, toInt(v)))}
        />
        <Button loading={listing} onClick={() => void list()} data-testid="inactive-list">
          {t('retention.list')}
        </Button>
      </Group>

      {inactive && (
        <Stack gap="xs">
          <Text size="sm" data-testid="inactive-count">
            {t('retention.found', { count: all.length, months })}
          </Text>
          {all.length > 0 && (
            <>
              <Table layout="fixed" verticalSpacing={4} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('retention.selectAll')}
                        checked={allSelected}
                        indeterminate={selected.size > 0 && !allSelected}
                        onChange={() =>
                          setSelected(allSelected ? new Set() : new Set(all.map((m) => m.id)))
                        }
                        data-testid="inactive-select-all"
                      />
                    </Table.Th>
                    <Table.Th>{t('members.columns.name')}</Table.Th>
                    <Table.Th>{t('members.columns.email')}</Table.Th>
                    <Table.Th w={160}>{t('members.columns.updated')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((m) => (
                    <Table.Tr key={m.id} data-testid="inactive-row">
                      <Table.Td>
                        <Checkbox
                          aria-label={t('retention.select', { name: displayName(m) })}
                          checked={selected.has(m.id)}
                          onChange={() => toggle(m.id)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate>
                          {m.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate>
                          {m.emails[0] ?? ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{fmt.date(m.updatedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {all.length > shown.length && (
                <Text size="xs" c="dimmed">
                  {t('retention.showingFirst', { shown: shown.length, count: all.length })}
                </Text>
              )}
              <Group>
                <Button
                  color="red"
                  variant="light"
                  disabled={selected.size === 0}
                  onClick={() => setConfirming(true)}
                  data-testid="inactive-anonymise"
                >
                  {t('retention.anonymise', { count: selected.size })}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      )}

      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('retention.confirmTitle')}
        centered
      >
        <Text mb="lg">{t('retention.confirmBody', { count: selected.size })}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
            {t('gdpr.keep')}
          </Button>
          <Button
            color="red"
            loading={anonymising}
            onClick={() => void anonymise()}
            data-testid="anonymise-confirm"
          >
            {t('retention.confirm', { count: selected.size })}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}
