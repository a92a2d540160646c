/** How a number moved compared with the previous period. */
export interface Change {
  /** Relative change (0.25 = +25 %); null when the previous value was 0 (no meaningful ratio). */
  ratio: number | null;
  direction: 'up' | 'down' | 'flat';
  /** Whether the move is good news: more churn is bad, more of anything else is good. */
  tone: 'good' | 'bad' | 'neutral';
}

/** The change from `previous` to `current`; `lowerIsBetter` for numbers such as churn. */
export function change(current: number, previous: number, lowerIsBetter = false): Change {
  const diff = current - previous;
  const direction = Math.abs(diff) < 1e-12 ? 'flat' : diff > 0 ? 'up' : 'down';
  const ratio = previous === 0 ? null : diff / Math.abs(previous);
  const tone =
    direction === 'flat' ? 'neutral' : (direction === 'up') !== lowerIsBetter ? 'good' : 'bad';
  return { ratio, direction, tone };
}
