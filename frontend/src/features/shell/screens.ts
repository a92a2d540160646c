export const SCREENS = [
  'dashboard',
  'members',
  'calendar',
  'campaigns',
  'events',
  'moderation',
  'reports',
  'sync',
  'settings',
] as const;

export type Screen = (typeof SCREENS)[number];

/** The app opens on the screen a community manager uses most. */
export const HOME_SCREEN: Screen = 'members';
