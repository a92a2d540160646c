import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

// The failure detectors of the click-through (clickthrough.spec.ts): rejected calls, page
// errors, and words that do not belong on a French screen.

/**
 * Watches a page for what must never happen while clicking around: a rejected call (the one
 * red notification, components/notifyError.ts), a console error, an uncaught page error.
 * `take()` returns what happened since the last call.
 */
export function watchFailures(page: Page) {
  let seen: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => {
    // Wails' own overlay for a browser on `wails dev` (/wails/ipc.js) throws on load: not the app.
    if (err.stack?.includes('/wails/ipc.js')) return;
    seen.push(`page error: ${err.message}`);
  });
  // Notifications close by themselves: record each one as it appears.
  void page.addInitScript(() => {
    const w = window as unknown as { __hearthErrors: string[] };
    w.__hearthErrors = [];
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of Array.from(r.addedNodes)) {
          if (!(n instanceof Element)) continue;
          const hits = n.matches('[data-testid="error-notification"]')
            ? [n]
            : Array.from(n.querySelectorAll('[data-testid="error-notification"]'));
          for (const h of hits)
            w.__hearthErrors.push(
              `error notification [${h.getAttribute('data-error-code') ?? '?'}]: ${h.textContent}`,
            );
        }
    }).observe(document, { childList: true, subtree: true });
  });
  return {
    async take(): Promise<string[]> {
      const notified = await page
        .evaluate(() => {
          const w = window as unknown as { __hearthErrors?: string[] };
          const out = w.__hearthErrors ?? [];
          w.__hearthErrors = [];
          return out;
        })
        .catch(() => [] as string[]);
      const out = [...seen, ...notified];
      seen = [];
      return out;
    },
  };
}

/**
 * Where member or platform content renders: skipped by the French check. Anything a feature
 * marks with data-user-content, plus the few places known to show words from members' posts.
 * Code samples (CLI commands, CSV columns) are not prose either.
 */
const NOT_CHROME = [
  '[data-user-content]',
  '[data-testid="rising-topic"]',
  '[data-testid="feed-title"]',
  '[data-testid="sync-feed"]',
  'code',
  'pre',
  'kbd',
].join(',');

/** Every visible piece of text on the page, plus the labels a screen reader says. */
export async function screenText(page: Page): Promise<string[]> {
  return page.evaluate((skip) => {
    const out: string[] = [];
    const shown = (el: Element) =>
      !el.closest(skip) &&
      (typeof el.checkVisibility !== 'function' ||
        el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('script,style,noscript')) continue;
      if (shown(el)) out.push(text);
    }
    for (const el of Array.from(
      document.body.querySelectorAll('[placeholder],[aria-label],[title],[alt]'),
    )) {
      if (!shown(el)) continue;
      for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  }, NOT_CHROME);
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: Record<string, unknown>, prefix = '', into: string[] = []): string[] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if (v && typeof v === 'object') {
      into.push(key);
      flatten(v as Record<string, unknown>, `${key}.`, into);
    } else into.push(key.replace(PLURAL, ''));
  }
  return into;
}

function catalog(lang: string): Record<string, unknown> {
  const file = new URL(`../src/i18n/${lang}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * Common English words of an interface that have no place on a French screen. Words that are
 * French too (Total, Notes, Score, Test, Import, Export, Audience, Questions, Messages, active,
 * sent, due, on, or, an, ...) are left out on purpose.
 */
const ENGLISH =
  `Save Cancel Members Member Settings Delete Search Loading Error Errors New Edit Close
Yes No Add Remove Open Back Next Previous Today Yesterday Week Month Day Days Send Draft Scheduled
Published Name Email Tags Tag Status Churned Growth Dashboard Calendar Campaigns Campaign
Reports Report Sync Of The And With From None All Any Show Hide Enable Enabled Disabled Weekly
Monthly Daily Level Levels Upload Download Create Update Updated Created Since Last Never Always
Connect Connected Offline Online Retry Failed Success Workspace Language Theme Preview Subject Body
Steps Step Trigger Wait Start Stop Running Pending Choose File Select Filter Sort Clear Reset Apply
Confirm Erase Purpose Purposes Retention Connections Connection Platform Password Username Host
Slots Slot Moderation Events Newsletters Automations Automation Tasks Task Assignee Channel Channels
Kind Title Posts Replies Reaction Reactions Goal Goals Answered Asked Unknown Untitled Help
members member days day weeks week months month years year hours hour new of the and with for
from to yes no is are was this that you your items item more less than per ago never since last
loading saved deleted error failed scheduled draft weekly monthly daily posts replies reactions
answered asked joined unknown none created updated unchanged rejected imported`
    .split(/\s+/)
    .filter(Boolean);

/**
 * English of other products the French text quotes on purpose: Mailchimp's and Discord's own
 * menu names, the CSV columns the CLI reads, an example of negative wording.
 */
const QUOTED = [
  'connections.hints.listId',
  'connections.secretHint.discord',
  'dashboard.empty.importColumns',
  'dashboard.text.sentimentNote',
  'dashboard.conversion.note',
];

function lookup(obj: Record<string, unknown>, key: string): string | undefined {
  let v: unknown = obj;
  for (const k of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' ? v : undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NOT_LETTER = '[^\\p{L}\\p{N}_]';

/** Checks the text of French screens; `memberText` is what members wrote (names, posts...). */
export function frenchChecker(memberText: string[]) {
  const en = catalog('en');
  const fr = catalog('fr');
  const keys = new Set(flatten(en));
  const namespaces = Object.keys(en).map(escape).join('|');
  // A dotted name starting with a catalog namespace: a key i18next did not find shows as such.
  const keyLike = new RegExp(
    `(?<![\\p{L}\\p{N}_@./-])(?:${namespaces})(?:\\.[A-Za-z_][A-Za-z0-9_]*)+(?![\\p{L}\\p{N}_@-])`,
    'gu',
  );
  const english = new RegExp(
    `(?<=^|${NOT_LETTER})(?:${ENGLISH.map(escape).join('|')})(?=$|${NOT_LETTER})`,
    'gu',
  );
  const allowed = [
    ...QUOTED.map((k) => lookup(fr, k)).filter((v): v is string => !!v),
    ...memberText,
  ]
    .filter((s) => s.trim().length > 1)
    .sort((a, b) => b.length - a.length);

  return (texts: string[]): string[] => {
    const problems: string[] = [];
    for (const raw of new Set(texts)) {
      for (const m of raw.matchAll(keyLike)) {
        const parts = m[0].split('.');
        // Known key, or a key under a known group (dashboard.kpi.nope): file names are neither.
        const prefix = parts.slice(0, -1).join('.');
        if (keys.has(m[0]) || (parts.length > 2 && keys.has(prefix)))
          problems.push(`raw i18n key "${m[0]}" in "${raw}"`);
      }
      // What French quotes (« a subject », “a name”) is someone's text, not the interface's;
      // so is a file's name (members.csv, the name the person gave the file they imported).
      let text = raw
        .replace(/«[^»]*»|“[^”]*”/g, ' ')
        .replace(/[\p{L}\p{N}_.-]+\.(?:csv|xlsx|json|ics|txt|tsv)\b/giu, ' ');
      for (const a of allowed) if (text.includes(a)) text = text.replaceAll(a, ' ');
      const words = [...text.matchAll(english)].map((m) => m[0]);
      if (words.length > 0)
        problems.push(`English ${JSON.stringify([...new Set(words)])} in "${raw}"`);
    }
    return problems;
  };
}

/** Splits one CSV line (quotes doubled inside quoted fields). */
function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * What members wrote in the generated community (e2e/community.mjs) the harness imported
 * into E2E_COMMUNITY: names, addresses, tags, post titles and texts.
 */
export function communityText(dir: string | undefined): string[] {
  if (!dir) return [];
  const out = new Set<string>();
  for (const [file, columns] of [
    ['members.csv', ['name', 'email', 'tags']],
    ['activity.csv', ['member', 'title', 'text']],
  ] as const) {
    const [head, ...rows] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
    const names = csvLine(head ?? '');
    const at = columns.map((c) => names.indexOf(c));
    for (const row of rows) {
      const cells = csvLine(row);
      for (const i of at) if (i >= 0 && cells[i]) out.add(cells[i]);
    }
  }
  return [...out];
}
