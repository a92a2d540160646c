import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Drawer,
  Group,
  Skeleton,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Segment } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import { IconPlus, IconTrash } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { SegmentBuilder } from './SegmentBuilder';
import { useSavedSegments } from './useSavedSegments';

interface Props {
  opened: boolean;
  onClose(): void;
  /** The segment filtering the members table, if any. */
  active: Segment | null;
  /** Filters the table by a segment (null: every member). */
  onChoose(segment: Segment | null): void;
}

type Editing = { mode: 'new' } | { mode: 'edit'; segment: Segment } | null;

/**
 * The Members screen's segments: the saved ones with how many members each holds now, to
 * filter the table by, rename, change or delete (after a confirmation); and the builder, with
 * its live count, for a new one.
 */
export function SegmentsPanel({ opened, onClose, active, onChoose }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const { list, reload } = useSavedSegments(opened);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [busy, setBusy] = useState(false);

  const saved = (seg: Segment) => {
    const wasNew = editing?.mode === 'new';
    setEditing(null);
    reload();
    notifications.show({
      message: t(wasNew ? 'segments.created' : 'segments.updated', { name: seg.name }),
    });
    if (active?.id === seg.id) onChoose(seg);
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      const gone = await api.segments.delete(deleting.id);
      if (active?.id === gone.id) onChoose(null);
      notifications.show({ message: t('segments.deleted', { name: gone.name }) });
      reload();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  return (
    <>
      <Drawer
        opened={opened}
        onClose={onClose}
        position="right"
        size="xl"
        title={t('segments.title')}
        data-testid="segments-drawer"
      >
        {editing ? (
          <SegmentBuilder
            key={editing.mode === 'edit' ? editing.segment.id : 'new'}
            segment={editing.mode === 'edit' ? editing.segment : null}
            onSaved={saved}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <Stack gap="sm">
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {t('segments.intro')}
              </Text>
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={() => setEditing({ mode: 'new' })}
                data-testid="segment-new"
              >
                {t('segments.new')}
              </Button>
            </Group>
            {list === null ? (
              <Skeleton height={60} />
            ) : list.length === 0 ? (
              <Text c="dimmed" data-testid="segments-empty">
                {t('segments.none')}
              </Text>
            ) : (
              list.map(({ segment: seg, count }) => (
                <Card key={seg.id} withBorder padding="sm" data-testid="segment-item">
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <Stack gap={2} miw={0}>
                      <Group gap="xs" wrap="nowrap">
                        <Text fw={600} truncate data-testid="segment-item-name">
                          {seg.name}
                        </Text>
                        <Badge variant="light" data-testid="segment-item-count">
                          {t('segments.members', { count })}
                        </Badge>
                        {active?.id === seg.id && (
                          <Badge color="green" variant="outline">
                            {t('segments.shown')}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed" ff="monospace" truncate>
                        {seg.where}
                      </Text>
                    </Stack>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => {
                          onChoose(seg);
                          onClose();
                        }}
                        data-testid="segment-item-show"
                      >
                        {t('segments.show')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing({ mode: 'edit', segment: seg })}
                        data-testid="segment-item-edit"
                      >
                        {t('segments.edit')}
                      </Button>
                      <Tooltip label={t('segments.delete')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('segments.delete')}
                          onClick={() => setDeleting(seg)}
                          data-testid="segment-item-delete"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Group>
                </Card>
              ))
            )}
          </Stack>
        )}
      </Drawer>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('segments.deleteTitle')}
        body={t('segments.deleteBody', { name: deleting?.name ?? '' })}
        confirmLabel={t('segments.delete')}
        busy={busy}
        onConfirm={() => void remove()}
        testId="confirm-segment-delete"
      />
    </>
  );
}
