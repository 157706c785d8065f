/**
 * An indexed-colour raster: flat rectangles only, clipped to the image, no anti-aliasing.
 * Colours are `#rrggbb` strings; each new one takes the next palette slot.
 */
import { encodePng, type IndexedImage, type Rgb } from './png.js';

const HEX_COLOUR = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

export function isHexColour(value: string): boolean {
  return HEX_COLOUR.test(value);
}

export function parseHexColour(value: string): Rgb {
  const match = HEX_COLOUR.exec(value);
  if (!match) throw new RangeError(`Not a #rrggbb colour: ${value}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Canvas {
  readonly pixels: Uint8Array;
  private readonly palette: Rgb[] = [];
  private readonly slots = new Map<string, number>();

  constructor(
    readonly width: number,
    readonly height: number,
    background: string,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`Bad canvas size: ${width}×${height}`);
    }
    this.pixels = new Uint8Array(width * height);
    // The background takes slot 0, which the zero-filled pixels already point at.
    this.colour(background);
  }

  /** The palette slot of a colour, allocated on first use. */
  colour(hex: string): number {
    const key = hex.toLowerCase();
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.palette.length === 256) throw new RangeError('A chart uses at most 256 colours');
      slot = this.palette.length;
      this.palette.push(parseHexColour(key));
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** Fills the part of the rectangle inside the canvas; coordinates are rounded down to pixels. */
  fillRect(x: number, y: number, width: number, height: number, hex: string): void {
    const slot = this.colour(hex);
    const left = Math.max(0, Math.floor(x));
    const top = Math.max(0, Math.floor(y));
    const right = Math.min(this.width, Math.floor(x + width));
    const bottom = Math.min(this.height, Math.floor(y + height));
    for (let row = top; row < bottom; row++) this.pixels.fill(slot, row * this.width + left, row * this.width + right);
  }

  /** The colour at a pixel, as `#rrggbb`; tests and benches read it back. */
  pixel(x: number, y: number): string {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) throw new RangeError(`Pixel ${x},${y} is outside the canvas`);
    const rgb = this.palette[this.pixels[y * this.width + x]!]!;
    return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  }

  toImage(): IndexedImage {
    return { width: this.width, height: this.height, palette: this.palette, pixels: this.pixels };
  }

  toPng(): Buffer {
    return encodePng(this.toImage());
  }
}
