// Wall-clock times in IANA zones, with nothing but Intl: what the calendar needs to show
// an item at "09:00 Europe/Paris" and to turn what someone typed into an instant.

/** The zone of this computer, e.g. `Europe/Paris`. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const FALLBACK_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Montreal',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** Every IANA zone this runtime knows, the user's first. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  let all: string[];
  try {
    all = intl.supportedValuesOf?.('timeZone') ?? FALLBACK_ZONES;
  } catch {
    all = FALLBACK_ZONES;
  }
  const user = userTimeZone();
  return [user, ...all.filter((z) => z !== user)];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string, d: Date) {
  let fmt = partsFormatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(zone, fmt);
  }
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Milliseconds `zone` is ahead of UTC at instant `d`. */
function offsetMs(zone: string, d: Date): number {
  const p = partsIn(zone, d);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(d.getTime() / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2025-03-30T09:00` (a wall time in `zone`) → the instant. Invalid input → null. */
export function zonedToInstant(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m || !isTimeZone(zone)) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset, including across a daylight-saving change.
  let t = guess - offsetMs(zone, new Date(guess));
  t = guess - offsetMs(zone, new Date(t));
  const out = new Date(t);
  return Number.isNaN(out.getTime()) ? null : out;
}

/** An instant → `2025-03-30T09:00`, its wall time in `zone`. */
export function instantToZoned(d: Date, zone: string): string {
  const p = partsIn(zone, d);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** RFC 3339 with the zone's offset, as the Go side writes it: `2025-03-30T09:00:00+02:00`. */
export function toRfc3339(d: Date, zone: string): string {
  const off = Math.round(offsetMs(zone, d) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const tz = off === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${instantToZoned(d, zone)}:${pad(partsIn(zone, d).second)}${tz}`;
}

/** `YYYY-MM-DD` of a Date in this computer's zone. */
export function localDateKey(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Milliseconds of a wall time `YYYY-MM-DDTHH:MM` read as if it were UTC (for differences). */
const wallMs = (wall: string) => Date.parse(`${wall}:00Z`);

/**
 * `start` moved by as many days, hours and minutes of wall time in `zone` as separate `from`
 * and `to`: moving a series by "one day later" keeps its 09:00 across daylight-saving changes.
 */
export function shiftInZone(start: Date, from: Date, to: Date, zone: string): Date {
  const delta = wallMs(instantToZoned(to, zone)) - wallMs(instantToZoned(from, zone));
  const wall = new Date(wallMs(instantToZoned(start, zone)) + delta).toISOString().slice(0, 16);
  return zonedToInstant(wall, zone) ?? new Date(start.getTime() + (to.getTime() - from.getTime()));
}
