// "Phone" photos for bench/decode.ts: 12 MP (4032×3024) and 24 MP (6000×4000) baseline JPEGs,
// 4:2:0, quality 90, standard Huffman tables, as a phone camera writes them. Their pixels are a
// mosaic of the ImageNet sample photos at their own resolution (djpeg decodes each, the tile is
// cut from its centre), so the entropy decoder and the IDCT see real texture, not a smooth
// upscale; tiles are mirrored at random to break their edges' alignment with the 8×8 blocks.
// cjpeg encodes the mosaic; the files are cached under the system's temporary directory
// (never in the repository) and made again only when missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Photo {
  label: string;
  width: number;
  height: number;
  path: string;
  bytes: number;
}

export const PHOTO_SIZES = [
  { label: "12 MP", width: 4032, height: 3024 },
  { label: "24 MP", width: 6000, height: 4000 },
];
const QUALITY = 90;
/** Tile size: within every ImageNet sample photo's size (the smallest are 500×333 or so). */
const TILE_W = 320;
const TILE_H = 240;

export const PHOTO_CACHE = join(tmpdir(), "quantlite-bench-photos");

function run(tool: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(tool, args, { input, maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) throw new Error(`${tool} ${args.join(" ")}: ${r.error?.message ?? r.stderr.toString().trim()}`);
  return r.stdout;
}

interface Tile {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The centre TILE_W × TILE_H of every ImageNet photo large enough, decoded by djpeg (grayscale photos as RGB). */
function imagenetTiles(dir: string): Tile[] {
  const tiles: Tile[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort()) {
    const ppm = run("djpeg", ["-dct", "int", "-rgb", join(dir, name)]);
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString("latin1"));
    if (header === null) continue;
    const [width, height] = [Number(header[1]), Number(header[2])];
    if (width < TILE_W || height < TILE_H) continue;
    const pixels = ppm.subarray(header[0].length);
    const x0 = (width - TILE_W) >> 1;
    const y0 = (height - TILE_H) >> 1;
    const data = new Uint8Array(TILE_W * TILE_H * 3);
    for (let y = 0; y < TILE_H; y++) data.set(pixels.subarray(((y0 + y) * width + x0) * 3, ((y0 + y) * width + x0 + TILE_W) * 3), y * TILE_W * 3);
    tiles.push({ width: TILE_W, height: TILE_H, data });
  }
  return tiles;
}

function mosaic(tiles: Tile[], width: number, height: number): Uint8Array {
  const header = Buffer.from(`P6\n${width} ${height}\n255\n`);
  const ppm = new Uint8Array(header.length + width * height * 3);
  ppm.set(header);
  const pixels = ppm.subarray(header.length);
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let ty = 0; ty * TILE_H < height; ty++) {
    for (let tx = 0; tx * TILE_W < width; tx++) {
      const tile = tiles[next() % tiles.length];
      const mirror = next() & 1;
      for (let y = 0; y < TILE_H && ty * TILE_H + y < height; y++) {
        for (let x = 0; x < TILE_W && tx * TILE_W + x < width; x++) {
          const from = (y * TILE_W + (mirror ? TILE_W - 1 - x : x)) * 3;
          const to = ((ty * TILE_H + y) * width + tx * TILE_W + x) * 3;
          pixels[to] = tile.data[from];
          pixels[to + 1] = tile.data[from + 1];
          pixels[to + 2] = tile.data[from + 2];
        }
      }
    }
  }
  return ppm;
}

/** The benchmark photos, made (about 10 s) if not cached; `imagenetDir` holds the ImageNet sample. */
export function phonePhotos(imagenetDir: string, log: (msg: string) => void): Photo[] {
  mkdirSync(PHOTO_CACHE, { recursive: true });
  let tiles: Tile[] | null = null;
  return PHOTO_SIZES.map(({ label, width, height }) => {
    const path = join(PHOTO_CACHE, `phone-${width}x${height}-q${QUALITY}.jpg`);
    if (!existsSync(path)) {
      log(`bench: making ${path} (a mosaic of ImageNet photos, cjpeg -quality ${QUALITY}, 4:2:0)`);
      tiles ??= imagenetTiles(imagenetDir);
      if (tiles.length === 0) throw new Error(`no ImageNet photos of at least ${TILE_W}x${TILE_H} in ${imagenetDir}`);
      const jpeg = run("cjpeg", ["-quality", String(QUALITY), "-sample", "2x2"], mosaic(tiles, width, height));
      writeFileSync(`${path}.part`, jpeg);
      renameSync(`${path}.part`, path);
    }
    return { label, width, height, path, bytes: readFileSync(path).length };
  });
}
