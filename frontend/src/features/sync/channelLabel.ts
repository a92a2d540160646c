import type { FeedItem } from '../../api';

/**
 * The channel as people name it: "#general" on Discord; nothing for a bare platform id (a
 * Discord channel or Discourse category pulled before Hearth kept names), which would only be
 * noise beside the connection's name.
 */
export function channelLabel(item: Pick<FeedItem, 'platform' | 'channel'>): string {
  const c = (item.channel ?? '').trim();
  if (c === '' || /^\d+$/.test(c)) return '';
  return item.platform === 'discord' && !c.startsWith('#') ? `#${c}` : c;
}
