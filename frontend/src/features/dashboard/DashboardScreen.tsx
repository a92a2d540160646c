import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TasksPanel } from '../tasks/TasksPanel';

/** The first thing to look at in the morning: what needs doing. */
export function DashboardScreen() {
  const { t } = useTranslation();
  return (
    <Stack
      gap="lg"
      maw={960}
      data-testid="screen-dashboard"
      flex={1}
      mih={0}
      style={{ overflowY: 'auto' }}
    >
      <Title order={2}>{t('nav.dashboard')}</Title>
      <TasksPanel />
    </Stack>
  );
}
