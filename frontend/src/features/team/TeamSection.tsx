import {
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeFieldError, useApi, type FieldError, type Teammate } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { ExportCard } from './ExportCard';
import { MergeCard } from './MergeCard';
import { shortReplica } from './replica';
import { SharedFolderCard } from './SharedFolderCard';

/**
 * Settings > Team: sharing this workspace with teammates as encrypted bundles (issue #14).
 * My name and public key, the teammates this copy knows of, the shared folder (on or off, its
 * last run), exporting a bundle for them and merging theirs, with the last merge's report and
 * its conflicts.
 */
export function TeamSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [me, setMe] = useState<Teammate | null>(null);
  const [key, setKey] = useState('');
  const [mates, setMates] = useState<Teammate[] | null>(null);

  const loadMates = useCallback(() => api.team.teammates().then(setMates, notifyError), [api]);
  useEffect(() => {
    api.team.whoami().then(setMe, notifyError);
    api.team.publicKey().then(setKey, notifyError);
    void loadMates();
  }, [api, loadMates]);

  return (
    <Stack gap="lg" data-testid="settings-team">
      <Text size="sm" c="dimmed">
        {t('team.intro')}
      </Text>
      <MeCard
        key={me?.replica ?? ''}
        me={me}
        publicKey={key}
        onSaved={(m) => {
          setMe(m);
          void loadMates();
        }}
      />
      <TeammatesCard mates={mates} me={me} />
      <SharedFolderCard onShared={() => void loadMates()} />
      <ExportCard mates={mates ?? []} me={me} />
      <MergeCard onMerged={() => void loadMates()} />
    </Stack>
  );
}

/** My name (saved on its own) and my public key with a copy button; keyed by my replica, so
 * that the name field starts from what Go answered. */
function MeCard({
  me,
  publicKey,
  onSaved,
}: {
  me: Teammate | null;
  publicKey: string;
  onSaved: (me: Teammate) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [name, setName] = useState(me?.name ?? '');
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);

  const save = async () => {
    setSaving(true);
    setErrors([]);
    try {
      const saved = await api.team.setName(name);
      setName(saved.name);
      onSaved(saved);
      notifications.show({ color: 'green', message: t('team.me.saved') });
    } catch (reason) {
      setErrors(Object.values(fieldErrorsOrNotify(reason)).flat());
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" data-testid="team-me">
      <Title order={3} size="h5" mb="sm">
        {t('team.me.title')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('team.me.name')}
            description={t('team.me.nameHint')}
            placeholder={t('team.me.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={
              errors.length > 0 ? (
                <span data-testid="field-error-name">
                  {errors.map((fe) => describeFieldError(t, fe)).join('\n')}
                </span>
              ) : undefined
            }
            disabled={me === null}
            maxLength={80}
            style={{ flex: 1, maxWidth: 420 }}
            data-testid="team-name"
          />
          <Button
            type="submit"
            loading={saving}
            disabled={me === null}
            data-testid="team-name-save"
          >
            {t('team.me.save')}
          </Button>
        </Group>
      </form>

      <Text size="sm" fw={500} mt="md">
        {t('team.me.key')}
      </Text>
      <Text size="xs" c="dimmed" mb={4}>
        {t('team.me.keyHint')}
      </Text>
      <Group gap="sm" wrap="nowrap">
        <Code data-testid="team-public-key" style={{ wordBreak: 'break-all' }}>
          {publicKey || '…'}
        </Code>
        <CopyButton value={publicKey}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              size="xs"
              color={copied ? 'teal' : undefined}
              onClick={copy}
              disabled={!publicKey}
              data-testid="team-public-key-copy"
            >
              {copied ? t('team.me.copied') : t('team.me.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Paper>
  );
}

/** The copies this one knows of: name, copy (replica), whether their public key is known. */
function TeammatesCard({ mates, me }: { mates: Teammate[] | null; me: Teammate | null }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg" radius="md" data-testid="team-teammates">
      <Title order={3} size="h5" mb="sm">
        {t('team.teammates.title')}
      </Title>
      {mates === null ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : mates.filter((m) => m.replica !== me?.replica).length === 0 ? (
        <Text c="dimmed" size="sm" mb="sm" data-testid="team-teammates-empty">
          {t('team.teammates.empty')}
        </Text>
      ) : null}
      {mates && mates.length > 0 && (
        <Table data-testid="team-teammates-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('team.teammates.name')}</Table.Th>
              <Table.Th>{t('team.teammates.replica')}</Table.Th>
              <Table.Th>{t('team.teammates.key')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mates.map((m) => (
              <Table.Tr key={m.replica} data-testid="team-teammate-row">
                <Table.Td>
                  {m.name ? (
                    <Text span size="sm" data-user-content>
                      {m.name}
                    </Text>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {t('team.teammates.unnamed')}
                    </Text>
                  )}
                  {m.replica === me?.replica && (
                    <Badge variant="light" size="sm" ml="xs">
                      {t('team.teammates.you')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code title={m.replica}>{shortReplica(m.replica)}</Code>
                </Table.Td>
                <Table.Td>
                  {m.publicKey ? (
                    <Badge color="teal" variant="light" title={m.publicKey}>
                      {t('team.teammates.hasKey')}
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      {t('team.teammates.noKey')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
