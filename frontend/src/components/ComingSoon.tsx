import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Placeholder for a screen not built yet: says honestly what it will do. */
export function ComingSoon({ screen }: { screen: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={640} data-testid={`screen-${screen}`}>
      <Group gap="sm">
        <Title order={2}>{t(`nav.${screen}`)}</Title>
        <Badge variant="light" color="gray">
          {t('soon.badge')}
        </Badge>
      </Group>
      <Paper withBorder p="lg" radius="md">
        <Text c="dimmed" size="sm" mb="xs">
          {t('soon.notYet')}
        </Text>
        <Text>{t(`soon.${screen}`)}</Text>
      </Paper>
    </Stack>
  );
}
