import type { TFunction } from 'i18next';
import type { Purpose } from '../../api';

/** A purpose's name: the built-in ones come with no name and are translated by id. */
export function purposeName(t: TFunction, p: Pick<Purpose, 'id' | 'name'>): string {
  return p.name || t(`purposes.builtin.${p.id}`, { defaultValue: p.id });
}
