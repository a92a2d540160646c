import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  number(n: number): string;
  /** A short localised date from an RFC 3339 string; '' when missing or invalid. */
  date(iso: string): string;
  dateTime(iso: string): string;
}

export function formatters(lng: string): Formatters {
  const num = new Intl.NumberFormat(lng);
  const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
  const safe = (fmt: Intl.DateTimeFormat) => (iso: string) => {
    const d = new Date(iso);
    return iso && !Number.isNaN(d.getTime()) ? fmt.format(d) : '';
  };
  return { number: (n) => num.format(n), date: safe(date), dateTime: safe(dateTime) };
}

/** Number and date formatters for the current language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => formatters(lng), [lng]);
}
