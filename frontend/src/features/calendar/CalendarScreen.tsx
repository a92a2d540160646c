import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Occurrence, type RescheduleScope } from '../../api';
import { IconPlus } from '../../components/icons';
import { notifyError } from '../../components/notifyError';
import { useShortcuts } from '../../components/useShortcuts';
import { toRfc3339, userTimeZone } from '../../i18n/zoned';
import { LIST_DAYS, dayKey, moveTo, step, viewRange, type CalendarView } from './dates';
import { ItemEditor, type EditingItem } from './ItemEditor';
import { RescheduleModal, type PendingMove } from './RescheduleModal';
import { ListView, MonthView, WeekView, type DropTarget, type ViewProps } from './views';

const VIEWS: CalendarView[] = ['month', 'week', 'list'];

/** Month, week and list views of the content calendar, in the user's zone. */
export function CalendarScreen() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [view, setView] = useState<CalendarView>('month');
  const [anchor, setAnchor] = useState(() => new Date());
  const { from, to } = useMemo(() => viewRange(view, anchor), [view, anchor]);
  const [occurrences, setOccurrences] = useState<Occurrence[] | null>(null);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<EditingItem>(null);
  const [pending, setPending] = useState<PendingMove | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const dragging = useRef<Occurrence | null>(null);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const closeEditor = useCallback(() => setEditing(null), []);

  useEffect(() => {
    let live = true;
    api.calendar
      .list(from.toISOString(), to.toISOString())
      .then((list) => live && setOccurrences(list), notifyError);
    return () => {
      live = false;
    };
  }, [api, from, to, version]);
  useEffect(() => api.events.onCalendarChanged(reload), [api, reload]);

  const lng = i18n.resolvedLanguage;
  const timeFmt = useMemo(
    () => new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit' }),
    [lng],
  );
  const longFmt = useMemo(
    () => new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }),
    [lng],
  );

  const byDay = useMemo(() => {
    const map = new Map<string, Occurrence[]>();
    for (const o of occurrences ?? []) {
      const key = dayKey(new Date(o.at));
      const list = map.get(key) ?? [];
      list.push(o);
      map.set(key, list);
    }
    return map;
  }, [occurrences]);

  const move = useCallback(
    async (o: Occurrence, newAt: Date, scope: RescheduleScope) => {
      const at = toRfc3339(newAt, o.timeZone || userTimeZone());
      // Show the move at once; the reload that follows the call has the last word.
      setOccurrences((list) =>
        (list ?? []).map((x) =>
          x.itemId === o.itemId && x.original === o.original ? { ...x, at, moved: true } : x,
        ),
      );
      try {
        await api.calendar.reschedule(o.itemId, o.original, at, scope);
        notifications.show({
          color: 'green',
          message: t(
            scope === 'series' && o.recurring ? 'calendar.movedSeries' : 'calendar.moved',
            {
              title: o.title,
              date: longFmt.format(newAt),
            },
          ),
        });
      } catch (reason) {
        notifyError(reason);
      } finally {
        reload();
      }
    },
    [api, longFmt, reload, t],
  );

  const dropTarget = useCallback(
    (key: string, hour?: number): DropTarget => {
      const id = hour === undefined ? key : `${key}T${hour}`;
      return {
        'data-drop-over': over === id || undefined,
        onDragOver: (e: DragEvent) => {
          if (!dragging.current) return;
          e.preventDefault();
          if (over !== id) setOver(id);
        },
        onDragLeave: () => setOver((o) => (o === id ? null : o)),
        onDrop: (e: DragEvent) => {
          e.preventDefault();
          setOver(null);
          const o = dragging.current;
          dragging.current = null;
          if (!o) return;
          const current = new Date(o.at);
          const newAt = moveTo(current, key, hour);
          if (newAt.getTime() === current.getTime()) return;
          if (o.recurring) setPending({ occurrence: o, newAt });
          else void move(o, newAt, 'one');
        },
      };
    },
    [move, over],
  );

  const openNew = useCallback((key?: string) => {
    const at = key ? moveTo(new Date(new Date().setHours(10, 0, 0, 0)), key) : undefined;
    setEditing({ mode: 'new', at });
  }, []);
  useShortcuts({ n: () => openNew() }, editing === null && pending === null);

  const viewProps: ViewProps = {
    from,
    byDay,
    time: (o) => timeFmt.format(new Date(o.at)),
    onOpen: (o) => setEditing({ mode: 'edit', id: o.itemId }),
    onDragStart: (o) => {
      dragging.current = o;
    },
    onDragEnd: () => {
      setOver(null);
    },
    dropTarget,
  };

  const title = useMemo(() => {
    if (view === 'month')
      return new Intl.DateTimeFormat(lng, { month: 'long', year: 'numeric' }).format(anchor);
    const range = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
    const last = new Date(to.getTime() - 1);
    return range.formatRange ? range.formatRange(from, last) : range.format(from);
  }, [view, anchor, from, to, lng]);

  return (
    <Stack gap="sm" flex={1} mih={0} data-testid="screen-calendar">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2}>{t('nav.calendar')}</Title>
          <Text c="dimmed" size="sm">
            {t('calendar.zone', { zone: userTimeZone() })}
          </Text>
        </div>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => openNew()}
          data-testid="calendar-new"
        >
          {t('calendar.new')}
        </Button>
      </Group>

      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs">
          <Button.Group>
            <Button
              variant="default"
              onClick={() => setAnchor((a) => step(view, a, -1))}
              aria-label={t('calendar.prev')}
              data-testid="calendar-prev"
            >
              ‹
            </Button>
            <Button
              variant="default"
              onClick={() => setAnchor(new Date())}
              data-testid="calendar-today"
            >
              {t('calendar.today')}
            </Button>
            <Button
              variant="default"
              onClick={() => setAnchor((a) => step(view, a, 1))}
              aria-label={t('calendar.next')}
              data-testid="calendar-next"
            >
              ›
            </Button>
          </Button.Group>
          <Text fw={600} data-testid="calendar-title" aria-live="polite">
            {title}
          </Text>
          {occurrences === null && <Loader size="xs" />}
        </Group>
        <Button.Group aria-label={t('calendar.viewLabel')}>
          {VIEWS.map((v) => (
            <Button
              key={v}
              variant={v === view ? 'filled' : 'default'}
              aria-pressed={v === view}
              onClick={() => setView(v)}
              data-testid={`calendar-view-${v}`}
            >
              {t(`calendar.view.${v}`)}
            </Button>
          ))}
        </Button.Group>
      </Group>

      {view === 'month' && <MonthView {...viewProps} month={anchor.getMonth()} onNew={openNew} />}
      {view === 'week' && <WeekView {...viewProps} />}
      {view === 'list' && <ListView {...viewProps} count={LIST_DAYS} onNew={openNew} />}

      <ItemEditor editing={editing} onClose={closeEditor} onSaved={reload} />
      <RescheduleModal
        pending={pending}
        when={pending ? longFmt.format(pending.newAt) : ''}
        onClose={() => setPending(null)}
        onChoose={(scope) => {
          if (pending) void move(pending.occurrence, pending.newAt, scope);
          setPending(null);
        }}
      />
    </Stack>
  );
}
