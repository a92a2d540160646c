import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MergeSuggestion } from '../../api';
import { shown, type useMergeActions } from './mergeSuggestion';

/** "Not the same person" and "Merge into …" for suggestion `s`. */
export function MergeActions({
  s,
  actions,
}: {
  s: MergeSuggestion;
  actions: ReturnType<typeof useMergeActions>;
}) {
  const { t } = useTranslation();
  const { busy, merge, dismiss } = actions;
  return (
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
  );
}
