import type { TFunction } from 'i18next';

/** The actors the Go side names itself (audit.WithActor, consent events' By). */
const KNOWN_ACTORS = ['window', 'cli', 'scheduler', 'sync', 'hearth'] as const;

/**
 * Who did something, in the person's words: "you (window)", "command line", "scheduler"...
 * Anything else (an import's file name, a connector's name) is already a person's word and is
 * shown as it is.
 */
export function actorLabel(t: TFunction, actor: string): string {
  const a = actor.trim();
  if ((KNOWN_ACTORS as readonly string[]).includes(a)) return t(`actors.${a}`);
  if (a.startsWith('sync:')) return t('actors.syncFrom', { platform: a.slice('sync:'.length) });
  return a;
}
