// quantlite decode: an image to a binary PNM file. For a JPEG the bytes are exactly what
// `djpeg -dct int -scale M/8 -outfile OUT IMAGE` writes (P6, or P5 for greyscale) when the
// orientation is ignored or is 1; with EXIF orientation (default) the image is turned upright.
import { parseArgs } from "node:util";
import { decodeImageToPnm } from "../preprocess/pnm.js";
import { checkWritable, readBytes, UsageError, writeFileAtomic } from "./common.js";

export const DECODE_USAGE = "quantlite decode IMAGE --out OUT [--scale M/8] [--orientation exif|ignore]";

/** "3/8" → 0.375; M from 1 to 8. */
function parseScale(text: string | undefined): number {
  if (text === undefined) return 1;
  const match = /^([1-8])\/8$/.exec(text.trim());
  if (match === null) throw new UsageError(`--scale takes M/8 with M = 1…8 (e.g. 1/8, 4/8, 8/8), got "${text}"`);
  return Number(match[1]) / 8;
}

export function decodeCommand(args: string[]): void {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { out: { type: "string" }, scale: { type: "string" }, orientation: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("decode takes one image");
  if (values.out === undefined) throw new UsageError("decode needs --out OUT");
  const scale = parseScale(values.scale);
  const orientation = values.orientation ?? "exif";
  if (orientation !== "exif" && orientation !== "ignore") throw new UsageError(`--orientation takes exif or ignore, got "${orientation}"`);
  const [image] = positionals;
  checkWritable(values.out, "--out");
  const file = decodeImageToPnm(readBytes(image), { scale, orientation, onWarning: (message) => console.error(`quantlite: warning: ${image}: ${message}`) });
  writeFileAtomic(values.out, file);
}
