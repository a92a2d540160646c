import {
  Badge,
  Button,
  CloseButton,
  Group,
  Kbd,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, Segment, SortKey } from '../../api';
import { IconPlus, IconSearch } from '../../components/icons';
import { useShortcuts } from '../../components/useShortcuts';
import { ExportMenu } from '../export/ExportMenu';
import { ImportWizard } from '../import/ImportWizard';
import { MemberDrawer, type Editing } from './MemberDrawer';
import { MergeSuggestions } from './MergeSuggestions';
import { MembersTable, type Sort } from './MembersTable';
import { SegmentsPanel } from './SegmentsPanel';
import { useMemberPages } from './useMemberPages';
import { useMemberTags } from './useMemberTags';

export const SEARCH_DEBOUNCE_MS = 150;

/** Dates sort newest first on the first click; text sorts A→Z. */
const firstDirectionIsDesc = (key: SortKey) => key === 'created' || key === 'updated';

export function MembersScreen() {
  const { t } = useTranslation();
  const searchRef = useRef<HTMLInputElement>(null);
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText.trim(), SEARCH_DEBOUNCE_MS);
  const [tag, setTag] = useState<string | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'name', desc: false });
  const [editing, setEditing] = useState<Editing>(null);
  const [importing, setImporting] = useState(false);
  const [segment, setSegment] = useState<Segment | null>(null);
  const [segmentsOpen, setSegmentsOpen] = useState(false);

  const query = useMemo(
    () => ({ search, tag: tag ?? '', sort: sort.key, desc: sort.desc, segment: segment?.id ?? '' }),
    [search, tag, sort, segment],
  );
  const pages = useMemberPages(query);
  const tags = useMemberTags();
  const filtered = query.search !== '' || query.tag !== '' || query.segment !== '';

  const openNew = useCallback(() => setEditing({ mode: 'new' }), []);
  const openMember = useCallback((id: string) => setEditing({ mode: 'edit', id }), []);
  const close = useCallback(() => setEditing(null), []);

  useShortcuts(
    { '/': () => searchRef.current?.focus(), n: openNew },
    editing === null && !importing && !segmentsOpen,
  );

  const onSort = (key: SortKey) =>
    setSort((s) =>
      s.key === key ? { key, desc: !s.desc } : { key, desc: firstDirectionIsDesc(key) },
    );

  return (
    <Stack gap="sm" flex={1} mih={0} data-testid="screen-members">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2}>{t('nav.members')}</Title>
          <Text c="dimmed" size="sm" data-testid="members-count" aria-live="polite">
            {pages.total === null ? (
              <Skeleton component="span" display="inline-block" height={12} width={100} />
            ) : (
              t(filtered ? 'members.countFiltered' : 'members.count', { count: pages.total })
            )}
          </Text>
        </div>
        <Group gap="sm">
          <MergeSuggestions />
          <Button
            variant="default"
            onClick={() => setSegmentsOpen(true)}
            data-testid="members-segments"
          >
            {t('segments.button')}
          </Button>
          <Button variant="default" onClick={() => setImporting(true)} data-testid="members-import">
            {t('import.button')}
          </Button>
          <ExportMenu search={query.search} tag={query.tag} segment={query.segment} />
          <Tooltip label={t('members.newShortcut')} openDelay={500}>
            <Button leftSection={<IconPlus size={16} />} onClick={openNew} data-testid="member-new">
              {t('members.new')}
            </Button>
          </Tooltip>
        </Group>
      </Group>

      <Group gap="sm" wrap="wrap">
        <TextInput
          ref={searchRef}
          type="search"
          style={{ flex: '1 1 280px' }}
          aria-label={t('members.searchLabel')}
          placeholder={t('members.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          rightSection={searchText === '' ? <Kbd size="xs">/</Kbd> : undefined}
          rightSectionPointerEvents="none"
          data-testid="members-search"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setSearchText('');
              e.currentTarget.blur();
            }
          }}
        />
        <Select
          style={{ flex: '0 1 240px' }}
          aria-label={t('members.tagFilterLabel')}
          placeholder={t('members.tagFilterPlaceholder')}
          data-testid="members-tag-filter"
          data={tags.map((x) => ({
            value: x.tag,
            label: t('members.tagOption', { tag: x.tag, count: x.count }),
          }))}
          value={tag}
          onChange={setTag}
          clearable
          searchable
          nothingFoundMessage="—"
        />
        {segment && (
          <Badge
            size="lg"
            variant="light"
            tt="none"
            data-testid="members-segment-active"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={t('segments.clear')}
                onClick={() => setSegment(null)}
                data-testid="members-segment-clear"
              />
            }
          >
            {t('segments.filter', { name: segment.name })}
          </Badge>
        )}
      </Group>

      <MembersTable
        pages={pages}
        sort={sort}
        onSort={onSort}
        onOpen={(m: Member) => openMember(m.id)}
        emptyText={filtered ? t('members.noMatch') : t('members.empty')}
        queryKey={JSON.stringify(query)}
      />

      <MemberDrawer
        editing={editing}
        allTags={tags.map((x) => x.tag)}
        onClose={close}
        onOpenMember={openMember}
      />

      <SegmentsPanel
        opened={segmentsOpen}
        onClose={() => setSegmentsOpen(false)}
        active={segment}
        onChoose={setSegment}
      />

      {importing && <ImportWizard onClose={() => setImporting(false)} />}
    </Stack>
  );
}
