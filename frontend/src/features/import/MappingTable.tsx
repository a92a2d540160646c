import { ScrollArea, Select, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportColumn, ImportPreview } from '../../api';
import { fieldGroup, fieldLabel } from './importText';

interface Props {
  preview: ImportPreview;
  mapping: Record<string, string>;
  onChange(header: string, field: string): void;
}

const GROUPS = ['person', 'handles', 'custom', 'consent', 'other'] as const;

/** The first rows of the file, with the target field of each column chosen above it. */
export function MappingTable({ preview, mapping, onChange }: Props) {
  const { t } = useTranslation();

  /**
   * Options for one column, grouped: the member fields, and one custom field, the column's own
   * (the one Go proposed for it, else one named after its header), so that a person who moved
   * a column elsewhere can put it back; the current value always present.
   */
  const optionsFor = useMemo(
    () => (col: ImportColumn) => {
      const current = mapping[col.header] ?? col.field;
      const own = col.field.startsWith('custom:') ? col.field : `custom:${col.header}`;
      const fields = preview.fields.filter((f) => !f.startsWith('custom:'));
      for (const f of [own, current]) if (f && !fields.includes(f)) fields.push(f);
      return GROUPS.map((group) => ({
        group: t(`import.group.${group}`),
        items: fields
          .filter((f) => fieldGroup(f) === group)
          .map((f) => ({ value: f, label: fieldLabel(t, f) })),
      })).filter((g) => g.items.length > 0);
    },
    [preview.fields, mapping, t],
  );

  return (
    <ScrollArea type="auto" offsetScrollbars data-testid="import-mapping">
      <Table
        withTableBorder
        withColumnBorders
        striped
        layout="fixed"
        miw={preview.columns.length * 200 + 60}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>
              <Text size="xs" c="dimmed">
                {t('import.line')}
              </Text>
            </Table.Th>
            {preview.columns.map((col) => (
              <Table.Th key={col.index} style={{ verticalAlign: 'top' }}>
                <Select
                  size="xs"
                  aria-label={t('import.columnField', { column: col.header })}
                  data-testid={`import-column-field-${col.index}`}
                  data={optionsFor(col)}
                  value={mapping[col.header] ?? col.field}
                  onChange={(v) => v && onChange(col.header, v)}
                  allowDeselect={false}
                  maxDropdownHeight={320}
                  comboboxProps={{ zIndex: 400 }}
                />
                <Text size="sm" fw={600} mt={6} truncate title={col.header}>
                  {col.header || t('import.noHeader', { n: col.index + 1 })}
                </Text>
                {col.auto &&
                  (mapping[col.header] ?? col.field) === col.field &&
                  col.field !== 'ignore' && (
                    <Text size="xs" c="dimmed">
                      {t('import.autoMapped')}
                    </Text>
                  )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.rows.map((row) => (
            <Table.Tr key={row.line}>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {row.line}
                </Text>
              </Table.Td>
              {preview.columns.map((col) => {
                const cell = row.cells[col.index] ?? '';
                const ignored = (mapping[col.header] ?? col.field) === 'ignore';
                return (
                  <Table.Td key={col.index}>
                    <Text size="sm" truncate title={cell} c={ignored ? 'dimmed' : undefined}>
                      {cell}
                    </Text>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
