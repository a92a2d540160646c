import { Badge, Center, Group, Skeleton, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, SortKey } from '../../api';
import { IconSortDown, IconSortUp } from '../../components/icons';
import { usePaintedOnce } from '../../components/usePaintedOnce';
import { useFormat, type Formatters } from '../../i18n/format';
import { displayName } from './displayName';
import classes from './MembersTable.module.css';
import type { MemberPages } from './useMemberPages';

export const ROW_HEIGHT = 44;
const MAX_TAGS_SHOWN = 3;

export interface Sort {
  key: SortKey;
  desc: boolean;
}

interface Props {
  pages: MemberPages;
  sort: Sort;
  onSort(key: SortKey): void;
  onOpen(member: Member): void;
  /** Shown when there are no rows. */
  emptyText: string;
  /** Changes when the query changes, to scroll back to the top. */
  queryKey: string;
}

type Column = { key: string; sortKey?: SortKey };
const COLUMNS: Column[] = [
  { key: 'name', sortKey: 'name' },
  { key: 'email', sortKey: 'email' },
  { key: 'tags' },
  { key: 'created', sortKey: 'created' },
  { key: 'updated', sortKey: 'updated' },
];

/** A virtualised, block-paged table: only the rows in view exist in the DOM. */
export function MembersTable({ pages, sort, onSort, onOpen, emptyText, queryKey }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;

  // Not memoised by the React Compiler (we do not use it); re-renders drive it as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  const { ensure } = pages;
  useEffect(() => {
    if (count > 0) ensure(first, last);
  }, [ensure, first, last, count]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  usePaintedOnce('members', items.length > 0 && pages.row(first) !== undefined);

  const onRowKey = (e: KeyboardEvent, m: Member) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(m);
    }
  };

  return (
    <div
      className={classes.frame}
      role="table"
      aria-label={t('members.tableLabel')}
      aria-rowcount={count + 1}
      data-testid="members-table"
    >
      <div className={`${classes.grid} ${classes.head}`} role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <HeaderCell key={c.key} column={c} sort={sort} onSort={onSort} />
        ))}
      </div>
      <div ref={scrollRef} className={classes.body} role="rowgroup">
        {pages.total === 0 ? (
          <Center h="100%" p="xl">
            <Text c="dimmed">{emptyText}</Text>
          </Center>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const m = pages.row(item.index);
              const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
              return m ? (
                <div
                  key={m.id}
                  className={`${classes.grid} ${classes.row}`}
                  style={style}
                  role="row"
                  aria-rowindex={item.index + 2}
                  tabIndex={0}
                  data-testid="member-row"
                  data-member-id={m.id}
                  onClick={() => onOpen(m)}
                  onKeyDown={(e) => onRowKey(e, m)}
                >
                  <MemberCells member={m} fmt={fmt} />
                </div>
              ) : (
                <div
                  key={`placeholder-${item.index}`}
                  className={`${classes.grid} ${classes.row} ${classes.placeholder}`}
                  style={style}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-busy="true"
                  data-testid="member-row-placeholder"
                >
                  {COLUMNS.map((c) => (
                    <div key={c.key} role="cell" aria-label={t('members.loadingRow')}>
                      <Skeleton height={10} width="70%" radius="sm" />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

function HeaderCell({
  column,
  sort,
  onSort,
}: {
  column: Column;
  sort: Sort;
  onSort(k: SortKey): void;
}) {
  const { t } = useTranslation();
  const label = t(`members.columns.${column.key}`);
  const { sortKey } = column;
  if (!sortKey) {
    return (
      <div role="columnheader" className={classes.cell}>
        {label}
      </div>
    );
  }
  const active = sort.key === sortKey;
  return (
    <div
      role="columnheader"
      className={classes.cell}
      aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className={classes.sortButton}
        onClick={() => onSort(sortKey)}
        title={t('members.sortBy', { column: label })}
        data-testid={`members-sort-${sortKey}`}
      >
        {label}
        {active && (sort.desc ? <IconSortDown size={14} /> : <IconSortUp size={14} />)}
      </button>
    </div>
  );
}

function MemberCells({ member, fmt }: { member: Member; fmt: Formatters }) {
  const { t } = useTranslation();
  const primary = member.emails[0] ?? '';
  const extra = member.tags.length - MAX_TAGS_SHOWN;
  return (
    <>
      <div role="cell" className={classes.cell}>
        <Text span inherit fw={500} fs={member.name.trim() ? undefined : 'italic'}>
          {displayName(member)}
        </Text>
      </div>
      <div role="cell" className={classes.cell}>
        <Text span inherit c="dimmed">
          {primary}
        </Text>
      </div>
      <div role="cell" className={classes.cell}>
        <Group gap={4} wrap="nowrap">
          {member.tags.slice(0, MAX_TAGS_SHOWN).map((tag) => (
            <Badge
              key={tag}
              size="sm"
              variant="light"
              tt="none"
              style={{ flexShrink: 1, minWidth: 0 }}
            >
              {tag}
            </Badge>
          ))}
          {extra > 0 && (
            <Badge
              size="sm"
              variant="outline"
              color="gray"
              tt="none"
              title={member.tags.join(', ')}
            >
              {t('members.moreTags', { count: extra })}
            </Badge>
          )}
        </Group>
      </div>
      <div role="cell" className={classes.cell}>
        {fmt.date(member.createdAt)}
      </div>
      <div role="cell" className={classes.cell}>
        {fmt.date(member.updatedAt)}
      </div>
    </>
  );
}
