import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { ApiProvider, type Api } from './api';
import type { ApiError } from './api/errors';
import { installUnhandledRejectionHandler } from './components/notifyError';
import { Shell } from './features/shell/Shell';
import { StartupFailure } from './features/shell/StartupFailure';

const theme = createTheme({
  primaryColor: 'orange',
  defaultRadius: 'md',
});

interface Props {
  api: Api;
  /** True when running on the in-memory fake: shows the "not connected" banner. */
  demo?: boolean;
  /** `test` turns off transitions and portals (Vitest). */
  env?: 'default' | 'test';
  /** Why the workspace could not be opened: the window then shows only that. */
  startupFailure?: ApiError | null;
}

export function App({ api, demo = false, env = 'default', startupFailure = null }: Props) {
  useEffect(installUnhandledRejectionHandler, []);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" env={env}>
      <Notifications position="bottom-right" limit={4} zIndex={1000} />
      <ApiProvider api={api}>
        {startupFailure ? <StartupFailure error={startupFailure} /> : <Shell demo={demo} />}
      </ApiProvider>
    </MantineProvider>
  );
}
