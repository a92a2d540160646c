import { Anchor, Code, List, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { safeHref } from './safeHref';

// A deliberately small Markdown renderer for previews: paragraphs, headings, lists, bold,
// italics, inline code and links. It builds React elements from text, so whatever the source
// contains is shown as text: nothing is ever parsed as HTML.

const INLINE =
  /(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string, key: string): ReactNode[] {
  return text.split(INLINE).map((part, i) => {
    const k = `${key}-${i}`;
    if (/^(\*\*|__).+\1$/.test(part))
      return <strong key={k}>{inline(part.slice(2, -2), k)}</strong>;
    if (/^`.+`$/.test(part)) return <Code key={k}>{part.slice(1, -1)}</Code>;
    if (/^[*_].+[*_]$/.test(part) && part[0] === part[part.length - 1])
      return <em key={k}>{inline(part.slice(1, -1), k)}</em>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) {
      const href = safeHref(link[2] ?? '');
      return href ? (
        <Anchor key={k} href={href} target="_blank" rel="noopener noreferrer" title={href}>
          {link[1]}
        </Anchor>
      ) : (
        <span key={k}>{part}</span>
      );
    }
    return part;
  });
}

/** Lines joined with <br>, each rendered inline. */
function lines(block: string[], key: string): ReactNode[] {
  return block.flatMap((line, i) => [
    ...(i > 0 ? [<br key={`${key}-br${i}`} />] : []),
    ...inline(line, `${key}-${i}`),
  ]);
}

const BULLET = /^\s*[-*+]\s+/;
const NUMBER = /^\s*\d+[.)]\s+/;

export function Markdown({ source }: { source: string }) {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  return (
    <div data-testid="markdown">
      {blocks.map((block, b) => {
        const rows = block.split('\n').filter((l) => l.trim() !== '');
        const key = `b${b}`;
        if (rows.length === 0) return null;
        const heading = /^(#{1,4})\s+(.*)$/.exec(rows[0] ?? '');
        if (heading && rows.length === 1) {
          const order = Math.min(heading[1]!.length + 2, 6) as 3 | 4 | 5 | 6;
          return (
            <Title key={key} order={order} mb="xs">
              {inline(heading[2] ?? '', key)}
            </Title>
          );
        }
        if (rows.every((r) => BULLET.test(r)) || rows.every((r) => NUMBER.test(r))) {
          const ordered = NUMBER.test(rows[0] ?? '');
          return (
            <List key={key} type={ordered ? 'ordered' : 'unordered'} mb="sm" size="sm">
              {rows.map((r, i) => (
                <List.Item key={i}>
                  {inline(r.replace(ordered ? NUMBER : BULLET, ''), `${key}-${i}`)}
                </List.Item>
              ))}
            </List>
          );
        }
        return (
          <Text key={key} size="sm" mb="sm">
            {lines(rows, key)}
          </Text>
        );
      })}
    </div>
  );
}
