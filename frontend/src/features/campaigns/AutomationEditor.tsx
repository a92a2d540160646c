import {
  ActionIcon,
  Alert,
  Button,
  Drawer,
  Group,
  Input,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  STEP_KINDS,
  TRIGGER_KINDS,
  useApi,
  type Automation,
  type AutomationInput,
  type FieldError,
  type Step,
  type StepKind,
  type Trigger,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { SegmentSelect } from '../../components/SegmentSelect';
import { IconSortDown, IconSortUp, IconTrash } from '../../components/icons';
import { errorProp } from '../members/errorProp';

interface Props {
  editing: Automation | 'new' | null;
  onClose(): void;
  onSaved(a: Automation): void;
}

const blank: AutomationInput = {
  id: '',
  name: '',
  trigger: { kind: 'member_created' },
  steps: [{ id: '', kind: 'send_email', subject: '', bodyMarkdown: '' }],
};

const newStep = (kind: StepKind): Step => {
  switch (kind) {
    case 'wait':
      return { id: '', kind, days: 3 };
    case 'send_email':
      return { id: '', kind, subject: '', bodyMarkdown: '' };
    case 'create_task':
      return { id: '', kind, taskTitle: '', taskDueDays: 1 };
    default:
      return { id: '', kind, tag: '' };
  }
};

const toInt = (v: string | number) => (typeof v === 'number' ? v : Number.parseInt(v, 10) || 0);

/** Local checks, with the Go side's paths and codes. */
function validate(a: AutomationInput): FieldError[] {
  const errs: FieldError[] = [];
  if (a.name.trim() === '') errs.push({ field: 'name', code: 'required' });
  if (a.trigger.kind === 'tag_added' && !a.trigger.tag?.trim())
    errs.push({ field: 'trigger.tag', code: 'required' });
  if (a.trigger.kind === 'consent_granted' && !a.trigger.purpose?.trim())
    errs.push({ field: 'trigger.purpose', code: 'required' });
  if (
    (a.trigger.kind === 'segment_entered' || a.trigger.kind === 'segment_left') &&
    !a.trigger.segment
  )
    errs.push({ field: 'trigger.segment', code: 'required' });
  if (a.steps.length === 0) errs.push({ field: 'steps', code: 'required' });
  a.steps.forEach((s, i) => {
    const f = (name: string) => `steps[${i}].${name}`;
    if (s.kind === 'wait' && !((s.days ?? 0) >= 1))
      errs.push({ field: f('days'), code: 'min', params: { min: '1' } });
    if (s.kind === 'send_email' && !s.subject?.trim())
      errs.push({ field: f('subject'), code: 'required' });
    if ((s.kind === 'add_tag' || s.kind === 'remove_tag') && !s.tag?.trim())
      errs.push({ field: f('tag'), code: 'required' });
    if (s.kind === 'create_task' && !s.taskTitle?.trim())
      errs.push({ field: f('taskTitle'), code: 'required' });
  });
  return errs;
}

const group = (errs: FieldError[]) => {
  const out: Record<string, FieldError[]> = {};
  for (const e of errs) (out[e.field] ??= []).push(e);
  return out;
};

/** Trigger and ordered steps of an automation. */
export function AutomationEditor({ editing, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={editing !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={editing === 'new' ? t('automation.titleNew') : t('automation.titleEdit')}
    >
      {editing !== null && (
        <AutomationForm
          key={editing === 'new' ? 'new' : editing.id + editing.updatedAt}
          initial={
            editing === 'new'
              ? structuredClone(blank)
              : {
                  id: editing.id,
                  name: editing.name,
                  trigger: editing.trigger,
                  steps: editing.steps,
                }
          }
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Drawer>
  );
}

function AutomationForm({
  initial,
  onClose,
  onSaved,
}: {
  initial: AutomationInput;
  onClose(): void;
  onSaved(a: Automation): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [values, setValues] = useState<AutomationInput>(initial);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  const setTrigger = (patch: Partial<Trigger>) =>
    setValues((v) => ({ ...v, trigger: { ...v.trigger, ...patch } }));
  const setStep = (i: number, patch: Partial<Step>) =>
    setValues((v) => ({ ...v, steps: v.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const moveStep = (i: number, dir: -1 | 1) =>
    setValues((v) => {
      const steps = [...v.steps];
      const [s] = steps.splice(i, 1);
      if (s) steps.splice(i + dir, 0, s);
      return { ...v, steps };
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validate(values);
    if (local.length > 0) {
      setErrors(group(local));
      return;
    }
    setSaving(true);
    try {
      const saved = await api.automations.save({ ...values, name: values.name.trim() });
      notifications.show({ color: 'green', message: t('automation.saved', { name: saved.name }) });
      onSaved(saved);
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const err = (path: string) => errorProp(errors[path] ?? []);
  const tr = values.trigger;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="automation-editor">
      <Stack gap="md">
        {Object.keys(errors).length > 0 && (
          <Alert color="red" variant="light" py="xs" role="alert">
            {t('form.fixErrors')}
            {errors.steps && <Input.Error component="div">{err('steps')}</Input.Error>}
          </Alert>
        )}
        <TextInput
          label={t('automation.name')}
          required
          data-testid="automation-name"
          value={values.name}
          onChange={(e) => setValues((v) => ({ ...v, name: e.currentTarget.value }))}
          error={err('name')}
        />
        <Paper withBorder p="sm" radius="md">
          <Stack gap="xs">
            <Select
              label={t('automation.trigger')}
              allowDeselect={false}
              data-testid="automation-trigger"
              data={TRIGGER_KINDS.map((k) => ({
                value: k,
                label: t(`automation.triggerKinds.${k}`),
              }))}
              value={tr.kind}
              onChange={(k) => k && setTrigger({ kind: k as Trigger['kind'] })}
            />
            {tr.kind === 'tag_added' && (
              <TextInput
                label={t('automation.tag')}
                value={tr.tag ?? ''}
                onChange={(e) => setTrigger({ tag: e.currentTarget.value })}
                error={err('trigger.tag')}
              />
            )}
            {tr.kind === 'consent_granted' && (
              <TextInput
                label={t('automation.purpose')}
                value={tr.purpose ?? ''}
                onChange={(e) => setTrigger({ purpose: e.currentTarget.value })}
                error={err('trigger.purpose')}
              />
            )}
            {(tr.kind === 'segment_entered' || tr.kind === 'segment_left') && (
              <SegmentSelect
                label={t('automation.segment')}
                description={t('automation.segmentHint')}
                value={tr.segment ?? ''}
                onChange={(segment) => setTrigger({ segment })}
                error={err('trigger.segment')}
                data-testid="automation-segment"
              />
            )}
            {tr.kind === 'date_anniversary' && (
              <Group grow>
                <TextInput
                  label={t('automation.field')}
                  description={t('automation.fieldHint')}
                  value={tr.field ?? 'createdAt'}
                  onChange={(e) => setTrigger({ field: e.currentTarget.value })}
                  error={err('trigger.field')}
                />
                <NumberInput
                  label={t('automation.offsetDays')}
                  allowDecimal={false}
                  value={tr.days ?? 0}
                  onChange={(v) => setTrigger({ days: toInt(v) })}
                />
              </Group>
            )}
          </Stack>
        </Paper>

        <Text fw={600} size="sm">
          {t('automation.steps')}
        </Text>
        {values.steps.map((s, i) => (
          <Paper key={i} withBorder p="sm" radius="md" data-testid="automation-step">
            <Group justify="space-between" mb="xs" wrap="nowrap">
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={600}>
                  {i + 1}.
                </Text>
                <Select
                  aria-label={t('automation.stepKind')}
                  allowDeselect={false}
                  size="xs"
                  data={STEP_KINDS.map((k) => ({
                    value: k,
                    label: t(`automation.stepKinds.${k}`),
                  }))}
                  value={s.kind}
                  onChange={(k) =>
                    k &&
                    setValues((v) => ({
                      ...v,
                      steps: v.steps.map((x, j) =>
                        j === i ? { ...newStep(k as StepKind), id: x.id } : x,
                      ),
                    }))
                  }
                />
              </Group>
              <Group gap={4} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={i === 0}
                  onClick={() => moveStep(i, -1)}
                  aria-label={t('automation.moveUp')}
                >
                  <IconSortUp size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={i === values.steps.length - 1}
                  onClick={() => moveStep(i, 1)}
                  aria-label={t('automation.moveDown')}
                >
                  <IconSortDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  onClick={() =>
                    setValues((v) => ({ ...v, steps: v.steps.filter((_, j) => j !== i) }))
                  }
                  aria-label={t('automation.removeStep')}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
            {s.kind === 'wait' && (
              <NumberInput
                label={t('automation.waitDays')}
                min={1}
                allowDecimal={false}
                w={180}
                value={s.days ?? 1}
                onChange={(v) => setStep(i, { days: toInt(v) })}
                error={err(`steps[${i}].days`)}
              />
            )}
            {s.kind === 'send_email' && (
              <Stack gap="xs">
                <TextInput
                  label={t('newsletter.subject')}
                  value={s.subject ?? ''}
                  onChange={(e) => setStep(i, { subject: e.currentTarget.value })}
                  error={err(`steps[${i}].subject`)}
                />
                <Textarea
                  label={t('newsletter.body')}
                  description={t('newsletter.bodyHint')}
                  autosize
                  minRows={3}
                  value={s.bodyMarkdown ?? ''}
                  onChange={(e) => setStep(i, { bodyMarkdown: e.currentTarget.value })}
                  error={err(`steps[${i}].bodyMarkdown`)}
                />
              </Stack>
            )}
            {(s.kind === 'add_tag' || s.kind === 'remove_tag') && (
              <TextInput
                label={t('automation.tag')}
                value={s.tag ?? ''}
                onChange={(e) => setStep(i, { tag: e.currentTarget.value })}
                error={err(`steps[${i}].tag`)}
              />
            )}
            {s.kind === 'create_task' && (
              <Group grow align="flex-start">
                <TextInput
                  label={t('automation.taskTitle')}
                  value={s.taskTitle ?? ''}
                  onChange={(e) => setStep(i, { taskTitle: e.currentTarget.value })}
                  error={err(`steps[${i}].taskTitle`)}
                />
                <NumberInput
                  label={t('automation.taskDueDays')}
                  min={0}
                  allowDecimal={false}
                  value={s.taskDueDays ?? 0}
                  onChange={(v) => setStep(i, { taskDueDays: toInt(v) })}
                />
              </Group>
            )}
          </Paper>
        ))}
        <Select
          placeholder={t('automation.addStep')}
          aria-label={t('automation.addStep')}
          data-testid="automation-add-step"
          data={STEP_KINDS.map((k) => ({ value: k, label: t(`automation.stepKinds.${k}`) }))}
          value={null}
          onChange={(k) =>
            k && setValues((v) => ({ ...v, steps: [...v.steps, newStep(k as StepKind)] }))
          }
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" loading={saving} data-testid="automation-save">
            {t('form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
