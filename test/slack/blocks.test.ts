import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, truncate } from '../../src/slack/blocks.js';

describe('truncate', () => {
  it('keeps short text as it is and marks a cut', () => {
    expect(truncate('hello', 10)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
  });

  it('never cuts inside an escape or a character', () => {
    expect(truncate(escapeText('a & b'), 5)).toBe('a …');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 2, max: 80 }), (raw, max) => {
        const cut = truncate(escapeText(raw), max);
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, 1));
        const body = cut.endsWith('…') ? cut.slice(0, -1) : cut;
        expect(body).not.toMatch(/&[a-z]*$/);
        expect(body).not.toMatch(/[\uD800-\uDBFF]$/);
      }),
    );
  });
});

describe('escapeText', () => {
  it('makes mentions, links and pings inert', () => {
    expect(escapeText('<!channel> <https://x.example|click> & <@U1>')).toBe('&lt;!channel&gt; &lt;https://x.example|click&gt; &amp; &lt;@U1&gt;');
  });
});
