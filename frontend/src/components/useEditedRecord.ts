import { useEffect, useState } from 'react';
import { notifyError } from './notifyError';

/**
 * Loads the record an editor opened on (`editId`, null for a new one). If it cannot be loaded
 * (deleted meanwhile), says why and closes the editor. `load` must be stable (an Api method).
 */
export function useEditedRecord<T extends { id: string }>(
  editId: string | null,
  load: (id: string) => Promise<T>,
  onClose: () => void,
): T | null {
  const [loaded, setLoaded] = useState<T | null>(null);
  useEffect(() => {
    if (!editId) return;
    let live = true;
    load(editId).then(
      (record) => live && setLoaded(record),
      (reason: unknown) => {
        if (!live) return;
        notifyError(reason);
        onClose();
      },
    );
    return () => {
      live = false;
      setLoaded(null);
    };
  }, [load, editId, onClose]);
  return editId && loaded?.id === editId ? loaded : null;
}
