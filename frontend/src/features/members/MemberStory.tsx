import {
  Anchor,
  Badge,
  Button,
  Chip,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TIMELINE_KINDS,
  useApi,
  type TimelineEntry,
  type TimelineKind,
  type TimelinePage,
  type TimelineQuery,
  type TimelineSummary,
} from '../../api';
import { notifyError } from '../../components/notifyError';
import { safeHref } from '../../components/safeHref';
import { useFormat, type Formatters } from '../../i18n/format';
import { purposeName } from '../consent/purposeName';
import { auditDetails } from '../gdpr/auditText';

/** How many entries the story asks for at a time (app/recorded_timeline_test.go records these). */
export const STORY_PAGE = 20;

const KIND_COLORS: Record<TimelineKind, string> = {
  activity: 'blue',
  question: 'cyan',
  answer: 'green',
  consent: 'teal',
  mail: 'violet',
  task: 'orange',
  automation: 'grape',
  merge: 'pink',
  log: 'gray',
};

/** The kinds that are something the member did on a platform (a platform filter keeps them). */
const ON_PLATFORM: readonly TimelineKind[] = ['activity', 'question', 'answer'];
const isOnPlatform = (k: TimelineKind) => ON_PLATFORM.includes(k);

type KindFilter = TimelineKind | 'all';

interface Loaded {
  key: string;
  entries: TimelineEntry[];
  total: number;
  next: string;
  failed: boolean;
}

const loaded = (key: string, entries: TimelineEntry[], page: TimelinePage): Loaded => ({
  key,
  entries,
  total: page.total,
  next: page.next ?? '',
  failed: false,
});

/**
 * A member's story, newest first, a page at a time, beside where they stand: their level and
 * why, their activity by platform, their first and latest activity. Filters by kind of entry and
 * by platform. Everything an entry says about the member or a platform is untrusted: shown as
 * text, its link only if it is a web address.
 */
export function MemberStory({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [kind, setKind] = useState<KindFilter>('all');
  const [platform, setPlatform] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // The pages loaded for one query (key): shown only while that query is the current one, so
  // that a filter changed shows the loading state rather than the entries of the one before.
  const [story, setStory] = useState<Loaded | null>(null);
  const [summary, setSummary] = useState<TimelineSummary | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const key = JSON.stringify([memberId, kind, platform, version]);
  const current = story?.key === key ? story : null;
  const failed = current?.failed ?? false;
  const entries = current && !current.failed ? current.entries : null;
  const total = current?.total ?? 0;
  const next = current?.next ?? '';

  const query = useCallback(
    (after: string) => {
      const q: TimelineQuery = {
        ...(kind !== 'all' ? { kinds: [kind] } : {}),
        ...(platform ? { platform } : {}),
        ...(after ? { after } : {}),
        limit: STORY_PAGE,
      };
      return api.members.timeline(memberId, q);
    },
    [api, memberId, kind, platform],
  );

  useEffect(() => {
    let live = true;
    query('').then(
      (page) => {
        if (!live) return;
        setSummary(page.summary);
        setStory(loaded(key, page.entries, page));
      },
      (reason: unknown) => {
        if (!live) return;
        setStory({ key, entries: [], total: 0, next: '', failed: true });
        notifyError(reason);
      },
    );
    return () => {
      live = false;
    };
  }, [query, key]);

  // What changes about the member (an edit, a consent, a sync, a task) is told from its start.
  useEffect(() => {
    const reload = () => setVersion((v) => v + 1);
    const offs = [
      api.events.onMembersChanged((c) => {
        if (c.ids.includes(memberId)) reload();
      }),
      api.events.onConsentChanged((c) => {
        if (c.memberId === memberId) reload();
      }),
      api.events.onActivityChanged(reload),
      api.events.onTasksChanged(reload),
    ];
    return () => offs.forEach((off) => off());
  }, [api, memberId]);

  const loadMore = async () => {
    if (!current) return;
    setLoadingMore(true);
    try {
      const page = await query(next);
      // Appended only to the pages it continues: a filter changed meanwhile starts anew.
      setStory((s) =>
        s?.key === current.key ? loaded(s.key, [...s.entries, ...page.entries], page) : s,
      );
    } catch (reason) {
      notifyError(reason);
    } finally {
      setLoadingMore(false);
    }
  };

  // A platform filters what the member did there only (Go answers nothing else for one):
  // choosing another kind lets go of the platform, and choosing a platform lets go of another kind.
  const onPlatform = (k: KindFilter) => k === 'all' || isOnPlatform(k);
  const chooseKind = (k: KindFilter) => {
    setKind(k);
    if (!onPlatform(k)) setPlatform(null);
  };
  const choosePlatform = (p: string | null) => {
    setPlatform(p);
    if (p && !onPlatform(kind)) setKind('all');
  };

  const platforms = Object.keys(summary?.byPlatform ?? {}).sort();
  const filtered = kind !== 'all' || platform !== null;

  return (
    <Stack gap="md" data-testid="member-story">
      {summary ? <StandingCard summary={summary} /> : !failed && <Skeleton height={96} />}
      <Group gap="xs" justify="space-between" align="flex-end" wrap="wrap">
        <Chip.Group multiple={false} value={kind} onChange={(v) => chooseKind(v as KindFilter)}>
          <Group gap={6} role="radiogroup" aria-label={t('story.kindFilter')}>
            {(['all', ...TIMELINE_KINDS] as const).map((k) => (
              <Chip key={k} value={k} size="xs" data-testid={`story-kind-${k}`}>
                {k === 'all' ? t('story.all') : t(`story.kinds.${k}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {platforms.length > 0 && (
          <Select
            size="xs"
            w={180}
            aria-label={t('story.platform')}
            placeholder={t('story.allPlatforms')}
            clearable
            data={platforms.map((p) => ({
              value: p,
              label: `${platformLabel(t, p)} (${summary?.byPlatform[p] ?? 0})`,
            }))}
            value={platform}
            onChange={choosePlatform}
            data-testid="story-platform"
          />
        )}
      </Group>
      {failed ? (
        <Group gap="sm" data-testid="story-error">
          <Text size="sm" c="red">
            {t('story.failed')}
          </Text>
          <Button size="compact-sm" variant="default" onClick={() => setVersion((v) => v + 1)}>
            {t('story.retry')}
          </Button>
        </Group>
      ) : entries === null ? (
        <Stack gap="xs" data-testid="story-loading" aria-busy="true">
          <Skeleton height={40} />
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="story-empty">
          {t(filtered ? 'story.emptyFiltered' : 'story.empty')}
        </Text>
      ) : (
        <Stack gap={0} role="list" aria-label={t('story.tab')} data-testid="story-entries">
          {entries.map((e) => (
            <StoryEntry key={`${e.kind}/${e.id}`} entry={e} />
          ))}
        </Stack>
      )}
      {entries && entries.length > 0 && (
        <Stack gap={4} align="center">
          <Text size="xs" c="dimmed" data-testid="story-shown">
            {t('story.shown', { shown: entries.length, count: total })}
          </Text>
          {next && (
            <Button
              variant="default"
              size="xs"
              loading={loadingMore}
              onClick={() => void loadMore()}
              data-testid="story-more"
            >
              {t('story.loadMore')}
            </Button>
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** A platform's name; "manual" is activity a person added by hand. */
function platformLabel(t: TFunction, p: string): string {
  return p === 'manual' ? t('story.manual') : t(`platforms.${p}`, { defaultValue: p });
}

const levelName = (t: TFunction, level: number) =>
  t(`dashboard.levelNames.${level}`, { defaultValue: String(level) });

/** Where the member stands, and why: the numbers their level is worked out from. */
function StandingCard({ summary: s }: { summary: TimelineSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="story-summary">
      <Stack gap={4}>
        <Group gap="xs">
          <Badge
            variant="light"
            size="lg"
            color={s.counted ? undefined : 'gray'}
            data-testid="story-level"
            data-level={s.counted ? s.level : 'team'}
          >
            {s.counted ? levelName(t, s.level) : t('story.team')}
          </Badge>
        </Group>
        <Text size="sm" data-testid="story-why">
          {whyText(t, fmt, s)}
        </Text>
        <Text size="sm" c="dimmed" data-testid="story-activity">
          {s.activities === 0
            ? t('story.noActivity')
            : t('story.activity', {
                count: s.activities,
                platforms: Object.entries(s.byPlatform)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([p, n]) => `${platformLabel(t, p)} ${fmt.number(n)}`)
                  .join(', '),
              })}
        </Text>
        {s.firstActivity && s.lastActivity && (
          <Text size="sm" c="dimmed" data-testid="story-dates">
            {t('story.dates', {
              first: fmt.date(s.firstActivity),
              last: fmt.date(s.lastActivity),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** Why they are at their level: their score and presence, and what the level above asks. */
function whyText(t: TFunction, fmt: Formatters, s: TimelineSummary): string {
  if (!s.counted) return t('story.teammate');
  const why = t('story.why', {
    score: fmt.number(s.score),
    days: fmt.number(s.windowDays),
    count: s.activeDays,
  });
  const next = s.next
    ? t('story.next', {
        level: levelName(t, s.next.level),
        score: fmt.number(s.next.minScore),
        count: s.next.activeDays,
      })
    : t('story.top');
  return `${why} ${next}`;
}

/** What happened, in words. */
function what(t: TFunction, e: TimelineEntry): string {
  switch (e.kind) {
    case 'activity':
      return t(`sync.kinds.${e.what}`, { defaultValue: e.what });
    case 'question':
      return t('story.asked');
    case 'answer':
      return t('story.answered');
    case 'merge':
      return t(`story.merge.${e.what}`, {
        name: e.params?.name || t('story.anotherRecord'),
        defaultValue: e.what,
      });
    case 'consent':
      return t(`story.consent.${e.what}`, {
        purpose: purposeName(t, { id: e.title ?? '', name: '' }),
        defaultValue: `${e.what} ${e.title ?? ''}`,
      });
    case 'mail':
      return t(`story.mail.${e.what}`, { defaultValue: e.what });
    case 'task':
      return t(`story.task.${e.what}`, { defaultValue: e.what });
    case 'automation':
      return t(`story.step.${e.what}`, { defaultValue: e.what });
    case 'log':
      return t(`audit.actions.${e.what}`, { defaultValue: e.what });
  }
  return e.what;
}

/** Where it happened: the platform and channel of an activity, the automation of a step. */
function where(t: TFunction, e: TimelineEntry): string {
  if (e.kind === 'automation') return e.title ?? '';
  if (!isOnPlatform(e.kind)) return '';
  const c = (e.channel ?? '').trim();
  const channel = c === '' || /^\d+$/.test(c) ? '' : e.platform === 'discord' ? `#${c}` : c;
  return [platformLabel(t, e.platform ?? ''), channel].filter(Boolean).join(' · ');
}

/** The title and text beside it, as the entry's kind has them. */
function body(t: TFunction, e: TimelineEntry): { title: string; text: string } {
  switch (e.kind) {
    case 'activity':
    case 'question':
    case 'answer':
      return { title: e.title ?? '', text: e.text ?? '' };
    case 'merge':
      return { title: '', text: '' };
    case 'mail':
    case 'task':
      return { title: e.title ?? '', text: '' };
    case 'consent':
      return { title: '', text: e.text ?? '' };
    case 'automation':
      return { title: '', text: e.text ?? '' };
    case 'log':
      return {
        title: '',
        text: auditDetails(t, {
          id: e.id,
          at: e.at,
          actor: '',
          action: e.what,
          memberId: '',
          details: e.text ?? '',
          params: e.params,
        }),
      };
  }
  return { title: '', text: '' };
}

function StoryEntry({ entry: e }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const href = isOnPlatform(e.kind) ? safeHref(e.link ?? '') : undefined;
  const place = where(t, e);
  const { title, text } = body(t, e);
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      py={8}
      role="listitem"
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      data-testid="story-entry"
      data-kind={e.kind}
      data-at={e.at}
    >
      <Badge
        size="xs"
        variant="light"
        color={KIND_COLORS[e.kind] ?? 'gray'}
        w={92}
        style={{ flex: 'none' }}
      >
        {t(`story.kinds.${e.kind}`, { defaultValue: e.kind })}
      </Badge>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} data-testid="story-what">
            {what(t, e)}
          </Text>
          {place && (
            <Text size="xs" c="dimmed" truncate data-testid="story-where">
              {place}
            </Text>
          )}
          <Text
            size="xs"
            c="dimmed"
            style={{ flex: 'none', marginLeft: 'auto' }}
            data-testid="story-at"
          >
            {fmt.dateTime(e.at)}
          </Text>
        </Group>
        {title && (
          <Text size="sm" fw={500} data-testid="story-title" style={{ wordBreak: 'break-word' }}>
            {title}
          </Text>
        )}
        {text && (
          <Text
            size="sm"
            c={isOnPlatform(e.kind) ? undefined : 'dimmed'}
            lineClamp={3}
            data-testid="story-text"
            style={{ wordBreak: 'break-word' }}
          >
            {text}
          </Text>
        )}
        {href && (
          <Anchor
            href={href}
            target="_blank"
            rel="noopener noreferrer"
            size="xs"
            title={href}
            data-testid="story-link"
          >
            {t('story.openLink')}
          </Anchor>
        )}
      </div>
    </Group>
  );
}
