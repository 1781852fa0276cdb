// Draws Mailward's icons (app icon and the three tray states) as PNGs, without image libraries:
// a shield, with an envelope (app), a check (protected), pause bars (paused) or "!" (problem).
// Run: npx tsx app/electron/assets/make-icons.ts — the PNGs are committed; this is how they were made.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type RGBA = [number, number, number, number];
type Shape = (x: number, y: number) => boolean;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size: number, pixel: (x: number, y: number) => RGBA): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) rows.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in a [-1, 1] square, y downwards.
const shield: Shape = (x, y) => {
  if (y < -0.85 || y > 0.92) return false;
  const w = y < 0.1 ? 0.78 : 0.78 * Math.sqrt(Math.max(0, 1 - ((y - 0.1) / 0.82) ** 2));
  return Math.abs(x) <= w;
};
const segment =
  (ax: number, ay: number, bx: number, by: number, r: number): Shape =>
  (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= r;
  };
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const any =
  (...s: Shape[]): Shape =>
  (x, y) =>
    s.some((f) => f(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);

const GLYPHS: Record<string, Shape> = {
  envelope: any(
    minus(rect(-0.5, -0.35, 0.5, 0.3), rect(-0.42, -0.27, 0.42, 0.22)),
    segment(-0.46, -0.3, 0, 0.02, 0.06),
    segment(0.46, -0.3, 0, 0.02, 0.06),
  ),
  check: any(segment(-0.38, -0.02, -0.1, 0.28, 0.12), segment(-0.1, 0.28, 0.4, -0.3, 0.12)),
  pause: any(rect(-0.32, -0.38, -0.08, 0.38), rect(0.08, -0.38, 0.32, 0.38)),
  problem: any(segment(0, -0.45, 0, 0.02, 0.1), segment(0, 0.36, 0, 0.36, 0.11)),
};

function icon(size: number, color: RGBA, glyph: Shape): Buffer {
  const ss = 4; // supersampling per axis, for smooth edges
  return png(size, (px, py) => {
    let cover = 0;
    let white = 0;
    for (let i = 0; i < ss; i++)
      for (let j = 0; j < ss; j++) {
        const x = ((px + (i + 0.5) / ss) / size) * 2 - 1;
        const y = ((py + (j + 0.5) / ss) / size) * 2 - 1;
        if (shield(x, y)) {
          cover++;
          if (glyph(x, y)) white++;
        }
      }
    if (cover === 0) return [0, 0, 0, 0];
    const w = white / cover;
    const mix = (c: number) => Math.round(c * (1 - w) + 255 * w);
    return [mix(color[0]), mix(color[1]), mix(color[2]), Math.round((255 * cover) / (ss * ss))];
  });
}

const here = dirname(fileURLToPath(import.meta.url));
const BLUE: RGBA = [29, 78, 216, 255];
const GREEN: RGBA = [21, 128, 61, 255];
const AMBER: RGBA = [180, 83, 9, 255];
const RED: RGBA = [185, 28, 28, 255];

writeFileSync(join(here, 'icon.png'), icon(512, BLUE, GLYPHS.envelope));
for (const [name, color, glyph] of [
  ['protected', GREEN, GLYPHS.check],
  ['paused', AMBER, GLYPHS.pause],
  ['problem', RED, GLYPHS.problem],
] as const) {
  writeFileSync(join(here, `tray-${name}.png`), icon(32, color, glyph));
  writeFileSync(join(here, `tray-${name}@2x.png`), icon(64, color, glyph));
}
