import { Avatar } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionPlatform } from '../../api';
import { PLATFORM_LOOK } from './platforms';

/** A platform's coloured initials, named for screen readers. */
export function PlatformAvatar({ platform, size = 'md' }: { platform: string; size?: string }) {
  const { t } = useTranslation();
  const look = PLATFORM_LOOK[platform as ConnectionPlatform] ?? { color: 'gray', letters: '?' };
  const name = t(`connections.platforms.${platform}`, { defaultValue: platform });
  return (
    <Avatar color={look.color} radius="sm" size={size} aria-label={name} title={name}>
      {look.letters}
    </Avatar>
  );
}
