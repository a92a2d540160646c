import { Alert, List, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type MergeSuggestion } from '../../api';
import { notifyError } from '../../components/notifyError';
import { MergeActions } from './MergeActions';
import { reasonText, shown, useMergeActions, usePercent } from './mergeSuggestion';

/** The other members of suggestion `s` as seen from member `id`, each with why and how sure. */
function othersOf(s: MergeSuggestion, id: string) {
  if (s.a === id) return s.others;
  const mine = s.others.find((o) => o.id === id);
  return [
    {
      id: s.a,
      name: s.aName,
      reason: mine?.reason ?? s.reason,
      detail: mine?.detail ?? s.detail,
      platforms: mine?.platforms ?? s.platforms,
      score: mine?.score ?? s.score,
    },
    ...s.others.filter((o) => o.id !== id),
  ];
}

/**
 * In the member drawer, when Go finds that the member looks like other members: who, why and
 * how sure, with the Members screen's two actions (merge into the kept member, with an undo, or
 * not the same person). Go answers from the member's own e-mails, handles and name, so it is
 * asked whenever the drawer opens a member and again when members change. When the open member
 * is merged into another, the drawer opens the kept one.
 */
export function MergeNotice({
  memberId,
  onOpenMember,
}: {
  memberId: string;
  onOpenMember(id: string): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const percent = usePercent();
  const [list, setList] = useState<MergeSuggestion[]>([]);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      api.merges.suggestionsFor(memberId).then(
        (v) => live && setList(v),
        (reason) => {
          // A member merged away or erased meanwhile: the drawer closes by itself.
          if (live) setList([]);
          if ((reason as { kind?: string }).kind !== 'not_found') notifyError(reason);
        },
      );
    void load();
    const off = api.events.onMembersChanged(() => void load());
    return () => {
      live = false;
      off();
    };
  }, [api, memberId, asked]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  const actions = useMergeActions((kept) => {
    if (kept && kept !== memberId) onOpenMember(kept);
    else reload();
  });

  if (list.length === 0) return null;
  return (
    <Stack gap="sm" mb="md">
      {list.map((s) => {
        const others = othersOf(s, memberId);
        return (
          <Alert
            key={s.a}
            color="yellow"
            variant="light"
            title={t('merges.notice.title', { names: others.map((o) => shown(o.name)).join(', ') })}
            data-testid="merge-notice"
          >
            <Stack gap={6}>
              <List size="sm" spacing={2}>
                {others.map((o) => (
                  <List.Item key={o.id} data-testid="merge-notice-other">
                    <Text span size="sm" fw={600}>
                      {shown(o.name)}
                    </Text>
                    <Text span size="sm">
                      {' · '}
                      {reasonText(o.reason, o.detail, o.platforms)}
                      {' · '}
                      {t('merges.confidence', { score: percent.format(o.score) })}
                    </Text>
                  </List.Item>
                ))}
              </List>
              <Text size="xs" c="dimmed">
                {t('merges.notice.kept', { name: shown(s.aName) })}
              </Text>
              <MergeActions s={s} actions={actions} />
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}
