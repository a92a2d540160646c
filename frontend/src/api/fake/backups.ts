import type { BackupsApi } from '../api';
import { ApiError } from '../errors';
import type { Backup, BackupReason } from '../types';
import type { FakeContext } from './context';

/** "20261207T084500Z": the time part of a backup's id, as Go writes it. */
const idTime = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const DAY = 24 * 60 * 60 * 1000;

/**
 * The workspace's backups as Go describes them (app.BackupsService): a daily one from this
 * morning and one taken before an import yesterday, to start with.
 */
export function createFakeBackups(ctx: FakeContext) {
  const make = (at: Date, reason: BackupReason, members: number): Backup => ({
    id: `${idTime(at)}-${reason}`,
    at: at.toISOString().replace(/\.\d+Z$/, 'Z'),
    reason,
    members,
    schemaVersion: 3,
    size: 48_128 + members * 900,
  });
  const morning = new Date(ctx.now());
  morning.setUTCHours(3, 0, 0, 0);
  const backups: Backup[] = [
    make(morning, 'daily', ctx.members.all().length),
    make(
      new Date(morning.getTime() - DAY + 6 * 60 * 60 * 1000),
      'import',
      Math.max(0, ctx.members.all().length - 2),
    ),
  ];
  const newest = () => [...backups].sort((a, b) => (a.id < b.id ? 1 : -1));
  const take = (reason: BackupReason) => {
    const b = make(
      new Date(Math.floor(ctx.now().getTime() / 1000) * 1000),
      reason,
      ctx.members.all().length,
    );
    backups.push(b);
    return b;
  };
  /** Ids of the backups restored, for assertions (Hearth restarts after each). */
  const restored: string[] = [];

  const api: BackupsApi = {
    list: () => ctx.settle('backups.list', () => newest()),
    create: () => ctx.settle('backups.create', () => take('manual')),
    restore: (id) =>
      ctx.settle('backups.restore', () => {
        const backup = backups.find((b) => b.id === id);
        if (!backup)
          throw new ApiError({
            kind: 'not_found',
            code: 'backup_not_found',
            message: `backup: no backup ${id}`,
            params: { id },
          });
        restored.push(id);
        return { backup, replaced: take('restore'), erased: 0, suppressions: 0 };
      }),
  };
  return { api, restored };
}
