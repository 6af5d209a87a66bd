// A 12-megapixel JPEG for the browser example's responsiveness check, made at test time and never
// committed: parrot.jpg decoded by quantlite, stretched to a phone photo's 3024×4032 with
// quantlite's bilinear resize, a deterministic grain of ±6 added (so that it codes like a photo,
// not a smooth gradient), written as PPM and encoded by `cjpeg -quality 90` (libjpeg-turbo-progs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeImage, resizeBilinear } from "../../js/index.js";

export const BIG_WIDTH = 3024;
export const BIG_HEIGHT = 4032;

export function bigPhotoJpeg(source: Uint8Array): Buffer {
  const { width, height, data } = resizeBilinear(decodeImage(source), BIG_WIDTH, BIG_HEIGHT);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = Math.min(255, Math.max(0, data[i] + ((seed >>> 16) % 13) - 6));
  }
  const dir = mkdtempSync(join(tmpdir(), "quantlite-big-photo-"));
  try {
    const ppm = join(dir, "photo.ppm");
    const jpeg = join(dir, "photo.jpg");
    writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), data]));
    const result = spawnSync("cjpeg", ["-quality", "90", "-outfile", jpeg, ppm], { encoding: "utf8" });
    if (result.error !== undefined || result.status !== 0) {
      throw new Error(`cjpeg failed (apt-get install -y libjpeg-turbo-progs): ${result.error?.message ?? result.stderr}`);
    }
    return readFileSync(jpeg);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
