/** Lower-case and strip accents: "Hélène" → "helene". Mirrors the Go search. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmail(s: string): boolean {
  return EMAIL_SHAPE.test(s);
}
