import { Box, Button, Group, Paper, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Occurrence } from '../../api';
import { addDays, dayKey, days } from './dates';
import { OccurrenceChip } from './OccurrenceChip';

/** What every view needs from the screen. */
export interface ViewProps {
  from: Date;
  /** Occurrences by day (YYYY-MM-DD in the user's zone). */
  byDay: Map<string, Occurrence[]>;
  /** Formats an occurrence's time in the user's zone. */
  time(o: Occurrence): string;
  onOpen(o: Occurrence): void;
  onDragStart(o: Occurrence): void;
  onDragEnd(): void;
  /** Drop handlers for a day (and an hour, in the week view). */
  dropTarget(key: string, hour?: number): DropTarget;
}

export interface DropTarget {
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
  'data-drop-over'?: boolean;
}

const MAX_CHIPS = 4;

function useWeekdayNames(from: Date): string[] {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(i18n.resolvedLanguage, { weekday: 'short' });
    return days(from, 7).map((d) => fmt.format(d));
  }, [from, i18n.resolvedLanguage]);
}

const dropStyle = (over: boolean | undefined) =>
  over ? { outline: '2px dashed var(--mantine-color-orange-5)', outlineOffset: -2 } : undefined;

function Chips({ list, view, limit }: { list: Occurrence[]; view: ViewProps; limit?: number }) {
  const { t } = useTranslation();
  const shown = limit ? list.slice(0, limit) : list;
  return (
    <Stack gap={2}>
      {shown.map((o) => (
        <OccurrenceChip
          key={`${o.itemId}@${o.original}`}
          occurrence={o}
          time={view.time(o)}
          onOpen={view.onOpen}
          onDragStart={view.onDragStart}
          onDragEnd={view.onDragEnd}
        />
      ))}
      {list.length > shown.length && (
        <Text size="xs" c="dimmed">
          {t('calendar.more', { count: list.length - shown.length })}
        </Text>
      )}
    </Stack>
  );
}

export function MonthView(props: ViewProps & { month: number; onNew(key: string): void }) {
  const { from, byDay, month } = props;
  const names = useWeekdayNames(from);
  const today = dayKey(new Date());
  return (
    <Stack gap={4} data-testid="calendar-month" flex={1} mih={0} style={{ overflowY: 'auto' }}>
      <SimpleGrid cols={7} spacing={4}>
        {names.map((n) => (
          <Text key={n} size="xs" c="dimmed" ta="center" fw={600}>
            {n}
          </Text>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={7} spacing={4} verticalSpacing={4}>
        {days(from, 42).map((d) => {
          const key = dayKey(d);
          const drop = props.dropTarget(key);
          return (
            <Paper
              key={key}
              withBorder
              p={4}
              radius="sm"
              mih={96}
              data-testid={`calendar-day-${key}`}
              bg={d.getMonth() !== month ? 'var(--mantine-color-default-hover)' : undefined}
              style={dropStyle(drop['data-drop-over'])}
              {...drop}
              onDoubleClick={() => props.onNew(key)}
            >
              <Text
                size="xs"
                fw={key === today ? 700 : 400}
                c={key === today ? 'orange.7' : d.getMonth() !== month ? 'dimmed' : undefined}
                mb={2}
              >
                {d.getDate()}
              </Text>
              <Chips list={byDay.get(key) ?? []} view={props} limit={MAX_CHIPS} />
            </Paper>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

/** Day headers stay in view while the hours scroll. */
const STICKY = {
  position: 'sticky',
  top: 0,
  zIndex: 2,
  background: 'var(--mantine-color-body)',
} as const;

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const FIRST_HOUR_SHOWN = 7;

export function WeekView(props: ViewProps) {
  const { from, byDay } = props;
  const { i18n } = useTranslation();
  const names = useWeekdayNames(from);
  const hourFmt = useMemo(
    () => new Intl.DateTimeFormat(i18n.resolvedLanguage, { hour: 'numeric' }),
    [i18n.resolvedLanguage],
  );
  const week = days(from, 7);
  const today = dayKey(new Date());
  const viewport = useRef<HTMLDivElement>(null);
  // Open on the working day rather than at midnight.
  useEffect(() => {
    const row = viewport.current?.querySelector<HTMLElement>(`[data-hour="${FIRST_HOUR_SHOWN}"]`);
    if (row) viewport.current?.scrollTo({ top: row.offsetTop });
  }, []);
  return (
    <ScrollArea flex={1} mih={0} viewportRef={viewport} data-testid="calendar-week">
      <Box
        style={{ display: 'grid', gridTemplateColumns: '56px repeat(7, minmax(0, 1fr))', gap: 2 }}
      >
        <div style={STICKY} />
        {week.map((d, i) => (
          <Text
            key={dayKey(d)}
            style={STICKY}
            size="xs"
            ta="center"
            fw={dayKey(d) === today ? 700 : 600}
            c={dayKey(d) === today ? 'orange.7' : 'dimmed'}
          >
            {names[i]} {d.getDate()}
          </Text>
        ))}
        {HOURS.map((h) => (
          <HourRow
            key={h}
            hour={h}
            label={hourFmt.format(new Date(2000, 0, 1, h))}
            week={week}
            byDay={byDay}
            view={props}
          />
        ))}
      </Box>
    </ScrollArea>
  );
}

function HourRow({
  hour,
  label,
  week,
  byDay,
  view,
}: {
  hour: number;
  label: string;
  week: Date[];
  byDay: Map<string, Occurrence[]>;
  view: ViewProps;
}) {
  return (
    <>
      <Text size="xs" c="dimmed" ta="right" pr={4} data-hour={hour}>
        {label}
      </Text>
      {week.map((d) => {
        const key = dayKey(d);
        const list = (byDay.get(key) ?? []).filter((o) => new Date(o.at).getHours() === hour);
        const drop = view.dropTarget(key, hour);
        return (
          <Paper
            key={key}
            withBorder
            radius={0}
            p={2}
            mih={36}
            data-testid={`calendar-slot-${key}-${String(hour).padStart(2, '0')}`}
            data-day={key}
            style={dropStyle(drop['data-drop-over'])}
            {...drop}
          >
            <Chips list={list} view={view} />
          </Paper>
        );
      })}
    </>
  );
}

export function ListView(props: ViewProps & { count: number; onNew(key: string): void }) {
  const { t, i18n } = useTranslation();
  const { from, byDay } = props;
  const dayFmt = useMemo(
    () => new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'full' }),
    [i18n.resolvedLanguage],
  );
  const withItems = days(from, props.count).filter((d) => (byDay.get(dayKey(d)) ?? []).length > 0);
  return (
    <ScrollArea flex={1} mih={0} data-testid="calendar-list">
      {withItems.length === 0 ? (
        <Text c="dimmed" py="lg">
          {t('calendar.listEmpty', { date: dayFmt.format(addDays(from, props.count - 1)) })}
        </Text>
      ) : (
        <Stack gap="md">
          {withItems.map((d) => {
            const key = dayKey(d);
            return (
              <div key={key} data-testid={`calendar-day-${key}`} {...props.dropTarget(key)}>
                <Group justify="space-between" mb={4}>
                  <Text fw={600} size="sm">
                    {dayFmt.format(d)}
                  </Text>
                  <Button size="compact-xs" variant="subtle" onClick={() => props.onNew(key)}>
                    {t('calendar.addHere')}
                  </Button>
                </Group>
                <Chips list={byDay.get(key) ?? []} view={props} />
              </div>
            );
          })}
        </Stack>
      )}
    </ScrollArea>
  );
}
