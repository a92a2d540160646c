import { Select, type SelectProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type SavedSegment } from '../api';
import { notifyError } from './notifyError';

interface Props extends Omit<SelectProps, 'data' | 'value' | 'onChange'> {
  /** The chosen segment's id; '' for none (everyone, when `everyone` labels it). */
  value: string;
  onChange(id: string): void;
  /** The label of "no segment" ("Everyone"); without it a segment must be chosen. */
  everyone?: string;
}

/**
 * A saved segment picked by name, with how many members it holds now; the list is read again
 * when members change (a count moves) and when the picker opens.
 */
export function SegmentSelect({ value, onChange, everyone, ...rest }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [segments, setSegments] = useState<SavedSegment[] | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    api.segments.list().then(
      (list) => live && setSegments(list),
      (reason: unknown) => live && notifyError(reason),
    );
    return () => {
      live = false;
    };
  }, [api, generation]);

  const options = (segments ?? []).map(({ segment, count }) => ({
    value: segment.id,
    label: t('segmentSelect.option', { name: segment.name, count }),
  }));
  // A chosen segment deleted meanwhile still shows what was chosen rather than an empty box.
  if (value && segments && !segments.some((s) => s.segment.id === value)) {
    options.push({ value, label: t('segmentSelect.gone') });
  }
  const data = everyone ? [{ value: '', label: everyone }, ...options] : options;
  return (
    <Select
      {...rest}
      data={data}
      value={value}
      allowDeselect={false}
      nothingFoundMessage={t('segmentSelect.none')}
      onDropdownOpen={() => setGeneration((g) => g + 1)}
      onChange={(v) => onChange(v ?? '')}
    />
  );
}
