import { describe, expect, it } from 'vitest';
import { resources } from '.';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** `{ a: { b: 'x' } }` → `{ 'a.b': 'x' }` */
function flatten(tree: object, prefix = ''): Record<string, unknown> {
  return Object.entries(tree).reduce<Record<string, unknown>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(acc, flatten(v as object, key));
    else acc[key] = v;
    return acc;
  }, {});
}

const locales = Object.entries(resources).map(([lng, r]) => ({
  lng,
  flat: flatten(r.translation),
}));

/** Keys with plural forms folded together: languages need different forms. */
const baseKeys = (flat: Record<string, unknown>) =>
  [...new Set(Object.keys(flat).map((k) => k.replace(PLURAL_SUFFIX, '')))].sort();

describe('locales', () => {
  const [first, ...others] = locales;

  it.each(others.map((o) => [o.lng, o] as const))('%s has the same keys as English', (_, other) => {
    expect(baseKeys(other.flat)).toEqual(baseKeys(first!.flat));
  });

  it.each(locales.map((l) => [l.lng, l] as const))('%s has no empty or non-text value', (_, l) => {
    for (const [key, value] of Object.entries(l.flat)) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).not.toBe('');
    }
  });

  it.each(locales.map((l) => [l.lng, l] as const))(
    '%s has every plural form its language uses',
    (lng, l) => {
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      const plurals = new Set(
        Object.keys(l.flat)
          .filter((k) => PLURAL_SUFFIX.test(k))
          .map((k) => k.replace(PLURAL_SUFFIX, '')),
      );
      for (const base of plurals) {
        for (const c of categories) expect(l.flat, `${base}_${c}`).toHaveProperty([`${base}_${c}`]);
      }
    },
  );

  it.each(locales.map((l) => [l.lng, l] as const))(
    '%s uses the same placeholders as English',
    (_, l) => {
      const placeholders = (s: unknown) =>
        [...String(s).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
      for (const [key, value] of Object.entries(l.flat)) {
        const base = key.replace(PLURAL_SUFFIX, '');
        const english =
          first!.flat[key] ?? first!.flat[`${base}_other`] ?? first!.flat[`${base}_one`];
        expect(placeholders(value), key).toEqual(placeholders(english));
      }
    },
  );
});
