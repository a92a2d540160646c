import type { BackupsApi } from '../api';
import type { Backup, BackupRestore } from '../types';
import type { FakeContext } from './context';
import { daysBetween, RECORDED_NOW, Scenario, type Recording } from './recorded';
import backupsFile from './recorded/backups.json';

/** Settings > Backups' recorded scenarios (app/recorded_backups_test.go). */
export const BACKUPS_RECORDING = backupsFile as Recording;

/**
 * Settings > Backups: Go's recorded answers (two backups to start with, "Back up now", a
 * restore and a restore of a backup that is not there). What Go decides is replayed; in demo
 * mode (`demo`), a call nobody recorded is refused with a notice that this is demo data.
 */
export function createFakeBackups(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(
    BACKUPS_RECORDING,
    'backups',
    '',
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  /** Ids of the backups restored, for assertions (Hearth restarts after each). */
  const restored: string[] = [];
  const api: BackupsApi = {
    list: () => ctx.settle('backups.list', () => scenario.read<Backup[]>('list', [])),
    create: () => ctx.settle('backups.create', () => scenario.step<Backup>('create', [])),
    restore: (id) =>
      ctx.settle('backups.restore', () => {
        const res = scenario.step<BackupRestore>('restore', [id]);
        restored.push(id);
        return res;
      }),
  };
  return { api, restored };
}
