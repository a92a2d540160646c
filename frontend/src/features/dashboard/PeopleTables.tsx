import { Anchor, Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SuperUser } from '../../api';
import { levelName } from './charts';
import { useDashboardFormat } from './format';
import { reasonText } from './reason';

interface Props {
  users: SuperUser[];
  /** Length of the range in days, for the reason ("… in 30 days"). */
  days: number;
  onOpenMember(id: string): void;
}

const LEVEL_COLORS = ['orange', 'grape', 'blue', 'gray'];

function LevelBadge({ level }: { level: number }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={LEVEL_COLORS[level - 1] ?? 'gray'}>
      {levelName(t, level)}
    </Badge>
  );
}

function Name({ user, onOpenMember }: { user: SuperUser; onOpenMember(id: string): void }) {
  const { t } = useTranslation();
  return (
    <Anchor
      component="button"
      type="button"
      size="sm"
      fw={600}
      onClick={() => onOpenMember(user.memberId)}
      data-testid="person-open"
    >
      {user.name.trim() || t('dashboard.noName')}
    </Anchor>
  );
}

/** The most engaged members of the period and why: ambassador candidates. */
export function SuperUsersTable({ users, days, onOpenMember }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  return (
    <Paper withBorder p="md" radius="md" data-testid="super-users">
      <Title order={3} size="h5">
        {t('dashboard.superUsers')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.superUsersNote')}
      </Text>
      {users.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard.superUsersEmpty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('dashboard.member')}</Table.Th>
                <Table.Th>{t('dashboard.level')}</Table.Th>
                <Table.Th>{t('dashboard.why')}</Table.Th>
                <Table.Th ta="right">{t('dashboard.score')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u, i) => (
                <Table.Tr key={u.memberId} data-testid="super-user">
                  <Table.Td c="dimmed">{fmt.count(i + 1)}</Table.Td>
                  <Table.Td>
                    <Name user={u} onOpenMember={onOpenMember} />
                  </Table.Td>
                  <Table.Td>
                    <LevelBadge level={u.level} />
                  </Table.Td>
                  <Table.Td data-testid="super-user-reason">
                    {reasonText(t, u.counts, days)}
                  </Table.Td>
                  <Table.Td ta="right">{fmt.decimal(u.score)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** Members who were among the most active and have gone silent: worth a message. */
export function GoneQuietList({ users, days, onOpenMember }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  return (
    <Paper withBorder p="md" radius="md" data-testid="gone-quiet">
      <Title order={3} size="h5">
        {t('dashboard.goneQuiet')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.goneQuietNote')}
      </Text>
      {users.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="gone-quiet-empty">
          {t('dashboard.goneQuietEmpty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard.member')}</Table.Th>
                <Table.Th>{t('dashboard.level')}</Table.Th>
                <Table.Th>{t('dashboard.lastActive')}</Table.Th>
                <Table.Th>{t('dashboard.inPeriod')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u) => (
                <Table.Tr key={u.memberId} data-testid="gone-quiet-member">
                  <Table.Td>
                    <Name user={u} onOpenMember={onOpenMember} />
                  </Table.Td>
                  <Table.Td>
                    <LevelBadge level={u.level} />
                  </Table.Td>
                  <Table.Td>{fmt.date(u.lastActive) || t('dashboard.never')}</Table.Td>
                  <Table.Td>{reasonText(t, u.counts, days)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
