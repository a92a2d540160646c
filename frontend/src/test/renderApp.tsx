import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Member } from '../api';
import { createFakeApi, type FakeApiOptions } from '../api/fake';
import { App } from '../App';
import i18n, { type Language } from '../i18n';

let seq = 0;

/** A stored member with sensible defaults. */
export function member(over: Partial<Member> & { name: string }): Member {
  seq++;
  const stamp = new Date(Date.UTC(2024, 0, seq)).toISOString();
  return {
    id: `t${String(seq).padStart(4, '0')}`,
    emails: [`${over.name.toLowerCase().replace(/\W+/g, '.')}@example.org`],
    handles: [],
    tags: [],
    customFields: {},
    notes: '',
    createdAt: stamp,
    updatedAt: stamp,
    ...over,
  };
}

export const HELENE = () =>
  member({ name: 'Hélène Dupont', emails: ['helene@example.org'], tags: ['speaker'] });

export async function renderApp(opts: FakeApiOptions & { lang?: Language } = {}) {
  await i18n.changeLanguage(opts.lang ?? 'en');
  const api = createFakeApi(opts);
  const user = userEvent.setup();
  const view = render(<App api={api} env="test" />);
  await screen.findByTestId('screen-members');
  return { api, user, ...view };
}

/** Names in the rows currently rendered, top to bottom. */
export function rowNames(): string[] {
  return screen
    .queryAllByTestId('member-row')
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}
