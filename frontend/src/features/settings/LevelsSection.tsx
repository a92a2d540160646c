import {
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_KINDS, useApi, type FieldError, type LevelSettings } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';

/** A NumberInput's value: '' (emptied) becomes NaN, which the Go side refuses as "number". */
const toNumber = (v: string | number): number =>
  typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);

const shown = (n: number) => (Number.isFinite(n) ? n : '');

/** Settings > Engagement levels: weights, milestones, score window, team and goal tags. */
export function LevelsSection() {
  const { t, i18n } = useTranslation();
  // French writes 0,5: the inputs take the language's decimal separator.
  const decimalSeparator = (i18n.resolvedLanguage ?? 'en').startsWith('fr') ? ',' : '.';
  const api = useApi();
  const [form, setForm] = useState<LevelSettings | null>(null);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.dashboard.levelSettings().then((s) => live && setForm(s), notifyError);
    return () => {
      live = false;
    };
  }, [api]);

  if (!form) {
    return (
      <Paper withBorder p="lg" radius="md" data-testid="settings-levels">
        <Title order={3} size="h5" mb="sm">
          {t('levels.title')}
        </Title>
        <Text c="dimmed">{t('app.loading')}</Text>
      </Paper>
    );
  }

  /** The translated message of the first error on a field path, if any. */
  const errorOf = (path: string): string | undefined => {
    const e = errors[path]?.[0];
    if (!e) return undefined;
    const params: Record<string, string> = { ...e.params };
    if (params.level) params.level = t(`dashboard.levelNames.${params.level}`);
    return t(`levels.error.${e.code}`, {
      ...params,
      defaultValue: t(`errors.field.${e.code}`, {
        ...params,
        defaultValue: t('levels.error.invalid'),
      }),
    });
  };

  /** The first error on one tag of a list ("goalTags[1]"), named by the tag. */
  const tagError = (list: 'teamTags' | 'goalTags'): string | undefined => {
    const path = Object.keys(errors).find((p) => p.startsWith(`${list}[`));
    if (!path) return undefined;
    const tag = form[list][Number(path.slice(list.length + 1, -1))];
    const msg = errorOf(path);
    return tag ? `${tag}: ${msg}` : msg;
  };

  const update = (change: (f: LevelSettings) => LevelSettings) => setForm((f) => f && change(f));

  const setMilestone = (i: number, key: 'minScore' | 'activeDays', v: number) =>
    update((f) => ({
      ...f,
      milestones: f.milestones.map((m, k) => (k === i ? { ...m, [key]: v } : m)),
    }));

  /** Emptied number fields: JSON would send them as null, which Go reads as 0. */
  const blanks = (): Record<string, FieldError[]> => {
    const out: Record<string, FieldError[]> = {};
    const check = (field: string, v: number) => {
      if (!Number.isFinite(v)) out[field] = [{ field, code: 'number' }];
    };
    for (const [k, v] of Object.entries(form.weights)) check(`weights.${k}`, v);
    form.milestones.forEach((m, i) => {
      check(`milestones[${i}].minScore`, m.minScore);
      check(`milestones[${i}].activeDays`, m.activeDays);
    });
    check('scoreWindowDays', form.scoreWindowDays);
    return out;
  };

  const save = async () => {
    const local = blanks();
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setSaving(true);
    try {
      setForm(await api.dashboard.saveLevelSettings(form));
      setErrors({});
      notifications.show({ color: 'green', message: t('levels.saved') });
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setSaving(false);
    }
  };

  const restore = async () => {
    try {
      setForm(await api.dashboard.levelDefaults());
      setErrors({});
      notifications.show({ message: t('levels.defaultsLoaded') });
    } catch (reason) {
      notifyError(reason);
    }
  };

  const kinds = [
    ...ACTIVITY_KINDS,
    ...Object.keys(form.weights).filter((k) => !(ACTIVITY_KINDS as readonly string[]).includes(k)),
  ];

  return (
    <Paper withBorder p="lg" radius="md" data-testid="settings-levels">
      <Title order={3} size="h5" mb={4}>
        {t('levels.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('levels.intro')}
      </Text>
      <Stack gap="lg">
        <div>
          <Text fw={600} size="sm">
            {t('levels.weights')}
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            {t('levels.weightsHint')}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
            {kinds.map((k) => (
              <NumberInput
                key={k}
                label={t(`sync.kinds.${k}`, { defaultValue: k })}
                min={0}
                max={100}
                decimalScale={2}
                decimalSeparator={decimalSeparator}
                allowNegative={false}
                value={shown(form.weights[k] ?? 0)}
                onChange={(v) =>
                  update((f) => ({ ...f, weights: { ...f.weights, [k]: toNumber(v) } }))
                }
                error={errorOf(`weights.${k}`)}
                data-testid={`levels-weight-${k}`}
              />
            ))}
          </SimpleGrid>
        </div>

        <div>
          <Text fw={600} size="sm">
            {t('levels.milestones')}
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            {t('levels.milestonesHint')}
          </Text>
          <Stack gap="xs">
            {form.milestones.map((m, i) => (
              <Group key={i} align="flex-start" gap="sm" data-testid={`levels-milestone-${i + 1}`}>
                <Text w={140} pt={28} size="sm" fw={500}>
                  {t(`dashboard.levelNames.${i + 1}`)}
                </Text>
                <NumberInput
                  label={t('levels.minScore')}
                  min={0}
                  decimalScale={2}
                  decimalSeparator={decimalSeparator}
                  allowNegative={false}
                  w={180}
                  value={shown(m.minScore)}
                  onChange={(v) => setMilestone(i, 'minScore', toNumber(v))}
                  error={errorOf(`milestones[${i}].minScore`)}
                  data-testid={`levels-score-${i + 1}`}
                />
                <NumberInput
                  label={t('levels.activeDays')}
                  min={1}
                  allowDecimal={false}
                  allowNegative={false}
                  w={180}
                  value={shown(m.activeDays)}
                  onChange={(v) => setMilestone(i, 'activeDays', toNumber(v))}
                  error={errorOf(`milestones[${i}].activeDays`)}
                  data-testid={`levels-days-${i + 1}`}
                />
              </Group>
            ))}
            {errorOf('milestones') && (
              <Text size="xs" c="red" data-testid="levels-milestones-error">
                {errorOf('milestones')}
              </Text>
            )}
          </Stack>
        </div>

        <NumberInput
          label={t('levels.window')}
          description={t('levels.windowHint')}
          min={7}
          max={365}
          allowDecimal={false}
          allowNegative={false}
          w={260}
          value={shown(form.scoreWindowDays)}
          onChange={(v) => update((f) => ({ ...f, scoreWindowDays: toNumber(v) }))}
          error={errorOf('scoreWindowDays')}
          data-testid="levels-window"
        />

        <TagsInput
          label={t('levels.teamTags')}
          description={t('levels.teamTagsHint')}
          placeholder={t('levels.tagsPlaceholder')}
          value={form.teamTags}
          onChange={(v) => update((f) => ({ ...f, teamTags: v }))}
          error={errorOf('teamTags') ?? tagError('teamTags')}
          data-testid="levels-team-tags"
        />
        <TagsInput
          label={t('levels.goalTags')}
          description={t('levels.goalTagsHint')}
          placeholder={t('levels.tagsPlaceholder')}
          value={form.goalTags}
          onChange={(v) => update((f) => ({ ...f, goalTags: v }))}
          error={errorOf('goalTags') ?? tagError('goalTags')}
          data-testid="levels-goal-tags"
        />

        <Group gap="sm">
          <Button onClick={() => void save()} loading={saving} data-testid="levels-save">
            {t('levels.save')}
          </Button>
          <Button variant="default" onClick={() => void restore()} data-testid="levels-defaults">
            {t('levels.defaults')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
