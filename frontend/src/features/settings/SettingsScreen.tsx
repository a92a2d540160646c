import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Purpose, WorkspaceInfo } from '../../api';
import { useFormat } from '../../i18n/format';
import { SlotsSection } from '../calendar/SlotsSection';
import { SmtpSection } from '../campaigns/SmtpSection';
import { ConnectionsSection } from '../connections/ConnectionsSection';
import { NoticesSection } from '../consent/NoticesSection';
import { PurposesSection } from '../consent/PurposesSection';
import { AuditSection } from '../gdpr/AuditSection';
import { RetentionSection } from '../gdpr/RetentionSection';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { LevelsSection } from './LevelsSection';

export function SettingsScreen({ workspace }: { workspace: WorkspaceInfo | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [purposes, setPurposes] = useState<Purpose[]>([]);
  const rows: [string, string][] = workspace
    ? [
        [t('settings.name'), workspace.name],
        [t('settings.dir'), workspace.dir],
        [t('settings.id'), workspace.id],
        [t('settings.schemaVersion'), fmt.number(workspace.schemaVersion)],
        [t('settings.createdAt'), fmt.dateTime(workspace.createdAt)],
        [t('settings.memberCount'), fmt.number(workspace.memberCount)],
      ]
    : [];

  return (
    <Stack gap="lg" maw={960} data-testid="screen-settings">
      <Title order={2}>{t('nav.settings')}</Title>

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h5" mb="sm">
          {t('settings.workspace')}
        </Title>
        {workspace ? (
          <Table variant="vertical" layout="fixed" withRowBorders={false}>
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w={220}>{label}</Table.Th>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {value}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('app.loading')}</Text>
        )}
      </Paper>

      <PurposesSection onChanged={setPurposes} />
      <NoticesSection purposes={purposes} />
      <ConnectionsSection />
      <SmtpSection />
      <SlotsSection />
      <LevelsSection />
      <RetentionSection />
      <AuditSection />

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h5" mb="xs">
          {t('settings.language')}
        </Title>
        <LanguageSwitch testId="settings-lang-switch" />
        <Text size="sm" c="dimmed" mt="xs">
          {t('settings.languageHint')}
        </Text>
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h5" mb="xs">
          {t('settings.theme')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('settings.themeHint')}
        </Text>
      </Paper>
    </Stack>
  );
}
