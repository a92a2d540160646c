import { Badge, Button, Grid, NavLink, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Newsletter } from '../../api';
import { IconPlus } from '../../components/icons';
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

  const load = useCallback(() => api.newsletters.list().then(setList, notifyError), [api]);
  useEffect(() => void load(), [load]);

  const onSaved = useCallback((n: Newsletter) => {
    setList((l) => {
      const rest = (l ?? []).filter((x) => x.id !== n.id);
      return [n, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    });
    setSelected(n.id);
  }, []);

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
              <NavLink
                key={n.id}
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
                data-testid="newsletter-row"
              />
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
    </Grid>
  );
}
