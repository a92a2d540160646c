import { Alert, Center, Loader, Modal, NavLink, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, toApiError, useApi, type Api, type Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import { displayName } from '../members/displayName';
import { useDashboardFormat } from './format';
import type { Behind, FunnelStage } from './cards';
import { addDays, parseDay, type DayRange } from './ranges';

/** Members listed behind a number: the lists are short, the full ones are on other screens. */
export const BEHIND_LIMIT = 20;

/** Which number was clicked, for which period. */
export interface BehindRequest {
  behind: Behind;
  /** Translated name of the number, for the title. */
  title: string;
  range: DayRange;
  /** The saved segment the dashboard shows ('' for everyone). */
  segment: string;
}

interface Props {
  request: BehindRequest | null;
  onClose(): void;
  onOpenMember(id: string): void;
}

/**
 * Every member is behind the total: the newest who existed at the end of the range stand for
 * them (DashboardService has no "total" list; the Members screen has them all).
 */
async function newestMembers(api: Api, range: DayRange, segment: string): Promise<Member[]> {
  const end = parseDay(addDays(range.to, 1))?.getTime() ?? Infinity;
  const query = {
    search: '',
    tag: '',
    sort: 'created',
    desc: true,
    offset: 0,
    limit: 200,
  } as const;
  const page = segment
    ? await api.segments.members(segment, { ...query })
    : await api.members.list({ ...query });
  return page.items.filter((m) => Date.parse(m.createdAt) < end).slice(0, BEHIND_LIMIT);
}

/**
 * The members of an engagement funnel stage: those of each level it adds up, best level first,
 * asked one level at a time until the list is full.
 */
async function stageMembers(
  api: Api,
  range: DayRange,
  segment: string,
  stage: FunnelStage,
): Promise<Member[]> {
  const out: Member[] = [];
  for (let level = 1; level <= Number(stage.slice('stage:'.length)); level++) {
    if (out.length >= BEHIND_LIMIT) break;
    const metric = `level:${level as 1 | 2 | 3 | 4}` as const;
    out.push(
      ...(await api.dashboard.membersBehind(
        range.from,
        range.to,
        metric,
        segment,
        BEHIND_LIMIT - out.length,
      )),
    );
  }
  return out;
}

/** The members behind a number of the dashboard, each opening the member. */
export function MembersBehindModal({ request, onClose, onOpenMember }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  const api = useApi();
  // What the request answered: its members, or the reason it failed (the modal stays open and
  // says so, rather than spinning on).
  const [loaded, setLoaded] = useState<
    { for: BehindRequest; members: Member[] } | { for: BehindRequest; failed: unknown } | null
  >(null);

  useEffect(() => {
    if (!request) return;
    let live = true;
    const { behind, range, segment } = request;
    const work =
      behind === 'total'
        ? newestMembers(api, range, segment)
        : behind.startsWith('stage:')
          ? stageMembers(api, range, segment, behind as FunnelStage)
          : api.dashboard.membersBehind(
              range.from,
              range.to,
              behind as Exclude<Behind, 'total' | FunnelStage>,
              segment,
              BEHIND_LIMIT,
            );
    work.then(
      (members) => live && setLoaded({ for: request, members }),
      (reason: unknown) => {
        if (live) setLoaded({ for: request, failed: reason });
        notifyError(reason);
      },
    );
    return () => {
      live = false;
    };
  }, [api, request]);

  const answer = loaded && loaded.for === request ? loaded : null;
  const members = answer && 'members' in answer ? answer.members : null;
  const failure = answer && 'failed' in answer ? describeError(t, toApiError(answer.failed)) : null;
  return (
    <Modal
      opened={request !== null}
      onClose={onClose}
      title={request ? `${request.title} · ${fmt.range(request.range)}` : ''}
      size="md"
      data-testid="behind-modal"
    >
      {failure ? (
        <Alert color="red" title={t('dashboard.behindFailed')} data-testid="behind-error">
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {failure.message}
          </Text>
        </Alert>
      ) : members === null ? (
        <Center py="lg">
          <Loader size="sm" aria-label={t('dashboard.loading')} data-testid="behind-loading" />
        </Center>
      ) : members.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="behind-empty">
          {t('dashboard.behindEmpty')}
        </Text>
      ) : (
        <Stack gap={0}>
          {request?.behind === 'total' && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('dashboard.behindTotal')}
            </Text>
          )}
          {members.map((m) => (
            <NavLink
              key={m.id}
              component="button"
              label={displayName(m) || t('dashboard.noName')}
              description={m.name.trim() ? m.emails[0] : undefined}
              onClick={() => onOpenMember(m.id)}
              data-testid="behind-member"
            />
          ))}
          {members.length >= BEHIND_LIMIT && (
            <Text size="xs" c="dimmed" mt="xs" data-testid="behind-more">
              {t('dashboard.behindFirst', { count: BEHIND_LIMIT })}
            </Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}
