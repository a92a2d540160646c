import { useEffect } from 'react';
import { useApi, type PaintedScreen } from '../api';

/** Screens already reported in this window: each is timed once, at its first paint. */
const reported = new Set<PaintedScreen>();

/**
 * Tells the Go side (for the window benchmark) the first time `ready` is true for `what`, once
 * the frame showing it has been painted: the callback of the next animation frame runs before
 * that frame is painted, a task it queues runs after.
 */
export function usePaintedOnce(what: PaintedScreen, ready: boolean): void {
  const api = useApi();
  useEffect(() => {
    if (!ready || reported.has(what)) return;
    reported.add(what);
    const report = () => setTimeout(() => api.window.painted(what), 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(report);
    else report();
  }, [api, what, ready]);
}
