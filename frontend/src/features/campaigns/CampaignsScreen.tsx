import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AutomationsTab } from './AutomationsTab';
import { NewslettersTab } from './NewslettersTab';

/** Newsletters (compose, preview, send) and automations. */
export function CampaignsScreen() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="screen-campaigns" flex={1} mih={0} style={{ overflowY: 'auto' }}>
      <Title order={2}>{t('nav.campaigns')}</Title>
      <Tabs defaultValue="newsletters" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="newsletters" data-testid="campaigns-tab-newsletters">
            {t('campaigns.newsletters')}
          </Tabs.Tab>
          <Tabs.Tab value="automations" data-testid="campaigns-tab-automations">
            {t('campaigns.automations')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="newsletters">
          <NewslettersTab />
        </Tabs.Panel>
        <Tabs.Panel value="automations">
          <AutomationsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
