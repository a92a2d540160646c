import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  Code,
  Collapse,
  Group,
  List,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLATFORMS, toApiError, useApi, type Segment, type SegmentSyntaxError } from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { IconPlus, IconTrash } from '../../components/icons';
import { syntaxErrorText, syntaxOfField } from './segmentErrors';
import {
  ACTIVITY_KINDS,
  CONSENT_STATES,
  LEVELS,
  ROW_FIELDS,
  expressionText,
  newCondition,
  newGroup,
  operatorsOf,
  updateNode,
  withField,
  type Condition,
  type Group as RowGroup,
  type Node,
} from './segmentExpr';
import { useLiveCount } from './useLiveCount';

interface Props {
  /** The segment edited (rename, new expression), or null for a new one. */
  segment: Segment | null;
  onSaved(segment: Segment): void;
  onCancel(): void;
}

type Mode = 'rows' | 'text';

/**
 * Builds a segment: rows (field, operator, value, joined by AND or OR, with NOT and groups)
 * that write the text expression, or the expression typed by hand, with the syntax at hand;
 * the members it matches are counted live as it is built. Saves it under a name.
 */
export function SegmentBuilder({ segment, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [name, setName] = useState(segment?.name ?? '');
  const [mode, setMode] = useState<Mode>(segment ? 'text' : 'rows');
  const [root, setRoot] = useState<RowGroup>(() => newGroup('AND', [newCondition()]));
  const [where, setWhere] = useState(segment?.where ?? '');
  const [help, setHelp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<SegmentSyntaxError | null>(null);
  const live = useLiveCount(where);

  const changeRows = (next: RowGroup) => {
    setRoot(next);
    setWhere(expressionText(next));
    setSaveError(null);
  };

  // Back to rows, a typed expression stays until a row changes (the rows then write it anew).
  const changeMode = (next: Mode) => setMode(next);
  const typedOver = mode === 'rows' && where.trim() !== '' && where !== expressionText(root);

  const save = async () => {
    setBusy(true);
    setNameError(null);
    setSaveError(null);
    try {
      const saved = segment
        ? await api.segments.update(segment.id, {
            ...(name.trim() !== segment.name ? { name } : {}),
            ...(where.trim() !== segment.where ? { where } : {}),
          })
        : await api.segments.create({ name, where });
      onSaved(saved);
    } catch (reason) {
      const fields = fieldErrorsOrNotify(toApiError(reason));
      const n = fields.name?.[0];
      if (n) {
        setNameError(
          n.code === 'unique'
            ? t('segments.nameTaken')
            : t(`errors.field.${n.code}`, { ...n.params, defaultValue: t('errors.field.invalid') }),
        );
      }
      const w = fields.where?.[0];
      if (w) setSaveError(syntaxOfField(w));
    } finally {
      setBusy(false);
    }
  };

  const syntax = live.count?.error ?? saveError;
  const unchanged =
    segment !== null && name.trim() === segment.name && where.trim() === segment.where;

  return (
    <Stack gap="sm" data-testid="segment-builder">
      <TextInput
        label={t('segments.name')}
        placeholder={t('segments.namePlaceholder')}
        value={name}
        onChange={(e) => {
          setName(e.currentTarget.value);
          setNameError(null);
        }}
        error={nameError}
        data-testid="segment-name"
      />
      <SegmentedControl
        value={mode}
        onChange={(v) => changeMode(v as Mode)}
        data={[
          { value: 'rows', label: t('segments.modeRows') },
          { value: 'text', label: t('segments.modeText') },
        ]}
        data-testid="segment-mode"
      />
      {mode === 'rows' && <GroupEditor group={root} root={root} onChange={changeRows} depth={0} />}
      <Textarea
        label={t('segments.where')}
        description={
          typedOver
            ? t('segments.rowsReplace')
            : mode === 'rows'
              ? t('segments.whereFromRows')
              : undefined
        }
        placeholder='tag = "bénévole" AND city = "Lyon"'
        autosize
        minRows={2}
        readOnly={mode === 'rows'}
        value={where}
        onChange={(e) => {
          setWhere(e.currentTarget.value);
          setSaveError(null);
        }}
        error={
          syntax ? <span data-testid="segment-error">{syntaxErrorText(t, syntax)}</span> : null
        }
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-testid="segment-where"
      />
      <CountLine live={live} />
      <Anchor
        component="button"
        type="button"
        size="sm"
        onClick={() => setHelp((h) => !h)}
        data-testid="segment-help-toggle"
      >
        {help ? t('segments.helpHide') : t('segments.helpShow')}
      </Anchor>
      <Collapse in={help}>
        <SyntaxHelp />
      </Collapse>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          {t('segments.cancel')}
        </Button>
        <Button
          loading={busy}
          disabled={name.trim() === '' || where.trim() === '' || unchanged}
          onClick={() => void save()}
          data-testid="segment-save"
        >
          {t('segments.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The live count: "…" while counting, the number and the first members, or why it failed. */
function CountLine({ live }: { live: ReturnType<typeof useLiveCount> }) {
  const { t } = useTranslation();
  if (live.counting) {
    return (
      <Text size="sm" c="dimmed" data-testid="segment-count" aria-busy="true">
        …
      </Text>
    );
  }
  if (live.failure) {
    return (
      <Text size="sm" c="red" data-testid="segment-count-failed">
        {t('segments.countFailed', { reason: toApiError(live.failure).message })}
      </Text>
    );
  }
  const c = live.count;
  if (!c || c.error) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} data-testid="segment-count" aria-live="polite">
        {t('segments.matches', { count: c.count })}
      </Text>
      {c.members.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="segment-preview">
          {c.members.map((m) => m.name.trim() || m.email).join(', ')}
          {c.count > c.members.length
            ? ` ${t('segments.andMore', { count: c.count - c.members.length })}`
            : ''}
        </Text>
      )}
    </Stack>
  );
}

interface GroupProps {
  group: RowGroup;
  root: RowGroup;
  onChange(root: RowGroup): void;
  depth: number;
}

/** A group's rows joined by AND or OR, with buttons to add a condition or a group inside it. */
function GroupEditor({ group, root, onChange, depth }: GroupProps) {
  const { t } = useTranslation();
  const set = (id: string, fn: (n: Node) => Node | null) => onChange(updateNode(root, id, fn));
  const add = (n: Node) =>
    set(group.id, (g) => ({ ...(g as RowGroup), items: [...(g as RowGroup).items, n] }));
  return (
    <Paper withBorder={depth > 0} p={depth > 0 ? 'xs' : 0} data-testid="segment-group">
      <Stack gap="xs">
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            {depth > 0 && (
              <Checkbox
                size="xs"
                label={t('segments.not')}
                checked={group.not}
                onChange={(e) => {
                  const not = e.currentTarget.checked;
                  set(group.id, (g) => ({ ...g, not }));
                }}
              />
            )}
            <Text size="sm">{t('segments.matchIntro')}</Text>
            <SegmentedControl
              size="xs"
              value={group.join}
              onChange={(v) => set(group.id, (g) => ({ ...g, join: v as 'AND' | 'OR' }))}
              data={[
                { value: 'AND', label: t('segments.joinAnd') },
                { value: 'OR', label: t('segments.joinOr') },
              ]}
              data-testid="segment-join"
            />
          </Group>
          {depth > 0 && (
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('segments.removeGroup')}
              onClick={() => set(group.id, () => null)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
        {group.items.map((n) =>
          n.type === 'group' ? (
            <GroupEditor key={n.id} group={n} root={root} onChange={onChange} depth={depth + 1} />
          ) : (
            <ConditionRow
              key={n.id}
              cond={n}
              onChange={(c) => set(n.id, () => c)}
              onRemove={() => set(n.id, () => null)}
            />
          ),
        )}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => add(newCondition())}
            data-testid="segment-add-row"
          >
            {t('segments.addRow')}
          </Button>
          {depth < 3 && (
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              onClick={() => add(newGroup(group.join === 'AND' ? 'OR' : 'AND', [newCondition()]))}
              data-testid="segment-add-group"
            >
              {t('segments.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

interface RowProps {
  cond: Condition;
  onChange(c: Condition): void;
  onRemove(): void;
}

/** One condition: NOT, the field (and its name or window), the operator and the value. */
function ConditionRow({ cond, onChange, onRemove }: RowProps) {
  const { t } = useTranslation();
  const patch = (p: Partial<Condition>) => onChange({ ...cond, ...p });
  const choices = valueChoices(cond.field, t);
  return (
    <Group gap="xs" wrap="wrap" align="flex-end" data-testid="segment-row">
      <Checkbox
        size="xs"
        mb={8}
        label={t('segments.not')}
        checked={cond.not}
        onChange={(e) => patch({ not: e.currentTarget.checked })}
        data-testid="segment-row-not"
      />
      <Select
        w={170}
        size="xs"
        aria-label={t('segments.field')}
        allowDeselect={false}
        value={cond.field}
        data={ROW_FIELDS.map((f) => ({ value: f, label: t(`segments.fields.${f}`) }))}
        onChange={(v) => v && onChange(withField(cond, v as Condition['field']))}
        data-testid="segment-row-field"
      />
      {(cond.field === 'custom' || cond.field === 'consent') && (
        <TextInput
          w={130}
          size="xs"
          aria-label={cond.field === 'custom' ? t('segments.customName') : t('segments.purpose')}
          placeholder={cond.field === 'custom' ? t('segments.customPlaceholder') : 'newsletter'}
          value={cond.name}
          onChange={(e) => patch({ name: e.currentTarget.value })}
          data-testid="segment-row-name"
        />
      )}
      {cond.field === 'activities' && (
        <Select
          w={130}
          size="xs"
          aria-label={t('segments.kind')}
          value={cond.name}
          data={[
            { value: '', label: t('segments.anyKind') },
            ...ACTIVITY_KINDS.map((k) => ({ value: k, label: k })),
          ]}
          allowDeselect={false}
          onChange={(v) => patch({ name: v ?? '' })}
          data-testid="segment-row-kind"
        />
      )}
      {(cond.field === 'activities' || cond.field === 'newsletters') && (
        <TextInput
          w={90}
          size="xs"
          aria-label={t('segments.days')}
          rightSection={<Text size="xs">{t('segments.daysUnit')}</Text>}
          value={cond.days}
          onChange={(e) => patch({ days: e.currentTarget.value.replace(/\D/g, '') })}
          data-testid="segment-row-days"
        />
      )}
      <Select
        w={110}
        size="xs"
        aria-label={t('segments.operator')}
        allowDeselect={false}
        value={cond.op}
        data={operatorsOf(cond.field).map((o) => ({
          value: o,
          label: t(`segments.ops.${o === 'contains' ? 'contains' : o}`),
        }))}
        onChange={(v) => v && patch({ op: v as Condition['op'] })}
        data-testid="segment-row-op"
      />
      {choices ? (
        <Select
          w={170}
          size="xs"
          aria-label={t('segments.value')}
          value={cond.value || null}
          data={choices}
          onChange={(v) => patch({ value: v ?? '' })}
          data-testid="segment-row-value"
        />
      ) : (
        <TextInput
          style={{ flex: '1 1 140px' }}
          size="xs"
          aria-label={t('segments.value')}
          placeholder={valuePlaceholder(cond.field, t)}
          value={cond.value}
          onChange={(e) => patch({ value: e.currentTarget.value })}
          data-testid="segment-row-value"
        />
      )}
      <ActionIcon
        variant="subtle"
        color="gray"
        mb={4}
        aria-label={t('segments.removeRow')}
        onClick={onRemove}
        data-testid="segment-row-remove"
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function valueChoices(field: Condition['field'], t: T) {
  switch (field) {
    case 'platform':
      return PLATFORMS.map((p) => ({ value: p, label: t(`platforms.${p}`) }));
    case 'level':
      return LEVELS.map((l) => ({ value: l, label: t(`segments.levels.${l}`) }));
    case 'consent':
      return CONSENT_STATES.map((s) => ({ value: s, label: t(`segments.states.${s}`) }));
    default:
      return null;
  }
}

function valuePlaceholder(field: Condition['field'], t: T): string {
  switch (field) {
    case 'joined':
    case 'last_activity':
      return t('segments.datePlaceholder');
    case 'activities':
    case 'newsletters':
      return '3';
    case 'received':
      return t('segments.subjectPlaceholder');
    default:
      return t('segments.textPlaceholder');
  }
}

/** The syntax of docs/SEGMENTS.md, short, in the reader's language. */
function SyntaxHelp() {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    ['tag = "bénévole"', t('segments.help.tag')],
    ['city = "Lyon"', t('segments.help.custom')],
    ['"Code postal" >= 69000', t('segments.help.quotedField')],
    ['platform = discord', t('segments.help.platform')],
    ['level >= contributor', t('segments.help.level')],
    ['joined >= 2026-01-01', t('segments.help.joined')],
    ['last_activity < 90d', t('segments.help.lastActivity')],
    ['activities(30d) >= 3', t('segments.help.activities')],
    ['activities(reply, 7d) > 0', t('segments.help.activitiesKind')],
    ['consent.newsletter = granted', t('segments.help.consent')],
    ['newsletters(90d) = 0', t('segments.help.newsletters')],
    ['received = "Lettre d’avril"', t('segments.help.received')],
  ];
  return (
    <Stack gap="xs" data-testid="segment-help">
      <Text size="sm">{t('segments.help.intro')}</Text>
      <Table withTableBorder verticalSpacing={4} fz="xs">
        <Table.Tbody>
          {rows.map(([code, what]) => (
            <Table.Tr key={code}>
              <Table.Td>
                <Code>{code}</Code>
              </Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <List size="xs" spacing={2}>
        <List.Item>{t('segments.help.operators')}</List.Item>
        <List.Item>{t('segments.help.values')}</List.Item>
        <List.Item>{t('segments.help.combine')}</List.Item>
        <List.Item>{t('segments.help.folding')}</List.Item>
        <List.Item>{t('segments.help.notEqual')}</List.Item>
      </List>
      <Text size="xs" c="dimmed">
        {t('segments.help.example')}{' '}
        <Code>
          {
            'tag = "bénévole" AND city = "Lyon" AND (level = ambassador OR activities(30d) >= 3) AND consent.newsletter = granted AND NOT tag = "équipe"'
          }
        </Code>
      </Text>
    </Stack>
  );
}
