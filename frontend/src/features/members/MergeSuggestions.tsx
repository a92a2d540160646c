import { Badge, Button, Card, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MERGE_REASONS, useApi, type Api, type MergeReason, type MergeSuggestion } from '../../api';
import { notifyError } from '../../components/notifyError';
import { showUndoNotification } from './undoNotification';
import i18n from '../../i18n';

/** How long a burst of member changes (an import, a sync) is let settle before asking again. */
export const SUGGESTIONS_SETTLE_MS = 1000;

/**
 * Up to this many members the screen asks Go for duplicates by itself (at once, and after the
 * members change). Go reads every member to find them (about 2 s of CPU at 100,000 members, ten
 * times that at 1,000,000), so a bigger workspace looks for them only when asked.
 */
export const AUTO_SUGGEST_MAX_MEMBERS = 20_000;

/**
 * The members who look like one person, as Go proposes them; in a workspace of up to
 * AUTO_SUGGEST_MAX_MEMBERS members asked at once and again after the members change (a burst of
 * changes once it settles), in a bigger one only when `reload` asks.
 */
function useMergeSuggestions() {
  const api = useApi();
  const [list, setList] = useState<MergeSuggestion[]>([]);
  const [asked, setAsked] = useState(0);
  const [auto, setAuto] = useState<boolean | null>(null);
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    let live = true;
    api.workspace.info().then(
      (info) => live && setAuto(info.memberCount <= AUTO_SUGGEST_MAX_MEMBERS),
      () => live && setAuto(false),
    );
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(() => {
    if (auto === null || (!auto && asked === 0)) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      setSearching(true);
      return api.merges
        .suggestions()
        .then((v) => live && setList(v), notifyError)
        .finally(() => live && setSearching(false));
    };
    void load();
    const off = auto
      ? api.events.onMembersChanged(() => {
          clearTimeout(timer);
          timer = setTimeout(() => void load(), SUGGESTIONS_SETTLE_MS);
        })
      : () => {};
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }, [api, asked, auto]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  return { list, reload, manual: auto === false, searched: asked > 0, searching };
}

const isReason = (r: string): r is MergeReason => (MERGE_REASONS as readonly string[]).includes(r);

/** A reason as a sentence in the reader's language, naming what the members share. */
function reasonText(reason: string, detail: string): string {
  const key = isReason(reason) ? reason : 'unknown';
  return i18n.t(`merges.reason.${key}`, { detail });
}

/** A member's name as Go gave it (untrusted: shown as text only), or a placeholder. */
const shown = (name: string) => name.trim() || i18n.t('merges.unnamed');

/**
 * "Possible duplicates (N)" on the Members screen, when Go proposes any: a modal listing each
 * person seen more than once, why and how sure, to merge into the kept member (with an undo) or
 * to say they are not one person.
 */
export function MergeSuggestions() {
  const { t, i18n: tr } = useTranslation();
  const api = useApi();
  const { list, reload, manual, searched, searching } = useMergeSuggestions();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const percent = useMemo(
    () => new Intl.NumberFormat(tr.resolvedLanguage ?? 'en', { style: 'percent' }),
    [tr.resolvedLanguage],
  );

  const merge = async (s: MergeSuggestion) => {
    setBusy(s.a);
    try {
      const done = await api.merges.mergeGroup(
        s.a,
        s.others.map((o) => o.id),
      );
      showMergeUndo(
        api,
        shown(s.aName),
        done.map((m) => m.id),
        reload,
      );
      reload();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  const dismiss = async (s: MergeSuggestion) => {
    setBusy(s.a);
    try {
      await api.merges.dismiss(
        s.a,
        s.others.map((o) => o.id),
      );
      notifications.show({ message: t('merges.dismissed', { name: shown(s.aName) }) });
      reload();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {manual && list.length === 0 && (
        <Button
          variant="subtle"
          color="gray"
          loading={searching}
          onClick={reload}
          data-testid="merges-find"
        >
          {searched && !searching ? t('merges.noneFound') : t('merges.find')}
        </Button>
      )}
      {list.length > 0 && (
        <Button
          variant="subtle"
          color="yellow"
          onClick={() => setOpen(true)}
          data-testid="merges-open"
        >
          {t('merges.button', { count: list.length })}
        </Button>
      )}
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('merges.title')}
        size="lg"
        data-testid="merges-modal"
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {list.length > 0 ? t('merges.intro') : t('merges.none')}
          </Text>
          {list.map((s) => {
            const why = reasonText(s.reason, s.detail);
            return (
              <Card key={s.a} withBorder padding="sm" data-testid="merge-suggestion">
                <Stack gap={6}>
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <Group gap="xs" wrap="nowrap" miw={0}>
                      <Text fw={600} truncate data-testid="merge-keep">
                        {shown(s.aName)}
                      </Text>
                      <Badge variant="light" size="sm">
                        {t('merges.keep')}
                      </Badge>
                    </Group>
                    <Badge variant="outline" color="gray" data-testid="merge-score">
                      {t('merges.confidence', { score: percent.format(s.score) })}
                    </Badge>
                  </Group>
                  <Text size="sm" data-testid="merge-reason">
                    {why}
                  </Text>
                  <List size="sm" spacing={2}>
                    {s.others.map((o) => {
                      const own = reasonText(o.reason, o.detail);
                      return (
                        <List.Item key={o.id} data-testid="merge-other">
                          <Text span size="sm">
                            {shown(o.name)}
                          </Text>
                          {(own !== why || o.score !== s.score) && (
                            <Text span size="sm" c="dimmed">
                              {' · '}
                              {own} · {percent.format(o.score)}
                            </Text>
                          )}
                        </List.Item>
                      );
                    })}
                  </List>
                  <Group justify="flex-end" gap="sm">
                    <Button
                      variant="default"
                      size="xs"
                      disabled={busy !== null}
                      onClick={() => void dismiss(s)}
                      data-testid="merge-dismiss"
                    >
                      {t('merges.dismiss')}
                    </Button>
                    <Button
                      size="xs"
                      loading={busy === s.a}
                      disabled={busy !== null && busy !== s.a}
                      onClick={() => void merge(s)}
                      data-testid="merge-accept"
                    >
                      {t('merges.merge', { name: shown(s.aName) })}
                    </Button>
                  </Group>
                </Stack>
              </Card>
            );
          })}
        </Stack>
      </Modal>
    </>
  );
}

/** A notification saying what was merged, with an Undo button that takes the merges back. */
function showMergeUndo(api: Api, name: string, mergeIds: string[], after: () => void) {
  const t = i18n.t.bind(i18n);
  showUndoNotification({
    id: `merged:${mergeIds.join(',')}`,
    message: t('merges.done', { name, count: mergeIds.length }),
    undoLabel: t('merges.undo'),
    testId: 'undo-merge',
    undo: async () => {
      await api.merges.undo(mergeIds);
      after();
      return t('merges.undone', { name });
    },
  });
}
