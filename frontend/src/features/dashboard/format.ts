import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { parseDay, type DayRange } from './ranges';

/** The dashboard's numbers and dates in one language. */
export interface DashboardFormat {
  count(n: number): string;
  /** One decimal at most (DAU, WAU, MAU). */
  decimal(n: number): string;
  /** 0.123 → "12.3%" (en) / "12,3 %" (fr). */
  percent(n: number): string;
  /** A change: "+12.3%", "−4%". */
  signedPercent(n: number): string;
  /** "Mar 1 – 31, 2025" */
  range(r: DayRange): string;
  /** A YYYY-MM-DD day on a chart axis: "Mar 1" / "1 mars". */
  shortDay(day: string): string;
  /** A YYYY-MM month: "Mar 2025" / "mars 2025". */
  month(month: string): string;
  /** An RFC 3339 instant as a date; '' when missing. */
  date(iso: string | undefined): string;
  /** A length of time in seconds, two units at most: "45 s", "2 h 5 min", "3 d 4 h" / "3 j 4 h". */
  duration(seconds: number): string;
}

/** Units of durations, largest first: seconds each, and the symbol per language. */
const DURATION_UNITS: [number, Record<string, string>][] = [
  [86_400, { en: 'd', fr: 'j' }],
  [3_600, { en: 'h', fr: 'h' }],
  [60, { en: 'min', fr: 'min' }],
  [1, { en: 's', fr: 's' }],
];

function formatDuration(seconds: number, lng: string, count: Intl.NumberFormat): string {
  const lang = lng.startsWith('fr') ? 'fr' : 'en';
  const total = Math.max(0, Math.round(seconds));
  const i = DURATION_UNITS.findIndex(([size]) => total >= size);
  if (i < 0) return `${count.format(0)}\u00a0${DURATION_UNITS[3]![1][lang]}`;
  const [size, symbol] = DURATION_UNITS[i]!;
  const parts = [`${count.format(Math.floor(total / size))}\u00a0${symbol[lang]}`];
  const next = DURATION_UNITS[i + 1];
  if (next) {
    const n = Math.floor((total % size) / next[0]);
    if (n > 0) parts.push(`${count.format(n)}\u00a0${next[1][lang]}`);
  }
  return parts.join(' ');
}

export function dashboardFormat(lng: string): DashboardFormat {
  const count = new Intl.NumberFormat(lng, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(lng, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const medium = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
  const short = new Intl.DateTimeFormat(lng, { day: 'numeric', month: 'short' });
  const month = new Intl.DateTimeFormat(lng, { month: 'short', year: 'numeric' });
  return {
    count: (n) => count.format(n),
    decimal: (n) => decimal.format(n),
    percent: (n) => percent.format(n),
    signedPercent: (n) => signed.format(n),
    range: (r) => {
      const from = parseDay(r.from);
      const to = parseDay(r.to);
      return from && to ? medium.formatRange(from, to) : '';
    },
    shortDay: (day) => {
      const d = parseDay(day);
      return d ? short.format(d) : day;
    },
    month: (m) => {
      const d = parseDay(`${m}-01`);
      return d ? month.format(d) : m;
    },
    duration: (seconds) => formatDuration(seconds, lng, count),
    date: (iso) => {
      const d = iso ? new Date(iso) : null;
      return d && !Number.isNaN(d.getTime()) ? medium.format(d) : '';
    },
  };
}

export function useDashboardFormat(): DashboardFormat {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => dashboardFormat(lng), [lng]);
}
