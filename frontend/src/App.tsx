import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { ApiProvider, type Api } from './api';
import { installUnhandledRejectionHandler } from './components/notifyError';
import { Shell } from './features/shell/Shell';

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
}

export function App({ api, demo = false, env = 'default' }: Props) {
  useEffect(installUnhandledRejectionHandler, []);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" env={env}>
      <Notifications position="bottom-right" limit={4} zIndex={1000} />
      <ApiProvider api={api}>
        <Shell demo={demo} />
      </ApiProvider>
    </MantineProvider>
  );
}
