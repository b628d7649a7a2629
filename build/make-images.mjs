// Generates KubeTray's icons and tray images as PNGs (run once: `node build/make-images.mjs`;
// the outputs are committed). A tiny PNG encoder on node:zlib, shapes drawn with 4x4
// supersampling so edges are smooth at 16 px.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Shapes in unit coordinates (0..1). Each returns true when the point is inside.
const roundedSquare = (r) => (x, y) => {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  return dx * dx + dy * dy <= r * r && Math.abs(x - 0.5) <= 0.5 && Math.abs(y - 0.5) <= 0.5;
};
const ring = (cx, cy, r1, r2) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d >= r1 && d <= r2;
};
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;
// Seven spokes, as on a ship's wheel (Kubernetes' helm), from radius a to b, half-width w.
const spokes = (cx, cy, a, b, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  if (d < a || d > b) return false;
  for (let i = 0; i < 7; i++) {
    const t = (i / 7) * Math.PI * 2 - Math.PI / 2;
    const ux = Math.cos(t);
    const uy = Math.sin(t);
    const along = (x - cx) * ux + (y - cy) * uy;
    const across = Math.abs(-(x - cx) * uy + (y - cy) * ux);
    if (along > 0 && across <= w) return true;
  }
  return false;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** Layers: [shape, [r,g,b,a]] painted in order. */
function render(size, layers) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size;
          const v = (y + (sy + 0.5) / S) / size;
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const [shape, [lr, lg, lb, la]] of layers) {
            if (!shape(u, v)) continue;
            const al = la / 255;
            cr = lr * al + cr * (1 - al);
            cg = lg * al + cg * (1 - al);
            cb = lb * al + cb * (1 - al);
            ca = al + ca * (1 - al);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = S * S;
      const i = (y * size + x) * 4;
      const alpha = a / n;
      px[i] = alpha ? Math.round(r / n / alpha) : 0;
      px[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      px[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      px[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, px);
}

const BLUE = [11, 99, 197, 255];
const WHITE = [255, 255, 255, 255];
const wheel = (color) => [
  [ring(0.5, 0.5, 0.24, 0.33), color],
  [spokes(0.5, 0.5, 0.05, 0.42, 0.035), color],
  [disc(0.5, 0.5, 0.09), color],
];

function write(rel, png) {
  const file = join(here, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, png);
}

// App icon: white wheel on a blue rounded square.
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  write(`icons/${size}x${size}.png`, render(size, [[roundedSquare(0.2), BLUE], ...wheel(WHITE)]));
}
write('icon.png', render(512, [[roundedSquare(0.2), BLUE], ...wheel(WHITE)]));

// Tray: the wheel in a state colour; Template variants are black + alpha for macOS.
const STATES = {
  'signed-in': [26, 127, 55, 255],
  'sign-in-needed': [191, 135, 0, 255],
  error: [207, 34, 46, 255],
  idle: [110, 119, 129, 255],
};
const badge = {
  'signed-in': [],
  'sign-in-needed': [[disc(0.8, 0.2, 0.17), [0, 0, 0, 255]]],
  error: [[rect(0.74, 0.02, 0.86, 0.3), [0, 0, 0, 255]], [disc(0.8, 0.4, 0.07), [0, 0, 0, 255]]],
  idle: [],
};
for (const [state, color] of Object.entries(STATES)) {
  for (const [suffix, size] of [['', 22], ['@2x', 44]]) {
    write(`tray/tray-${state}${suffix}.png`, render(size, wheel(color).concat((badge[state] ?? []).map(([s]) => [s, color]))));
    write(`tray/tray-${state}Template${suffix}.png`, render(size, wheel([0, 0, 0, 255]).concat(badge[state] ?? [])));
  }
}
console.log('images written under', here);
