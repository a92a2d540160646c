import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, type NewsletterDone, type NewsletterProgress } from '../../api';

export interface SendJob {
  progress: NewsletterProgress | null;
  done: NewsletterDone | null;
  running: boolean;
  /** Starts a send; with `resendUncertain`, one that also resends to the uncertain recipients. */
  start(newsletterId: string, resendUncertain?: boolean): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

/**
 * One newsletter send at a time: listens to `newsletter:progress:<id>` and
 * `newsletter:done:<id>` (under the newsletter's id before starting, so a quick send is not
 * missed, and under the job id Send returns when it differs), until done or unmount.
 */
export function useSendJob(onDone?: (p: NewsletterDone) => void): SendJob {
  const api = useApi();
  const [newsletterId, setNewsletterId] = useState<string | null>(null);
  const [progress, setProgress] = useState<NewsletterProgress | null>(null);
  const [done, setDone] = useState<NewsletterDone | null>(null);
  const offs = useRef<(() => void)[]>([]);
  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });

  const unsubscribe = useCallback(() => {
    offs.current.forEach((off) => off());
    offs.current = [];
  }, []);
  useEffect(() => unsubscribe, [unsubscribe]);

  const follow = useCallback(
    (id: string) => {
      offs.current.push(
        api.events.onNewsletterProgress(id, setProgress),
        api.events.onNewsletterDone(id, (p) => {
          setProgress(p);
          setDone(p);
          unsubscribe();
          onDoneRef.current?.(p);
        }),
      );
    },
    [api, unsubscribe],
  );

  const start = useCallback(
    async (id: string, resendUncertain = false) => {
      unsubscribe();
      setProgress(null);
      setDone(null);
      setNewsletterId(id);
      follow(id);
      try {
        const jobId = resendUncertain
          ? await api.newsletters.resendUncertain(id)
          : await api.newsletters.send(id);
        if (jobId && jobId !== id) follow(jobId);
      } catch (reason) {
        unsubscribe();
        setNewsletterId(null);
        throw reason;
      }
    },
    [api, follow, unsubscribe],
  );

  const cancel = useCallback(async () => {
    if (newsletterId) await api.newsletters.cancel(newsletterId);
  }, [api, newsletterId]);

  const reset = useCallback(() => {
    unsubscribe();
    setNewsletterId(null);
    setProgress(null);
    setDone(null);
  }, [unsubscribe]);

  return { progress, done, running: newsletterId !== null && done === null, start, cancel, reset };
}
