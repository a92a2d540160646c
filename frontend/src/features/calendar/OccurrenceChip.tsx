import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Occurrence } from '../../api';
import { STATUS_COLORS } from './status';

interface Props {
  occurrence: Occurrence;
  /** Time as shown (user's zone). */
  time: string;
  onOpen(o: Occurrence): void;
  onDragStart(o: Occurrence): void;
  onDragEnd(): void;
}

/** One occurrence on the grid: click to edit, drag to another day or hour to move. */
export function OccurrenceChip({ occurrence: o, time, onOpen, onDragStart, onDragEnd }: Props) {
  const { t } = useTranslation();
  const status = t(`calendar.status.${o.status}`, { defaultValue: o.status });
  return (
    <Tooltip
      label={`${time} · ${o.title} · ${status}${o.recurring ? ` · ${t('calendar.recurring')}` : ''}`}
      openDelay={400}
      withinPortal
    >
      <Badge
        component="button"
        type="button"
        draggable
        fullWidth
        radius="sm"
        variant="light"
        color={STATUS_COLORS[o.status] ?? 'gray'}
        data-testid="calendar-item"
        data-item-id={o.itemId}
        data-occurrence={o.original}
        data-status={o.status}
        tt="none"
        fw={500}
        style={{ cursor: 'grab', justifyContent: 'flex-start' }}
        onClick={(e) => {
          e.stopPropagation();
          onOpen(o);
        }}
        onDragStart={(e) => {
          try {
            e.dataTransfer.effectAllowed = 'move';
            e.dataTransfer.setData('text/plain', `${o.itemId}@${o.original}`);
          } catch {
            // Synthetic drags (tests) have no data transfer; the screen keeps the item itself.
          }
          onDragStart(o);
        }}
        onDragEnd={onDragEnd}
      >
        {time} {o.recurring ? '↻ ' : ''}
        {o.title}
      </Badge>
    </Tooltip>
  );
}
