import { ActionIcon, Badge, Button, Grid, Group, NavLink, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Newsletter } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import { IconPlus, IconTrash } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { useFormat } from '../../i18n/format';
import { NewsletterComposer } from './NewsletterComposer';

const STATUS_COLORS = { draft: 'gray', sending: 'blue', sent: 'green' } as const;

/** The newsletters, newest first, and the composer of the one selected. */
export function NewslettersTab() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [list, setList] = useState<Newsletter[] | null>(null);
  /** The newsletter shown ('' for a new one, until its first save); null = none. */
  const [selected, setSelected] = useState<string | null>(null);
  /** Changes only when the user opens another newsletter: saving keeps the composer. */
  const [composerKey, setComposerKey] = useState('');
  const [deleting, setDeleting] = useState<Newsletter | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => api.newsletters.list().then(setList, notifyError), [api]);
  useEffect(() => void load(), [load]);

  const onSaved = useCallback((n: Newsletter) => {
    setList((l) => {
      const rest = (l ?? []).filter((x) => x.id !== n.id);
      return [n, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    });
    setSelected(n.id);
  }, []);

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await api.newsletters.delete(deleting.id);
      setList((l) => (l ?? []).filter((x) => x.id !== deleting.id));
      if (selected === deleting.id) setSelected(null);
      notifications.show({
        color: 'green',
        message: t('newsletter.deleted', { subject: deleting.subject }),
      });
    } catch (reason) {
      notifyError(reason);
      void load();
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  const current = selected ? ((list ?? []).find((n) => n.id === selected) ?? null) : null;
  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => {
              setSelected('');
              setComposerKey(`new-${Date.now()}`);
            }}
            data-testid="newsletter-new"
          >
            {t('newsletter.new')}
          </Button>
          <Paper withBorder radius="md" p={4}>
            {list && list.length === 0 && (
              <Text c="dimmed" size="sm" p="sm">
                {t('newsletter.empty')}
              </Text>
            )}
            {(list ?? []).map((n) => (
              <Group key={n.id} gap={4} wrap="nowrap">
                <NavLink
                  component="button"
                  active={n.id === selected}
                  label={n.subject}
                  description={n.sentAt ? fmt.dateTime(n.sentAt) : fmt.dateTime(n.updatedAt)}
                  rightSection={
                    <Badge size="xs" variant="light" color={STATUS_COLORS[n.status]}>
                      {t(`newsletter.status.${n.status}`)}
                    </Badge>
                  }
                  onClick={() => {
                    setSelected(n.id);
                    setComposerKey(n.id);
                  }}
                  style={{ flex: 1, minWidth: 0 }}
                  data-testid="newsletter-row"
                />
                {n.status === 'draft' && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('newsletter.deleteLabel', { subject: n.subject })}
                    title={t('newsletter.delete')}
                    onClick={() => setDeleting(n)}
                    data-testid="newsletter-delete"
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Paper>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {selected === null ? (
          <Text c="dimmed">{t('newsletter.pick')}</Text>
        ) : (
          <NewsletterComposer key={composerKey} newsletter={current} onSaved={onSaved} />
        )}
      </Grid.Col>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('newsletter.deleteTitle')}
        body={t('newsletter.deleteBody', { subject: deleting?.subject ?? '' })}
        confirmLabel={t('form.delete')}
        busy={busy}
        onConfirm={() => void remove()}
        testId="newsletter-delete-confirm"
      />
    </Grid>
  );
}
