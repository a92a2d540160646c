import { useMemo, useState } from 'react';
import {
  dayOf,
  isValidRange,
  parseDay,
  presetRange,
  type DayRange,
  type Preset,
} from '../dashboard/ranges';

/** A period chosen with the dashboard's presets; `range` is null while a custom one is invalid. */
export function usePeriod(initial: Preset = 'last30') {
  const [preset, setPreset] = useState<Preset>(initial);
  const [custom, setCustom] = useState<DayRange>(() => presetRange('custom', new Date()));
  // A preset means "as of today": a new day moves it on the next render.
  const today = dayOf(new Date());
  const range = useMemo<DayRange | null>(() => {
    if (preset === 'custom') return isValidRange(custom) ? custom : null;
    return presetRange(preset, parseDay(today) ?? new Date());
  }, [preset, custom, today]);
  const choosePreset = (p: Preset) => {
    // Custom starts from what was chosen before.
    if (p === 'custom' && range) setCustom(range);
    setPreset(p);
  };
  return { preset, custom, range, choosePreset, setCustom };
}
