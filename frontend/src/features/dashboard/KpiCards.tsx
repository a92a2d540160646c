import { Paper, SimpleGrid, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { KPIs } from '../../api';
import { usePaintedOnce } from '../../components/usePaintedOnce';
import { KPI_CARDS, type Behind, type CardDef } from './cards';
import { change } from './change';
import { useDashboardFormat } from './format';

interface Props {
  kpis: KPIs;
  onOpen(behind: Behind, cardKey: string): void;
}

/** The period's headline numbers, each with its change since the previous period. */
export function KpiCards({ kpis, onOpen }: Props) {
  const { t } = useTranslation();
  const fmt = useDashboardFormat();
  usePaintedOnce('dashboard', true);
  const show = (def: CardDef, n: number) =>
    def.percent ? fmt.percent(n) : def.duration ? fmt.duration(n) : fmt.count(n);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="kpi-cards">
      {KPI_CARDS.map((def) => {
        const current = def.value(kpis);
        const missing = def.missing?.(kpis) ?? false;
        const previous =
          kpis.previous && !missing && !def.missing?.(kpis.previous)
            ? def.value(kpis.previous)
            : null;
        const moved = previous === null ? null : change(current, previous, def.lowerIsBetter);
        const arrow = { up: '↑', down: '↓', flat: '→' }[moved?.direction ?? 'flat'];
        const color =
          moved?.tone === 'good' ? 'teal.7' : moved?.tone === 'bad' ? 'red.7' : 'dimmed';
        return (
          <Paper key={def.key} withBorder p="sm" radius="md" data-testid={`kpi-${def.key}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} truncate>
              {t(`dashboard.kpi.${def.key}`)}
            </Text>
            <Tooltip label={t(`dashboard.kpiHelp.${def.key}`)} multiline w={260} openDelay={400}>
              <UnstyledButton
                onClick={() => onOpen(def.behind, def.key)}
                aria-label={t('dashboard.showMembers', {
                  what: t(`dashboard.kpi.${def.key}`),
                  value: show(def, current),
                })}
                data-testid={`kpi-${def.key}-value`}
              >
                <Text fz={26} fw={700} lh={1.3} style={{ textDecoration: 'underline dotted' }}>
                  {missing ? t('dashboard.noAnswer') : show(def, current)}
                </Text>
              </UnstyledButton>
            </Tooltip>
            <Text
              size="xs"
              c={color}
              fw={500}
              data-testid={`kpi-${def.key}-change`}
              data-tone={moved?.tone ?? 'neutral'}
              title={
                previous === null
                  ? undefined
                  : t('dashboard.previousValue', { value: show(def, previous) })
              }
            >
              {moved === null ? (
                missing ? (
                  ''
                ) : (
                  t('dashboard.noPrevious')
                )
              ) : (
                <>
                  {`${arrow} ${moved.ratio === null ? t('dashboard.na') : fmt.signedPercent(moved.ratio)}`}{' '}
                  <Text span c="dimmed" size="xs" fw={400}>
                    {t('dashboard.vsPrevious')}
                  </Text>
                </>
              )}
            </Text>
            {def.detail && (
              <Text size="xs" c="dimmed">
                {def.detail(kpis, fmt, t)}
              </Text>
            )}
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
