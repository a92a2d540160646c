import type { AutomationsApi } from '../api';
import type { FieldError } from '../errors';
import {
  AUTOMATIONS_CHANGED,
  STEP_KINDS,
  TRIGGER_KINDS,
  type Automation,
  type Enrolment,
} from '../types';
import { invalid, notFound, type FakeContext } from './context';

export const DEMO_AUTOMATIONS: Automation[] = [
  {
    id: 'welcome',
    name: 'Welcome new members',
    enabled: false,
    builtin: 'welcome',
    trigger: { kind: 'member_created' },
    steps: [
      {
        id: 's1',
        kind: 'send_email',
        subject: 'Welcome, {{first_name|there}}!',
        bodyMarkdown: 'Glad to have you with us.',
      },
      { id: 's2', kind: 'wait', days: 7 },
      { id: 's3', kind: 'create_task', taskTitle: 'Check in with the new member', taskDueDays: 2 },
    ],
    createdAt: '2025-01-01T09:00:00Z',
    updatedAt: '2025-01-01T09:00:00Z',
  },
];

/** The automations part of the fake: definitions, the enable switch, enrolments as seeded. */
export function createFakeAutomations(
  ctx: FakeContext,
  seed: { automations?: Automation[]; enrolments?: Enrolment[] } = {},
) {
  const store = new Map(
    (seed.automations ?? DEMO_AUTOMATIONS).map((a) => [a.id, structuredClone(a)]),
  );
  const enrolments = structuredClone(seed.enrolments ?? []);
  let seq = 0;

  const require = (id: string) => {
    const a = store.get(id);
    if (!a) throw notFound('automation_not_found', `automation ${id}`);
    return a;
  };
  const changed = () => ctx.emit(AUTOMATIONS_CHANGED, { ids: [] });

  const api: AutomationsApi = {
    list: () =>
      ctx.settle('automations.list', () =>
        [...store.values()].sort((a, b) => a.name.localeCompare(b.name)),
      ),
    get: (id) => ctx.settle('automations.get', () => require(id)),
    save: (input) =>
      ctx.settle('automations.save', () => {
        const errs: FieldError[] = [];
        if (input.name.trim() === '') errs.push({ field: 'name', code: 'required' });
        if (!(TRIGGER_KINDS as readonly string[]).includes(input.trigger.kind))
          errs.push({ field: 'trigger.kind', code: 'oneof' });
        if (input.trigger.kind === 'tag_added' && !input.trigger.tag)
          errs.push({ field: 'trigger.tag', code: 'required' });
        if (input.steps.length === 0) errs.push({ field: 'steps', code: 'required' });
        input.steps.forEach((s, i) => {
          const at = (f: string) => `steps[${i}].${f}`;
          if (!(STEP_KINDS as readonly string[]).includes(s.kind))
            errs.push({ field: at('kind'), code: 'oneof' });
          if (s.kind === 'wait' && !(s.days && s.days > 0))
            errs.push({ field: at('days'), code: 'min', params: { min: '1' } });
          if (s.kind === 'send_email' && !s.subject?.trim())
            errs.push({ field: at('subject'), code: 'required' });
          if ((s.kind === 'add_tag' || s.kind === 'remove_tag') && !s.tag?.trim())
            errs.push({ field: at('tag'), code: 'required' });
          if (s.kind === 'create_task' && !s.taskTitle?.trim())
            errs.push({ field: at('taskTitle'), code: 'required' });
        });
        if (errs.length > 0) throw invalid(errs);
        const stamp = ctx.now().toISOString();
        const existing = input.id ? require(input.id) : undefined;
        const a: Automation = {
          ...existing,
          id: existing?.id ?? `a${(seq++).toString(36)}${ctx.now().getTime().toString(36)}`,
          name: input.name.trim(),
          enabled: existing?.enabled ?? false,
          trigger: input.trigger,
          steps: input.steps.map((s, i) => ({ ...s, id: s.id || `s${i}-${seq++}` })),
          createdAt: existing?.createdAt ?? stamp,
          updatedAt: stamp,
        };
        store.set(a.id, a);
        changed();
        return a;
      }),
    setEnabled: (id, enabled) =>
      ctx.settle('automations.setEnabled', () => {
        const a = require(id);
        a.enabled = enabled;
        if (enabled) a.enabledAt = ctx.now().toISOString();
        a.updatedAt = ctx.now().toISOString();
        changed();
        return a;
      }),
    progress: (id) =>
      ctx.settle('automations.progress', () => {
        require(id);
        return enrolments.filter((e) => e.automationId === id);
      }),
    delete: (id) =>
      ctx.settle('automations.delete', () => {
        require(id);
        store.delete(id);
        for (let i = enrolments.length - 1; i >= 0; i--)
          if (enrolments[i]!.automationId === id) enrolments.splice(i, 1);
        changed();
      }),
  };
  return { api, all: () => [...store.values()].map((a) => structuredClone(a)) };
}
