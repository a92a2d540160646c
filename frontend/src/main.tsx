import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Api } from './api';
import { createWailsApi, hasWailsBindings } from './api/wails';
import { App } from './App';
import { withFirstPageAsked } from './features/members/firstPage';
import './i18n';

/**
 * Generated members added in demo mode to the recorded ones: none by default, so that every
 * search and sort is one Go answered; `?demo=100000` tries the table at scale.
 */
function demoSize(): number {
  const param = new URLSearchParams(location.search).get('demo');
  const n = Number(param);
  return param !== null && Number.isInteger(n) && n >= 0 && n <= 1_000_000 ? n : 0;
}

async function start() {
  const connected = hasWailsBindings();
  let api: Api;
  if (connected) {
    // The window opens on the members: their first page is asked for before anything renders.
    api = withFirstPageAsked(createWailsApi());
  } else {
    // Plain browser (vite dev, e2e on the fake): in-memory data, loaded only here.
    const { createDemoApi } = await import('./api/fake');
    api = createDemoApi(demoSize());
  }
  // A workspace that could not be opened (damaged, in use, a full disk): the window says why.
  const startupFailure = connected ? await api.window.startupFailure() : null;
  const root = document.getElementById('root');
  if (!root) throw new Error('missing #root');
  createRoot(root).render(
    <StrictMode>
      <App api={api} demo={!connected} startupFailure={startupFailure} />
    </StrictMode>,
  );
}

void start();
