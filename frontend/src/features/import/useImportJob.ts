import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, type ImportProgress, type ImportRequest, type ImportSummary } from '../../api';

export interface ImportJob {
  jobId: string | null;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  /** Started and not finished. */
  running: boolean;
  /** Resolves once the job has started (its summary arrives later). */
  start(req: ImportRequest): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

/**
 * One import job at a time: starts it, follows `import:progress:<id>` and
 * `import:done:<id>`, and stops listening when the summary arrives or on unmount.
 */
export function useImportJob(): ImportJob {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const offRef = useRef<(() => void) | null>(null);

  const unsubscribe = useCallback(() => {
    offRef.current?.();
    offRef.current = null;
  }, []);
  useEffect(() => unsubscribe, [unsubscribe]);

  const start = useCallback(
    async (req: ImportRequest) => {
      unsubscribe();
      setProgress(null);
      setSummary(null);
      setJobId(null);
      // Listen before starting, under an id chosen here: a small file can finish before
      // Start's answer arrives, and its summary must not be missed.
      const follow = (id: string) => {
        unsubscribe();
        const offProgress = api.events.onImportProgress(id, setProgress);
        const offDone = api.events.onImportDone(id, (s) => {
          setSummary(s);
          unsubscribe();
        });
        offRef.current = () => {
          offProgress();
          offDone();
        };
      };
      const wanted = crypto.randomUUID();
      follow(wanted);
      const id = await api.imports.start({ ...req, jobId: wanted });
      if (id !== wanted) follow(id);
      setJobId(id);
    },
    [api, unsubscribe],
  );

  const cancel = useCallback(async () => {
    if (jobId) await api.imports.cancel(jobId);
  }, [api, jobId]);

  const reset = useCallback(() => {
    unsubscribe();
    setJobId(null);
    setProgress(null);
    setSummary(null);
  }, [unsubscribe]);

  return {
    jobId,
    progress,
    summary,
    running: jobId !== null && summary === null,
    start,
    cancel,
    reset,
  };
}
