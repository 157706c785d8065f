/**
 * A minimal PNG encoder for indexed-colour images (PNG spec, colour type 3, bit depth 8):
 * signature, IHDR, PLTE, one IDAT deflated with node:zlib, IEND, each chunk with its CRC-32.
 * Charts use a handful of flat colours, so a palette keeps the raw data at one byte a pixel.
 */
import { deflateSync } from 'node:zlib';

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type Rgb = readonly [number, number, number];

export interface IndexedImage {
  width: number;
  height: number;
  /** At most 256 colours. */
  palette: readonly Rgb[];
  /** One palette index per pixel, row by row from the top left. */
  pixels: Uint8Array;
}

/** CRC-32 of ISO 3309 (polynomial 0xEDB88320, reflected), as PNG chunks use it. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}

export function encodePng(image: IndexedImage): Buffer {
  const { width, height, palette, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Bad image size: ${width}×${height}`);
  }
  if (pixels.length !== width * height) throw new RangeError('Pixel count does not match the image size');
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`A palette holds 1–256 colours, not ${palette.length}`);

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: palette
  // compression 0, filter method 0, interlace 0 (none) are already zero.

  const plte = new Uint8Array(palette.length * 3);
  palette.forEach(([r, g, b], i) => plte.set([r, g, b], i * 3));

  // Each scanline starts with its filter type; 0 (None) is the advised filter for palette images.
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);

  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
