import type { Connection, ConnectionPlatform, ConnectionSettings } from '../../api';

/** A platform's form: Discord has two, a bot and a webhook. */
export type Variant = ConnectionPlatform | 'discordWebhook';

export type SettingKey =
  'url' | 'username' | 'category' | 'channel' | 'guild' | 'apiUrl' | 'listId';

export interface FieldDef {
  key: SettingKey | 'keywords' | 'secret';
  required: boolean;
  /** Placeholder, not translated: an example value. */
  example?: string;
}

/** The fields each form shows, in order (the secret last). Mirrors the Go rules. */
export const VARIANT_FIELDS: Record<Variant, FieldDef[]> = {
  discourse: [
    { key: 'url', required: true, example: 'https://forum.example.org' },
    { key: 'username', required: true, example: 'system' },
    { key: 'category', required: false, example: '4' },
    { key: 'secret', required: true },
  ],
  discord: [
    { key: 'channel', required: true, example: '112233445566778899' },
    { key: 'guild', required: false, example: '998877665544332211' },
    { key: 'apiUrl', required: false, example: 'https://discord.com/api/v10' },
    { key: 'secret', required: true },
  ],
  discordWebhook: [{ key: 'secret', required: true }],
  mastodon: [
    { key: 'url', required: true, example: 'https://mastodon.social' },
    { key: 'secret', required: true },
  ],
  mailchimp: [
    { key: 'listId', required: true, example: 'a1b2c3d4e5' },
    { key: 'apiUrl', required: false, example: 'https://us21.api.mailchimp.com/3.0' },
    { key: 'secret', required: true },
  ],
  rss: [
    { key: 'url', required: true, example: 'https://example.org/feed.xml' },
    { key: 'keywords', required: false },
  ],
};

export const variantOf = (platform: ConnectionPlatform, settings: ConnectionSettings): Variant =>
  platform === 'discord' && settings.webhook ? 'discordWebhook' : platform;

export const hasSecretField = (v: Variant) => VARIANT_FIELDS[v].some((f) => f.key === 'secret');

/** Colour and two letters standing for each platform (no remote logos). */
export const PLATFORM_LOOK: Record<ConnectionPlatform, { color: string; letters: string }> = {
  discourse: { color: 'yellow', letters: 'Di' },
  discord: { color: 'indigo', letters: 'Dc' },
  mastodon: { color: 'violet', letters: 'Ma' },
  mailchimp: { color: 'orange', letters: 'Mc' },
  rss: { color: 'teal', letters: 'RSS' },
};

/** What the row shows under the name: where the connection points (no secret). */
export function summary(c: Connection): string {
  const s = c.settings;
  switch (c.platform) {
    case 'discord':
      return s.webhook ? '' : `#${s.channel ?? ''}`;
    case 'mailchimp':
      return s.listId ?? '';
    default:
      return s.url ?? '';
  }
}
