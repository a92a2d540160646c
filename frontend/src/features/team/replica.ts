/** A replica id (a copy of the workspace), shortened for reading: its first and last characters. */
export function shortReplica(replica: string): string {
  return replica.length > 12 ? `${replica.slice(0, 6)}…${replica.slice(-4)}` : replica;
}
