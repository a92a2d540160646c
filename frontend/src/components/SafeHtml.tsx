import { createElement, useMemo, type ReactNode } from 'react';
import { safeHref } from './safeHref';

// Shows HTML that the Go side rendered and sanitised (newsletter previews) without ever
// handing a string to innerHTML: the markup is parsed in an inert document (no scripts run,
// nothing loads) and rebuilt as React elements from an allow-list of tags, with no attribute
// but a link's address. Anything else is unwrapped to its text or dropped.

const KEEP = new Set([
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'hr',
  'a',
  'span',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'small',
  'sup',
  'sub',
]);
const DROP = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'svg',
  'math',
  'head',
  'title',
  'link',
  'meta',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'video',
  'audio',
]);
const VOID = new Set(['br', 'hr']);

function convert(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (DROP.has(tag)) return null;
  if (tag === 'img') {
    const alt = el.getAttribute('alt');
    return alt ? `[${alt}]` : null;
  }
  const children = [...el.childNodes].map((c, i) => convert(c, `${key}.${i}`));
  if (!KEEP.has(tag)) return <span key={key}>{children}</span>;
  if (VOID.has(tag)) return createElement(tag, { key });
  if (tag === 'a') {
    const href = safeHref(el.getAttribute('href') ?? '');
    return href ? (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer" title={href}>
        {children}
      </a>
    ) : (
      <span key={key}>{children}</span>
    );
  }
  return createElement(tag, { key }, ...children);
}

export function SafeHtml({ html, testId }: { html: string; testId?: string }) {
  const content = useMemo(() => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return [...doc.body.childNodes].map((n, i) => convert(n, String(i)));
  }, [html]);
  return <div data-testid={testId}>{content}</div>;
}
