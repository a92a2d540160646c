import { Badge, Button, Card, Group, List, Modal, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type MergesProgress, type MergeSuggestion } from '../../api';
import { notifyError } from '../../components/notifyError';
import i18n from '../../i18n';
import { MergeActions } from './MergeActions';
import { reasonText, shown, useMergeActions, usePercent } from './mergeSuggestion';

/** How long a burst of member changes (an import, a sync) is let settle before asking again. */
export const SUGGESTIONS_SETTLE_MS = 1000;

/**
 * Up to this many members the screen asks Go for duplicates by itself (at once, and after the
 * members change). Go reads every member to find them (about 2 s of CPU at 100,000 members, ten
 * times that at 1,000,000), so a bigger workspace looks for them only when asked, as a background
 * search that shows how far it is and can be cancelled.
 */
export const AUTO_SUGGEST_MAX_MEMBERS = 20_000;

/**
 * The members who look like one person, as Go proposes them; in a workspace of up to
 * AUTO_SUGGEST_MAX_MEMBERS members asked at once and again after the members change (a burst of
 * changes once it settles), in a bigger one only when `reload` asks, as Go's background search
 * (`progress` while it runs, `cancel` to stop it).
 */
function useMergeSuggestions() {
  const api = useApi();
  const [list, setList] = useState<MergeSuggestion[]>([]);
  const [asked, setAsked] = useState(0);
  const [auto, setAuto] = useState<boolean | null>(null);
  const [searching, setSearching] = useState(false);
  const [progress, setProgress] = useState<MergesProgress | null>(null);
  const job = useRef<string | null>(null);
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
    const offs: (() => void)[] = [];
    const stop = () => offs.splice(0).forEach((off) => off());
    const load = () => {
      setSearching(true);
      return api.merges
        .suggestions()
        .then((v) => live && setList(v), notifyError)
        .finally(() => live && setSearching(false));
    };
    // A big workspace's search runs in Go's background, reporting members examined.
    const find = async () => {
      setSearching(true);
      setProgress(null);
      try {
        const id = await api.merges.find();
        if (!live) return;
        job.current = id;
        offs.push(
          api.events.onMergesProgress(id, (p) => live && setProgress(p)),
          api.events.onMergesDone(id, (done) => {
            stop();
            job.current = null;
            if (!live) return;
            setSearching(false);
            setProgress(null);
            if (done.error) notifyError(done.error);
            else if (done.cancelled)
              notifications.show({ message: i18n.t('merges.cancelled'), id: 'merges-cancelled' });
            else setList(done.suggestions);
          }),
        );
      } catch (reason) {
        notifyError(reason);
        if (live) setSearching(false);
      }
    };
    void (auto ? load() : find());
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
      stop();
      // Leaving the screen stops Go's search: nobody would see what it found.
      if (job.current) void api.merges.cancel(job.current).catch(() => {});
      job.current = null;
    };
  }, [api, asked, auto]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  const cancel = useCallback(() => {
    if (job.current) api.merges.cancel(job.current).catch(notifyError);
  }, [api]);
  return { list, reload, cancel, manual: auto === false, searched: asked > 0, searching, progress };
}

/**
 * "Possible duplicates (N)" on the Members screen, when Go proposes any: a modal listing each
 * person seen more than once, why and how sure, to merge into the kept member (with an undo) or
 * to say they are not one person.
 */
export function MergeSuggestions() {
  const { t } = useTranslation();
  const { list, reload, cancel, manual, searched, searching, progress } = useMergeSuggestions();
  const [open, setOpen] = useState(false);
  const percent = usePercent();
  const actions = useMergeActions(() => reload());

  return (
    <>
      {manual && searching && (
        <Group gap="xs" wrap="nowrap" data-testid="merges-searching">
          <Stack gap={2} miw={220}>
            <Text size="xs" c="dimmed" data-testid="merges-progress">
              {progress
                ? t('merges.progress', { examined: progress.examined, total: progress.total })
                : t('merges.starting')}
            </Text>
            <Progress
              size="sm"
              animated={!progress}
              value={
                progress && progress.total > 0 ? (100 * progress.examined) / progress.total : 100
              }
            />
          </Stack>
          <Button
            variant="subtle"
            color="gray"
            size="xs"
            onClick={cancel}
            data-testid="merges-cancel"
          >
            {t('merges.cancel')}
          </Button>
        </Group>
      )}
      {manual && !searching && list.length === 0 && (
        <Button variant="subtle" color="gray" onClick={reload} data-testid="merges-find">
          {searched ? t('merges.noneFound') : t('merges.find')}
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
            const why = reasonText(s.reason, s.detail, s.platforms);
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
                      const own = reasonText(o.reason, o.detail, o.platforms);
                      return (
                        <List.Item key={o.id} data-testid="merge-other">
                          <Text span size="sm">
                            {shown(o.name)}
                          </Text>
                          {(o.reason !== s.reason ||
                            o.detail !== s.detail ||
                            o.score !== s.score) && (
                            <Text span size="sm" c="dimmed">
                              {' · '}
                              {own} · {percent.format(o.score)}
                            </Text>
                          )}
                        </List.Item>
                      );
                    })}
                  </List>
                  <MergeActions s={s} actions={actions} />
                </Stack>
              </Card>
            );
          })}
        </Stack>
      </Modal>
    </>
  );
}
