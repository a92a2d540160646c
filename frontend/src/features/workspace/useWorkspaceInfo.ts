import { useEffect, useState } from 'react';
import { useApi, type WorkspaceInfo } from '../../api';
import { notifyError } from '../../components/notifyError';

/** The open workspace's info, refreshed when members change (for the count). */
export function useWorkspaceInfo(): WorkspaceInfo | null {
  const api = useApi();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => api.workspace.info().then((i) => live && setInfo(i), notifyError);
    void load();
    const off = api.events.onMembersChanged(() => void load());
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return info;
}
