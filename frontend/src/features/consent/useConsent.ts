import { useCallback, useEffect, useState } from 'react';
import { useApi, type ConsentEvent, type ConsentStatus, type Purpose } from '../../api';
import { notifyError } from '../../components/notifyError';

export interface ConsentRow {
  purpose: Purpose;
  status: ConsentStatus;
}

export interface MemberConsent {
  rows: ConsentRow[] | null;
  history: ConsentEvent[];
  reload(): void;
}

const noStatus = (purpose: string): ConsentStatus => ({
  purpose,
  state: 'none',
  since: '',
  method: '',
  source: '',
  by: '',
  noticeVersion: '',
  eventId: '',
});

/**
 * A member's consent per purpose and its history, refreshed on `consent:changed`
 * for this member. Active purposes always have a row; archived ones only when
 * the member has a state for them.
 */
export function useMemberConsent(memberId: string): MemberConsent {
  const api = useApi();
  const [rows, setRows] = useState<ConsentRow[] | null>(null);
  const [history, setHistory] = useState<ConsentEvent[]>([]);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([
      api.consent.purposes(),
      api.consent.summary(memberId),
      api.consent.history(memberId),
    ]).then(([purposes, summary, events]) => {
      if (!live) return;
      const byPurpose = new Map(summary.map((s) => [s.purpose, s]));
      const known = new Map(purposes.map((p) => [p.id, p]));
      const out: ConsentRow[] = purposes
        .filter((p) => !p.archived || (byPurpose.get(p.id)?.state ?? 'none') !== 'none')
        .map((p) => ({ purpose: p, status: byPurpose.get(p.id) ?? noStatus(p.id) }));
      // A status for a purpose the list does not know: still show it, named by its id.
      for (const s of summary)
        if (!known.has(s.purpose))
          out.push({
            purpose: {
              id: s.purpose,
              name: s.purpose,
              description: '',
              expiryMonths: 0,
              archived: true,
              builtin: false,
              createdAt: '',
              updatedAt: '',
            },
            status: s,
          });
      setRows(out);
      setHistory(events);
    }, notifyError);
    return () => {
      live = false;
    };
  }, [api, memberId, version]);

  useEffect(
    () => api.events.onConsentChanged((c) => c.memberId === memberId && reload()),
    [api, memberId, reload],
  );

  return { rows, history, reload };
}
