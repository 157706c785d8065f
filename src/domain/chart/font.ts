/**
 * A compact monospaced bitmap font for chart text: printable ASCII, the accented letters of
 * French labels (é è ê ë à â ç ô û ù î ï É …) and typographic quotes, drawn at any whole scale.
 *
 * Each character sits in a 5×12 cell with one column of spacing (advance 6):
 *   rows 0–1   accents over capitals (row 2 stays blank)
 *   rows 3–9   capitals and digits (7 rows); lower case spans rows 5–9, its accents rows 2–3
 *   rows 10–11 descenders (g j p q y , ;) and the cedilla
 * A character the font lacks is drawn as a box, so any label renders.
 */
import type { Canvas } from './canvas.js';

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 12;
export const ADVANCE = 6;
/** First row of a capital's body inside the cell. */
export const CAP_TOP = 3;
/** Rows of a capital's body (cap height). */
export const CAP_HEIGHT = 7;

// Glyph bodies, rows from the cap line down, `#` = ink. Seven rows, or nine with a descender.
// prettier-ignore
const BODIES: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '"': '.#.#. .#.#. ..... ..... ..... ..... .....',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  '$': '..#.. .#### #.#.. .###. ..#.# ####. ..#..',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  "'": '..#.. ..#.. ..#.. ..... ..... ..... .....',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '*': '..... ..#.. #.#.# .###. #.#.# ..#.. .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  ',': '..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...',
  '-': '..... ..... ..... .###. ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  ';': '..... .##.. .##.. ..... ..... .##.. .##.. ..#.. .#...',
  '<': '...#. ..#.. .#... #.... .#... ..#.. ...#.',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '>': '.#... ..#.. ...#. ....# ...#. ..#.. .#...',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '@': '.###. #...# #.### #.#.# #.### #.... .####',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '[': '.###. .#... .#... .#... .#... .#... .###.',
  '\\': '..... #.... .#... ..#.. ...#. ....# .....',
  ']': '.###. ...#. ...#. ...#. ...#. ...#. .###.',
  '^': '..#.. .#.#. #...# ..... ..... ..... .....',
  _: '..... ..... ..... ..... ..... ..... #####',
  '`': '.#... ..#.. ...#. ..... ..... ..... .....',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... ####. #...# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .#### #...# #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .#### #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  '{': '...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.',
  '|': '..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  '}': '.#... ..#.. ..#.. ...#. ..#.. ..#.. .#...',
  '~': '..... ..... .#... #.#.# ...#. ..... .....',
  // Dotless i, the base of î and ï.
  ı: '..... ..... .##.. ..#.. ..#.. ..#.. .###.',
  œ: '..... ..... .#.#. #.#.# #.### #.#.. .#.##',
  Œ: '.#### #.#.. #.#.. #.### #.#.. #.#.. .####',
  '\u2018': '..#.. .#... .##.. .##.. ..... ..... .....', // ‘
  '\u2019': '.##.. .##.. ..#.. .#... ..... ..... .....', // ’ (French apostrophe)
  '\u201c': '.#.#. #.#.. ##.## ##.## ..... ..... .....', // “
  '\u201d': '##.## ##.## .#.#. #.#.. ..... ..... .....', // ”
  '\u00ab': '..... ..... ..#.# .#.#. #.#.. .#.#. ..#.#', // «
  '\u00bb': '..... ..... #.#.. .#.#. ..#.# .#.#. #.#..', // »
  '\u2013': '..... ..... ..... ##### ..... ..... .....', // – en dash
  '\u2014': '..... ..... ..... ##### ..... ..... .....', // — em dash
  '\u2026': '..... ..... ..... ..... ..... ..... #.#.#', // …
  '\u00b0': '.##.. #..#. .##.. ..... ..... ..... .....', // °
};

// Marks placed two rows above the top of the letter they sit on (see the cell layout above).
// prettier-ignore
const MARKS = {
  acute: '...#. ..#..',
  grave: '.#... ..#..',
  circumflex: '..#.. .#.#.',
  diaeresis: '..... .#.#.',
} as const;
type Mark = keyof typeof MARKS | 'cedilla';

const CEDILLA = '..#.. .##..';

// prettier-ignore
const COMPOSED: Record<string, readonly [string, Mark]> = {
  à: ['a', 'grave'], â: ['a', 'circumflex'], ä: ['a', 'diaeresis'],
  ç: ['c', 'cedilla'],
  é: ['e', 'acute'], è: ['e', 'grave'], ê: ['e', 'circumflex'], ë: ['e', 'diaeresis'],
  î: ['ı', 'circumflex'], ï: ['ı', 'diaeresis'],
  ô: ['o', 'circumflex'], ö: ['o', 'diaeresis'],
  ù: ['u', 'grave'], û: ['u', 'circumflex'], ü: ['u', 'diaeresis'],
  ÿ: ['y', 'diaeresis'],
  À: ['A', 'grave'], Â: ['A', 'circumflex'], Ä: ['A', 'diaeresis'],
  Ç: ['C', 'cedilla'],
  É: ['E', 'acute'], È: ['E', 'grave'], Ê: ['E', 'circumflex'], Ë: ['E', 'diaeresis'],
  Î: ['I', 'circumflex'], Ï: ['I', 'diaeresis'],
  Ô: ['O', 'circumflex'], Ö: ['O', 'diaeresis'],
  Ù: ['U', 'grave'], Û: ['U', 'circumflex'], Ü: ['U', 'diaeresis'],
};

/** Spaces that must not break a line in French ("12 %", "1 000") draw as a plain space. */
const SPACES = ['\u00a0', '\u202f', '\u2009', '\u2007'];

/** A glyph: one byte per cell pixel (1 = ink), GLYPH_WIDTH × GLYPH_HEIGHT, row by row. */
export type Glyph = Uint8Array;

function paint(glyph: Glyph, rows: string, top: number): void {
  rows.split(' ').forEach((row, r) => {
    for (let c = 0; c < GLYPH_WIDTH; c++) if (row[c] === '#') glyph[(top + r) * GLYPH_WIDTH + c] = 1;
  });
}

function bodyGlyph(rows: string): Glyph {
  const glyph = new Uint8Array(GLYPH_WIDTH * GLYPH_HEIGHT);
  paint(glyph, rows, CAP_TOP);
  return glyph;
}

/** Top row of a glyph's ink within its body, so a mark lands above any letter's own height. */
function inkTop(glyph: Glyph): number {
  const index = glyph.indexOf(1);
  return index < 0 ? CAP_TOP : Math.floor(index / GLYPH_WIDTH);
}

function composedGlyph(base: string, mark: Mark): Glyph {
  const glyph = bodyGlyph(BODIES[base]!);
  if (mark === 'cedilla') paint(glyph, CEDILLA, CAP_TOP + CAP_HEIGHT);
  else paint(glyph, MARKS[mark], inkTop(glyph) - 3);
  return glyph;
}

const BOX: Glyph = bodyGlyph('##### #...# #...# #...# #...# #...# #####');

const GLYPHS: ReadonlyMap<string, Glyph> = (() => {
  const glyphs = new Map<string, Glyph>();
  for (const [char, rows] of Object.entries(BODIES)) glyphs.set(char, bodyGlyph(rows));
  for (const [char, [base, mark]] of Object.entries(COMPOSED)) glyphs.set(char, composedGlyph(base, mark));
  const space = glyphs.get(' ')!;
  for (const char of SPACES) glyphs.set(char, space);
  return glyphs;
})();

/** The glyph of one character (a code point), or the box when the font lacks it. */
export function glyphFor(char: string): Glyph {
  return GLYPHS.get(char) ?? BOX;
}

/** The box drawn for characters the font lacks. */
export const MISSING_GLYPH: Glyph = BOX;

/** Characters one by one: composed first, so "e" + combining acute draws as "é". */
function characters(text: string): string[] {
  return Array.from(text.normalize('NFC'));
}

export function textWidth(text: string, scale: number): number {
  const count = characters(text).length;
  return count === 0 ? 0 : (count * ADVANCE - (ADVANCE - GLYPH_WIDTH)) * scale;
}

export function textHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
}

/** Cuts text to fit `maxWidth`, ending it with "…" when anything was cut. */
export function fitText(text: string, maxWidth: number, scale: number): string {
  const chars = characters(text);
  const fits = Math.max(0, Math.floor((maxWidth / scale + (ADVANCE - GLYPH_WIDTH)) / ADVANCE));
  if (chars.length <= fits) return chars.join('');
  return fits === 0 ? '' : `${chars.slice(0, fits - 1).join('')}\u2026`;
}

/** Draws text with the top left of its first cell at (x, y); pixels off the canvas are dropped. */
export function drawText(canvas: Canvas, x: number, y: number, text: string, hex: string, scale: number): void {
  let left = Math.round(x);
  const top = Math.round(y);
  for (const char of characters(text)) {
    const glyph = glyphFor(char);
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (glyph[row * GLYPH_WIDTH + col]) canvas.fillRect(left + col * scale, top + row * scale, scale, scale, hex);
      }
    }
    left += ADVANCE * scale;
  }
}
