import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SafeHtml } from './SafeHtml';

describe('SafeHtml', () => {
  it('keeps formatting and safe links, and drops scripts, handlers and unsafe links', () => {
    render(
      <SafeHtml
        testId="out"
        html={`<p onclick="x()">Hi <strong>there</strong></p><script>alert(1)</script>
          <img src="https://tracker.example/p.gif" onerror="alert(2)">
          <a href="javascript:alert(3)">bad</a> <a href="https://example.org" style="color:red">good</a>
          <iframe src="https://example.org"></iframe><custom-el>kept text</custom-el>`}
      />,
    );
    const out = screen.getByTestId('out');
    expect(screen.getByText('there').tagName).toBe('STRONG');
    expect(out.querySelector('script, img, iframe, [onclick], [onerror], [style]')).toBeNull();
    expect(out).not.toHaveTextContent('alert(1)');
    expect(screen.getByText('bad').closest('a')).toBeNull();
    expect(screen.getByText('good').closest('a')).toHaveAttribute('href', 'https://example.org');
    expect(out).toHaveTextContent('kept text');
  });
});
