import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/renderApp';

describe('a workspace opened read-only because the disk was full', () => {
  it.each([
    ['en', /The disk is full: Hearth opened this workspace read-only/],
    ['fr', /Le disque est plein : Hearth a ouvert cet espace de travail en lecture seule/],
  ] as const)('says so on every screen in %s', async (lang, words) => {
    await renderApp({ lang, readOnly: true });
    expect(await screen.findByTestId('read-only-banner')).toHaveTextContent(words);
  });

  it('says nothing when the workspace opened normally', async () => {
    await renderApp({ lang: 'en' });
    await screen.findByTestId('workspace-name');
    expect(screen.queryByTestId('read-only-banner')).not.toBeInTheDocument();
  });
});
