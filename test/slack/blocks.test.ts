import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, truncate } from '../../src/slack/blocks.js';

describe('truncate', () => {
  it('keeps short text as it is and marks a cut', () => {
    expect(truncate('hello', 10)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
  });

  it('never cuts inside an escape or a character', () => {
    expect(truncate(escapeText('a & b'), 5)).toBe('a…');
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

describe('truncate, on a message too long for Slack in some language', () => {
  it('never cuts a mention or a link, and cuts at a word when one ends near the limit', () => {
    const text = 'Bonjour <@U0123456789> et <https://example.com/a/long/path|un lien> : voici la suite';
    for (let max = 2; max < text.length; max++) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.split('<').length, cut).toBe(cut.split('>').length);
    }
    expect(truncate(text, 20)).toBe('Bonjour…');
    expect(truncate('Write at most five hundred characters please', 30)).toBe('Write at most five hundred…');
  });

  it('keeps every mention and link whole in any text', () => {
    const piece = fc.oneof(fc.constantFrom('<@U0AB12CD>', '<https://x.example/p?q=1|label>', '<#C0FACIL>', '&amp;', ' '), fc.string({ maxLength: 12 }).map((w) => w.replace(/[<>&]/g, '')));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 2, max: 120 }), (pieces, max) => {
        const cut = truncate(pieces.join(''), max);
        expect(cut.length).toBeLessThanOrEqual(max);
        const body = cut.endsWith('…') ? cut.slice(0, -1) : cut;
        expect(body).not.toMatch(/<[^>]*$/);
      }),
    );
  });
});

describe('escapeText', () => {
  it('makes mentions, links and pings inert', () => {
    expect(escapeText('<!channel> <https://x.example|click> & <@U1>')).toBe('&lt;!channel&gt; &lt;https://x.example|click&gt; &amp; &lt;@U1&gt;');
  });
});
