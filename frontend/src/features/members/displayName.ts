import type { Member } from '../../api';

/** What to call a member: the name, else the primary e-mail. */
export function displayName(m: Pick<Member, 'name' | 'emails'>): string {
  return m.name.trim() || m.emails[0] || '';
}
