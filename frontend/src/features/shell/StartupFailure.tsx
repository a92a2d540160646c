import { Alert, Button, Center, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api';
import { describeError, type ApiError } from '../../api/errors';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * What the window shows when the workspace could not be opened (damaged, in use by another
 * Hearth, a full disk): why, in the person's language, and that nothing was changed. No other
 * screen is usable then.
 */
export function StartupFailure({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const api = useApi();
  const { title, message } = describeError(t, error);
  const dir = error.params?.dir;
  const windowTitle = t('app.startupFailed.windowTitle');
  useEffect(() => api.window.setTitle(windowTitle), [api, windowTitle]);
  return (
    <Center mih="100vh" p="xl" data-testid="startup-failure">
      <Stack maw={640} gap="md">
        <Group justify="space-between">
          <Title order={2}>{t('app.startupFailed.title')}</Title>
          <LanguageSwitch />
        </Group>
        <Alert color="red" title={title} data-testid="startup-failure-message">
          <Text style={{ whiteSpace: 'pre-line' }}>{message}</Text>
        </Alert>
        {dir && (
          <Text size="sm">
            {t('app.startupFailed.folder')} <Code>{dir}</Code>
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('app.startupFailed.help')}
        </Text>
        <Group>
          <Button onClick={() => api.window.quit()} data-testid="startup-failure-quit">
            {t('app.startupFailed.quit')}
          </Button>
        </Group>
      </Stack>
    </Center>
  );
}
