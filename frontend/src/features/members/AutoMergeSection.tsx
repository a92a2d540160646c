import { Paper, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type MergeSettings } from '../../api';
import { notifyError } from '../../components/notifyError';

/**
 * Settings' switch for automatic merging: a member a sync or an import brings who surely is a
 * member already (the same e-mail, or the same handle on another platform when the full names
 * agree) is merged at once; other look-alikes are only proposed.
 */
export function AutoMergeSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [settings, setSettings] = useState<MergeSettings | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.merges.settings().then((s) => live && setSettings(s), notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  const toggle = async (auto: boolean) => {
    setSaving(true);
    try {
      const saved = await api.merges.saveSettings({ ...settings, auto });
      setSettings(saved);
      notifications.show({
        color: 'green',
        message: t(saved.auto ? 'merges.auto.on' : 'merges.auto.off'),
      });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-auto-merge">
      <Title order={3} size="h5" mb="xs">
        {t('merges.auto.title')}
      </Title>
      <Switch
        label={t('merges.auto.label')}
        description={t('merges.auto.help')}
        checked={settings?.auto ?? false}
        disabled={settings === null || saving}
        onChange={(e) => void toggle(e.currentTarget.checked)}
        data-testid="auto-merge-switch"
      />
      {settings === null && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('app.loading')}
        </Text>
      )}
    </Paper>
  );
}
