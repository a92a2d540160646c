import type { TeamApi } from '../api';
import type { TeamExport, TeamMerge, Teammate, TeamShare, TeamShareRun } from '../types';
import type { FakeContext } from './context';
import { Scenario, type Recording } from './recorded';
import teamFile from './recorded/team.json';

/** Settings > Team's recorded scenarios (app/recorded_team_test.go). */
export const TEAM_RECORDING = teamFile as Recording;

/**
 * Settings > Team replayed: Go's recorded answers over the recorded workspace kept by Camille,
 * of which Sam keeps a copy (app/recorded_team_test.go): naming oneself, exports (a passphrase,
 * Sam's key, a key that is not one), Sam's bundle refused (a wrong passphrase, damaged, another
 * workspace's: pick `/home/demo/Documents/damaged.hearth` or `other.hearth` by overriding
 * `chooseBundle`) then merged with two conflicts, and taking one back. The dialogs answered with
 * the name Go suggested in ~/Documents and with Sam's bundle. Nothing is computed here; in demo
 * mode (`demo`), a call nobody recorded is refused as demo data.
 */
export function createFakeTeam(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  // The recordings' moments are Go's of the recording day; Team shows no period to move.
  const scenario = new Scenario(TEAM_RECORDING, 'team', '', () => 0, { demo: opts.demo });
  const api: TeamApi = {
    whoami: () => ctx.settle('team.whoami', () => scenario.read<Teammate>('whoami', [])),
    setName: (name) => ctx.settle('team.setName', () => scenario.step<Teammate>('setName', [name])),
    publicKey: () => ctx.settle('team.publicKey', () => scenario.read<string>('publicKey', [])),
    teammates: () => ctx.settle('team.teammates', () => scenario.read<Teammate[]>('teammates', [])),
    chooseExportFile: () =>
      ctx.settle('team.chooseExportFile', () => scenario.read<string>('chooseExportFile', [])),
    export: (req) => ctx.settle('team.export', () => scenario.step<TeamExport>('export', [req])),
    chooseBundle: () =>
      ctx.settle('team.chooseBundle', () => scenario.read<string>('chooseBundle', [])),
    merge: (req) => ctx.settle('team.merge', () => scenario.step<TeamMerge>('merge', [req])),
    lastMerge: () => ctx.settle('team.lastMerge', () => scenario.read<TeamMerge>('lastMerge', [])),
    takeOther: (conflict) =>
      ctx.settle('team.takeOther', () => scenario.step<TeamMerge>('takeOther', [conflict])),
    chooseShareFolder: () =>
      ctx.settle('team.chooseShareFolder', () => scenario.read<string>('chooseShareFolder', [])),
    share: () => ctx.settle('team.share', () => scenario.read<TeamShare>('share', [])),
    setShare: (input) =>
      ctx.settle('team.setShare', () => scenario.step<TeamShare>('setShare', [input])),
    shareNow: () => ctx.settle('team.shareNow', () => scenario.step<TeamShareRun>('shareNow', [])),
  };
  return { api };
}
