import type { TFunction } from 'i18next';
import type { Step, Trigger } from '../../api';

/**
 * "When a member gets the tag speaker"; a segment trigger names the segment through
 * `segmentName` (its id → its name).
 */
export function triggerText(
  t: TFunction,
  tr: Trigger,
  segmentName: (id: string) => string | undefined = () => undefined,
): string {
  return t(`automation.triggers.${tr.kind}`, {
    segment: tr.segment ? (segmentName(tr.segment) ?? t('segmentSelect.gone')) : '',
    tag: tr.tag ?? '',
    purpose: tr.purpose ?? '',
    field: tr.field ?? '',
    days: tr.days ?? 0,
    defaultValue: tr.kind,
  });
}

/** "Wait 3 days", "Send “Welcome”", "Add tag x", … */
export function stepText(t: TFunction, s: Step | undefined): string {
  if (!s) return t('automation.finished');
  return t(`automation.stepText.${s.kind}`, {
    count: s.days ?? s.taskDueDays ?? 0,
    subject: s.subject ?? '',
    tag: s.tag ?? '',
    title: s.taskTitle ?? '',
    defaultValue: s.kind,
  });
}
