import { useEffect, useRef } from 'react';

/** Single-key shortcuts, e.g. `{ '/': focusSearch, n: openNew }`. */
export type Shortcuts = Record<string, () => void>;

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (TYPING_TAGS.has(target.tagName) || target.isContentEditable)
  );
}

function isModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/**
 * Calls the shortcut matching `event.key`, unless the user is typing, holds
 * Ctrl/Alt/Meta, or a modal or drawer is open. Shift is allowed because some
 * layouts (AZERTY) need it to type `/`.
 */
export function useShortcuts(shortcuts: Shortcuts, enabled = true): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
      if (isTyping(e.target) || isModalOpen()) return;
      const action = latest.current[e.key.length === 1 ? e.key.toLowerCase() : e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
