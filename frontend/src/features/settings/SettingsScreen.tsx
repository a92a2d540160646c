import { Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Purpose, WorkspaceInfo } from '../../api';
import { useFormat } from '../../i18n/format';
import { BackupsSection } from '../backups/BackupsSection';
import { SlotsSection } from '../calendar/SlotsSection';
import { MailboxSection } from '../campaigns/MailboxSection';
import { SmtpSection } from '../campaigns/SmtpSection';
import { ConnectionsSection } from '../connections/ConnectionsSection';
import { NoticesSection } from '../consent/NoticesSection';
import { PurposesSection } from '../consent/PurposesSection';
import { AuditSection } from '../gdpr/AuditSection';
import { RetentionSection } from '../gdpr/RetentionSection';
import { AutoMergeSection } from '../members/AutoMergeSection';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { TeamSection } from '../team/TeamSection';
import { LevelsSection } from './LevelsSection';

/** The sections of Settings, in the order of the side navigation. */
const SETTINGS_SECTIONS = [
  'general',
  'connections',
  'newsletter',
  'calendar',
  'consent',
  'gdpr',
  'levels',
  'backups',
  'team',
] as const;
type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/**
 * Settings, one page per section behind a side navigation (`settings-nav-<section>`). Every
 * section stays mounted while Settings is open, hidden when another is shown, so that an
 * unsaved form survives a look at another section.
 */
export function SettingsScreen({ workspace }: { workspace: WorkspaceInfo | null }) {
  const { t } = useTranslation();
  const [section, setSection] = useState<SettingsSection>('general');
  const [purposes, setPurposes] = useState<Purpose[]>([]);
  const pages: Record<SettingsSection, ReactNode> = {
    general: (
      <>
        <GeneralSection workspace={workspace} />
        <AutoMergeSection />
      </>
    ),
    connections: <ConnectionsSection />,
    newsletter: (
      <>
        <SmtpSection />
        <MailboxSection />
      </>
    ),
    calendar: <SlotsSection />,
    consent: (
      <>
        <PurposesSection onChanged={setPurposes} />
        <NoticesSection purposes={purposes} />
      </>
    ),
    gdpr: (
      <>
        <RetentionSection />
        <AuditSection />
      </>
    ),
    levels: <LevelsSection />,
    backups: <BackupsSection />,
    team: <TeamSection />,
  };

  return (
    <Stack gap="lg" maw={1180} data-testid="screen-settings">
      <Title order={2}>{t('nav.settings')}</Title>
      <Tabs
        orientation="vertical"
        variant="pills"
        value={section}
        onChange={(v) => v && setSection(v as SettingsSection)}
      >
        <Tabs.List
          aria-label={t('settings.sectionsLabel')}
          miw={210}
          style={{ alignSelf: 'flex-start' }}
        >
          {SETTINGS_SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s} data-testid={`settings-nav-${s}`}>
              {t(`settings.sections.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SETTINGS_SECTIONS.map((s) => (
          <Tabs.Panel key={s} value={s} pl="lg" miw={0} data-testid={`settings-page-${s}`}>
            <Stack gap="lg" maw={960}>
              {pages[s]}
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function GeneralSection({ workspace }: { workspace: WorkspaceInfo | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows: [string, string][] = workspace
    ? [
        [t('settings.name'), workspace.name],
        [t('settings.dir'), workspace.dir],
        [t('settings.memberCount'), fmt.number(workspace.memberCount)],
        [t('settings.createdAt'), fmt.dateTime(workspace.createdAt)],
        [t('settings.id'), workspace.id],
        [t('settings.schemaVersion'), fmt.number(workspace.schemaVersion)],
      ]
    : [];
  return (
    <>
      <Paper withBorder p="lg" radius="md" data-testid="settings-workspace">
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
    </>
  );
}
