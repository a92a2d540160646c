import type { Api, WorkspaceInfo } from '../../api';
import { useMembersQuery } from '../../components/useMembersQuery';

const fetchInfo = (api: Api) => api.workspace.info();

/** The open workspace's info, refreshed when members change (for the count). */
export function useWorkspaceInfo(): WorkspaceInfo | null {
  return useMembersQuery<WorkspaceInfo | null>(fetchInfo, null);
}
