import { Alert, AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useApi } from '../../api';
import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon';
import { CalendarScreen } from '../calendar/CalendarScreen';
import { CampaignsScreen } from '../campaigns/CampaignsScreen';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { MembersScreen } from '../members/MembersScreen';
import { ReportsScreen } from '../reports/ReportsScreen';
import { useTaskReminders } from '../tasks/useTaskReminders';
import { SettingsScreen } from '../settings/SettingsScreen';
import { SyncScreen } from '../sync/SyncScreen';
import { SyncStatusBar } from '../sync/SyncStatusBar';
import { useWorkspaceInfo } from '../workspace/useWorkspaceInfo';
import { LanguageSwitch } from './LanguageSwitch';
import { HOME_SCREEN, SCREENS, type Screen } from './screens';

export function Shell({ demo = false }: { demo?: boolean }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>(HOME_SCREEN);
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const workspace = useWorkspaceInfo();
  const api = useApi();
  const title = `${t('app.title')} — ${t(`nav.${screen}`)}`;
  useTaskReminders();

  // The window title names the screen, for the task switcher and for the window smoke test.
  useEffect(() => api.window.setTitle(title), [api, title]);

  return (
    <AppShell
      header={{ height: 56 }}
      footer={{ height: 28 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={navOpen}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <Title order={1} size="h4" c="orange.7">
              {t('app.title')}
            </Title>
            <Text c="dimmed" truncate data-testid="workspace-name" title={workspace?.dir}>
              {workspace?.name ?? ''}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {SCREENS.map((s) => (
          <NavLink
            key={s}
            component="button"
            data-testid={`nav-${s}`}
            label={t(`nav.${s}`)}
            active={s === screen}
            aria-current={s === screen ? 'page' : undefined}
            onClick={() => {
              setScreen(s);
              closeNav();
            }}
          />
        ))}
      </AppShell.Navbar>

      {/* A fixed-height column, so the members table can fill what is left and scroll inside. */}
      <AppShell.Main display="flex" h="100dvh" style={{ flexDirection: 'column' }}>
        {workspace?.readOnly && (
          <Alert color="red" variant="light" mb="md" py="xs" data-testid="read-only-banner">
            {t('app.readOnlyBanner')}
          </Alert>
        )}
        {demo && (
          <Alert color="yellow" variant="light" mb="md" py="xs" data-testid="fake-api-banner">
            {t('app.demoBanner')}
          </Alert>
        )}
        {screen === 'members' ? (
          <MembersScreen />
        ) : screen === 'dashboard' ? (
          <DashboardScreen />
        ) : screen === 'calendar' ? (
          <CalendarScreen />
        ) : screen === 'campaigns' ? (
          <CampaignsScreen />
        ) : screen === 'reports' ? (
          <ReportsScreen />
        ) : screen === 'sync' ? (
          <SyncScreen />
        ) : screen === 'settings' ? (
          <SettingsScreen workspace={workspace} />
        ) : (
          <ComingSoon screen={screen} />
        )}
      </AppShell.Main>

      <AppShell.Footer px="sm" component="footer" aria-label={t('status.label')}>
        <Group h="100%" gap="md" wrap="nowrap" data-testid="status-bar">
          <SyncStatusBar
            onOpen={() => {
              setScreen('sync');
              closeNav();
            }}
          />
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
