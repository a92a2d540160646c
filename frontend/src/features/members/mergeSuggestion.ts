import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MERGE_REASONS, useApi, type Api, type MergeReason, type MergeSuggestion } from '../../api';
import { notifyError } from '../../components/notifyError';
import i18n from '../../i18n';
import { showUndoNotification } from './undoNotification';

// What the Members screen's possible duplicates and the member drawer's notice share: a
// suggestion's words (its reason, how sure, the names) and its two actions.

const isReason = (r: string): r is MergeReason => (MERGE_REASONS as readonly string[]).includes(r);

/** A reason as a sentence in the reader's language, naming what the members share. */
export function reasonText(
  reason: string,
  detail: string,
  platforms: readonly string[] = [],
): string {
  const key = isReason(reason) ? reason : 'unknown';
  if (key === 'same_handle' && platforms.length > 1) {
    // "Same handle “camille” on Discourse, Discord and Mastodon", in the reader's language.
    const names = platforms.map((p) => i18n.t(`platforms.${p}`, { defaultValue: p }));
    const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names);
    return i18n.t('merges.reason.same_handle_on', { detail, platforms: list });
  }
  return i18n.t(`merges.reason.${key}`, { detail });
}

/** A member's name as Go gave it (untrusted: shown as text only), or a placeholder. */
export const shown = (name: string) => name.trim() || i18n.t('merges.unnamed');

/** A confidence (0 to 1) as a percentage in the reader's language. */
export function usePercent(): Intl.NumberFormat {
  const { i18n: tr } = useTranslation();
  return useMemo(
    () => new Intl.NumberFormat(tr.resolvedLanguage ?? 'en', { style: 'percent' }),
    [tr.resolvedLanguage],
  );
}

/**
 * A suggestion's actions: merge the others into the kept member (with an Undo notification),
 * or record that they are not one person. `busy` names the suggestion (its kept member) being
 * acted on; `after` runs once an action or its undo is done (to ask Go again), with the merge's
 * kept member when it was a merge.
 */
export function useMergeActions(after: (kept?: string) => void) {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (s: MergeSuggestion, work: () => Promise<void>) => {
    setBusy(s.a);
    try {
      await work();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };
  const others = (s: MergeSuggestion) => s.others.map((o) => o.id);
  const merge = (s: MergeSuggestion) =>
    act(s, async () => {
      const done = await api.merges.mergeGroup(s.a, others(s));
      showMergeUndo(
        api,
        shown(s.aName),
        done.map((m) => m.id),
        () => after(),
      );
      after(s.a);
    });
  const dismiss = (s: MergeSuggestion) =>
    act(s, async () => {
      await api.merges.dismiss(s.a, others(s));
      notifications.show({ message: i18n.t('merges.dismissed', { name: shown(s.aName) }) });
      after();
    });
  return { busy, merge, dismiss };
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
