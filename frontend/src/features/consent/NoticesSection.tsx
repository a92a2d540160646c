import {
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type FieldError, type Notice, type Purpose } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { errorProp } from '../members/errorProp';
import { purposeName } from './purposeName';

/** "3" after "2"; otherwise empty, for the user to choose. */
const nextVersion = (notices: Notice[]) => {
  const numbers = notices.map((n) => Number(n.version)).filter(Number.isInteger);
  return numbers.length === notices.length ? String(Math.max(0, ...numbers) + 1) : '';
};

/** The versions of the notice shown when consent is asked, per purpose; publishing a new one. */
export function NoticesSection({ purposes }: { purposes: Purpose[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const active = purposes.filter((p) => !p.archived);
  const [chosen, setChosen] = useState<string | null>(null);
  const purpose = chosen && active.some((p) => p.id === chosen) ? chosen : (active[0]?.id ?? null);
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [openText, setOpenText] = useState<string | null>(null);
  const [version, setVersion] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!purpose) return;
    let live = true;
    api.consent.notices(purpose).then((ns) => {
      if (!live) return;
      setNotices(ns);
      setVersion(nextVersion(ns));
    }, notifyError);
    return () => {
      live = false;
    };
  }, [api, purpose, reload]);

  const publish = async (e: FormEvent) => {
    e.preventDefault();
    if (!purpose) return;
    setSaving(true);
    try {
      const n = await api.consent.publishNotice({ purpose, version: version.trim(), text });
      notifications.show({
        color: 'green',
        message: t('notices.published', { version: n.version }),
      });
      setText('');
      setErrors({});
      setReload((r) => r + 1);
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-notices">
      <Title order={3} size="h5" mb="xs">
        {t('notices.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('notices.help')}
      </Text>
      {active.length === 0 ? (
        <Text c="dimmed">{t('notices.noPurpose')}</Text>
      ) : (
        <Stack gap="md">
          <Select
            label={t('notices.purpose')}
            data-testid="notice-purpose"
            data={active.map((p) => ({ value: p.id, label: purposeName(t, p) }))}
            value={purpose}
            onChange={(v) => {
              setChosen(v);
              setNotices(null);
              setErrors({});
            }}
            allowDeselect={false}
            maw={320}
          />
          {notices && notices.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('notices.empty')}
            </Text>
          )}
          {notices && notices.length > 0 && (
            <Table layout="fixed" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90}>{t('notices.version')}</Table.Th>
                  <Table.Th>{t('notices.publishedAt')}</Table.Th>
                  <Table.Th>{t('notices.hash')}</Table.Th>
                  <Table.Th w={110} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {notices.map((n) => {
                  const key = `${n.purpose}/${n.version}`;
                  return (
                    <Table.Tr key={key} data-testid="notice-row">
                      <Table.Td>{n.version}</Table.Td>
                      <Table.Td>{fmt.dateTime(n.publishedAt)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace" title={n.sha256}>
                          {n.sha256.slice(0, 12)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => setOpenText(openText === key ? null : key)}
                        >
                          {t(openText === key ? 'notices.hideText' : 'notices.showText')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {notices
            ?.filter((n) => `${n.purpose}/${n.version}` === openText)
            .map((n) => (
              <Paper key={n.version} bg="var(--mantine-color-default-hover)" p="sm">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {n.text}
                </Text>
              </Paper>
            ))}
          <form onSubmit={(e) => void publish(e)} noValidate data-testid="notice-form">
            <Stack gap="xs">
              <Text fw={600} size="sm">
                {t('notices.publishTitle')}
              </Text>
              <TextInput
                label={t('notices.version')}
                maw={200}
                data-testid="notice-version"
                value={version}
                onChange={(e) => setVersion(e.currentTarget.value)}
                error={errorProp(errors.version ?? [])}
              />
              <Textarea
                label={t('notices.text')}
                autosize
                minRows={4}
                data-testid="notice-text"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={errorProp(errors.text ?? [])}
              />
              <Text size="xs" c="dimmed">
                {t('notices.immutable')}
              </Text>
              <Group>
                <Button
                  type="submit"
                  loading={saving}
                  disabled={text.trim() === '' || version.trim() === ''}
                  data-testid="notice-publish"
                >
                  {t('notices.publish')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      )}
    </Paper>
  );
}
