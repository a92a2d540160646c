import type { AutomationsApi } from '../api';
import { AUTOMATIONS_CHANGED, type Automation, type Enrolment } from '../types';
import type { FakeContext } from './context';
import { AUTOMATIONS_RECORDING, daysBetween, RECORDED_NOW, Scenario } from './recorded';

/**
 * The automations part of the fake. The list, the editor's saves and rejections, the switch
 * and deleting replay what Go's AutomationsService answered in recorded scenarios
 * (app/recorded_automations_test.go): the ready-made welcome sequence, validation and step ids
 * are Go's. Members' progress is the enrolments the fake was seeded with (demo mode, tests).
 * In demo mode (`demo`), a change nobody recorded is refused with a notice that this is demo data.
 */
export function createFakeAutomations(
  ctx: FakeContext,
  seed: { enrolments?: Enrolment[]; demo?: boolean } = {},
) {
  const scenario = new Scenario(
    AUTOMATIONS_RECORDING,
    'automations',
    '',
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: seed.demo },
  );
  let enrolments = structuredClone(seed.enrolments ?? []);
  const changed = () => ctx.emit(AUTOMATIONS_CHANGED, { ids: [] });

  const api: AutomationsApi = {
    list: () => ctx.settle('automations.list', () => scenario.read<Automation[]>('list', [])),
    get: (id) => ctx.settle('automations.get', () => scenario.read<Automation>('get', [id])),
    save: (input) =>
      ctx.settle('automations.save', () => {
        const a = scenario.step<Automation>('save', [input]);
        changed();
        return a;
      }),
    setEnabled: (id, enabled) =>
      ctx.settle('automations.setEnabled', () => {
        const a = scenario.step<Automation>('setEnabled', [id, enabled]);
        changed();
        return a;
      }),
    progress: (id) =>
      ctx.settle('automations.progress', () => {
        scenario.read<Enrolment[]>('get', [id]); // an unknown automation is Go's not_found
        return enrolments.filter((e) => e.automationId === id);
      }),
    delete: (id) =>
      ctx.settle('automations.delete', () => {
        scenario.step<null>('delete', [id]);
        enrolments = enrolments.filter((e) => e.automationId !== id);
        changed();
      }),
  };
  /** The automations in the current recorded state, for assertions. */
  const all = () => scenario.read<Automation[]>('list', []);
  return { api, all };
}
