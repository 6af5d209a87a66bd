// JPEG fuzzing: a mutated JPEG, decoded at a random DCT scale M/8 and EXIF orientation (by
// decodeImage, or by decodeImageToPnm; half of them with onWarning, so that corrupt data decodes
// as libjpeg decodes it), must give a well-formed image within the limits or an
// ImageError — never another exception, a wasm trap, a hang, or memory beyond the limits. The
// files mutated: JPEGs made with cjpeg / jpegtran (every sampling, progressive and multi-scan,
// restarts, grayscale, RGB, CMYK, YCCK, arithmetic coding), a few by jpeg-js, and real photos
// (the samples and some ImageNet photos). Most mutations know JPEG's structure
// (jpeg-mutations.ts); the rest are the generic ones of image-mutations.ts. One case in five
// stacks two mutations.
import { readdirSync } from "node:fs";
import { ImageError } from "../../js/errors.js";
import { resolveLimits } from "../../js/preprocess/image.js";
import { type DecodeLimits, decodeImage } from "../../js/preprocess/index.js";
import { decodeImageToPnm } from "../../js/preprocess/pnm.js";
import { dataPath, readData } from "../data.js";
import { makeJpeg } from "../image-builder.js";
import {
  type JpegFile, type Raster, SAMPLINGS, blocks, cjpeg, crop, fourComponentJpeg, gradient, jpegToolsAvailable, jpegtran, noise,
  parsePnm, samplePhotos,
} from "../jpeg-corpus.js";
import { Rng } from "../random.js";
import { IMAGE_MUTATIONS } from "./image-mutations.js";
import { imageProblem } from "./images.js";
import { JPEG_MUTATIONS } from "./jpeg-mutations.js";
import { type Outcome, errorDetail, errorLabel, failure } from "./outcome.js";

export interface JpegCase {
  /** Mutation class first, then the base file, what changed, and the decode options. */
  name: string;
  bytes: Uint8Array;
  scale?: number;
  orientation?: "exif" | "ignore";
  limits?: DecodeLimits;
  /** Decode with decodeImageToPnm instead of decodeImage. */
  pnm: boolean;
  /** Pass onWarning: corrupt data decodes as libjpeg decodes it instead of being an ImageError. */
  lenient: boolean;
  /** Unmutated and supported: anything but "ok" is a failure. */
  mustDecode: boolean;
}

const POOL_SEED = 0x5eed_1b;
/** Share of the cases that mutate a real photo. */
const PHOTO_SHARE = 0.1;
/** ImageNet photos in the pool (every n-th of the 500). */
const IMAGENET_STEP = 50;
/** Real photos declare up to ~1 MP; a mutated size may declare far more that the data cannot fill. */
const PHOTO_LIMITS: DecodeLimits = { maxPixels: 4_000_000, maxMemoryMB: 128 };
/** Decoder memory allowed beyond maxMemoryMB: the instance's own data and the copy of the file. */
const MEMORY_SLACK = 8 * 2 ** 20;
const GENERIC = ["flip", "truncate", "splice", "field", "bomb", "structure"];

const MODES: string[][] = [
  [], ["-progressive"], ["-optimize"], ["-restart", "1"], ["-restart", "2B"], ["-progressive", "-restart", "1B"],
  ["-grayscale"], ["-grayscale", "-progressive"], ["-rgb"], ["-baseline", "-quality", "2"], ["-arithmetic"],
];

/** Small JPEGs of every kind cjpeg and jpegtran make, a few CMYK / YCCK, deterministic. */
function generatedPool(photos: Raster[]): JpegFile[] {
  const rng = new Rng(POOL_SEED);
  const files: JpegFile[] = [];
  const content = (width: number, height: number): Raster => {
    const r = rng.int(0, 3);
    if (r === 0) return noise(width, height, rng.u32());
    if (r === 1) return gradient(width, height);
    if (r === 2) return blocks(width, height);
    const photo = rng.pick(photos);
    return crop(photo, rng.int(0, photo.width - 1), rng.int(0, photo.height - 1), width, height);
  };
  const size = () => (rng.bool(0.15) ? 1 : rng.int(1, 70));
  for (const mode of MODES) {
    for (let i = 0; i < 4; i++) {
      const [width, height] = [size(), size()];
      const sample = mode.includes("-grayscale") ? "1x1" : rng.pick(SAMPLINGS);
      const quality = rng.int(1, 100);
      const args = ["-quality", String(quality), "-sample", sample, ...mode];
      const bytes = cjpeg(content(width, height), args);
      files.push({ name: `cjpeg ${width}x${height} ${args.join(" ")}`, bytes, mayRefuse: mode.includes("-arithmetic") ? "arithmetic coding" : undefined });
    }
  }
  for (const args of [["-rotate", "90"], ["-transverse"], ["-crop", "9x7+3+2"], ["-progressive", "-restart", "1B"]]) {
    const base = files[rng.int(0, 7)];
    files.push({ name: `${base.name} | jpegtran ${args.join(" ")}`, bytes: jpegtran(base.bytes, args) });
  }
  for (const [kind, adobe] of [["CMYK", 0], ["YCCK", 2], ["CMYK", null]] as const) {
    const [width, height] = [size(), size()];
    const bytes = fourComponentJpeg(content(width, height), content(width, height), rng.int(5, 100), adobe);
    files.push({ name: `${kind} ${width}x${height}`, bytes }, { name: `${kind} ${width}x${height} | jpegtran -progressive`, bytes: jpegtran(bytes, ["-progressive"]) });
  }
  return files;
}

function jpegJsPool(): JpegFile[] {
  const rng = new Rng(POOL_SEED + 1);
  return Array.from({ length: 6 }, () => {
    const [width, height] = [rng.int(1, 40), rng.int(1, 40)];
    const quality = rng.int(1, 100);
    return { name: `jpeg-js q${quality} ${width}x${height}`, bytes: makeJpeg(width, height, quality, rng.uint8Array(width * height * 4)) };
  });
}

function realPhotos(): JpegFile[] {
  const files: JpegFile[] = [];
  for (const dir of ["images/samples", "imagenet-sample"]) {
    const path = dataPath(dir);
    if (path === null) continue;
    const names = readdirSync(path).filter((f) => /\.jpe?g$/i.test(f)).sort();
    const step = dir === "imagenet-sample" ? IMAGENET_STEP : 1;
    for (let i = 0; i < names.length; i += step) files.push({ name: names[i], bytes: readData(`${dir}/${names[i]}`)! });
  }
  return files;
}

export class JpegCorpus {
  private readonly photos = realPhotos();
  private readonly generated: JpegFile[];

  constructor() {
    const tools = jpegToolsAvailable("JPEG fuzzing (cjpeg-made files)");
    const sources = samplePhotos() ?? [gradient(200, 150), blocks(150, 100)];
    this.generated = [...(tools ? generatedPool(sources) : []), ...jpegJsPool()];
  }

  makeCase(rng: Rng): JpegCase {
    const real = this.photos.length > 0 && rng.bool(PHOTO_SHARE);
    const base = rng.pick(real ? this.photos : this.generated);
    const scale = rng.bool(0.2) ? undefined : rng.int(1, 8) / 8;
    const orientation = rng.pick([undefined, "exif", "ignore"] as const);
    const pnm = rng.bool(0.15);
    const lenient = rng.bool(0.5);
    const limits = rng.bool(0.1) ? { maxPixels: rng.pick([1, 50, 1000, 100_000]), maxMemoryMB: rng.pick([0.01, 1, 16]) } : real ? PHOTO_LIMITS : undefined;
    const how = `${pnm ? "pnm" : "rgb"}${lenient ? " onWarning" : ""} scale ${scale ?? "default"} orientation ${orientation ?? "default"}${limits ? ` limits ${limits.maxPixels}px ${limits.maxMemoryMB}MB` : ""}`;
    if (rng.bool(0.06)) {
      return { name: `none ${base.name} (${how})`, bytes: base.bytes, scale, orientation, limits, pnm, lenient, mustDecode: base.mayRefuse === undefined && (limits === undefined || limits === PHOTO_LIMITS) };
    }
    let bytes = base.bytes;
    const done: string[] = [];
    for (let n = rng.bool(0.2) ? 2 : 1; n > 0; n--) {
      const donor = rng.pick(this.generated).bytes;
      const kind = rng.bool(0.7) ? rng.pick(Object.keys(JPEG_MUTATIONS)) : rng.pick(GENERIC);
      const [mutated, what] = kind in JPEG_MUTATIONS ? JPEG_MUTATIONS[kind](bytes, rng, donor) : IMAGE_MUTATIONS[kind](bytes, "jpeg", rng);
      bytes = mutated;
      done.push(`${kind} ${what}`);
    }
    return { name: `${done.join(" + ")} on ${base.name} (${how})`, bytes, scale, orientation, limits, pnm, lenient, mustDecode: false };
  }
}

/** What is wrong with a decoded PNM, or null. */
function pnmProblem(file: Uint8Array, limits?: DecodeLimits): string | null {
  let width: number, height: number;
  try {
    ({ width, height } = parsePnm(file));
  } catch (error) {
    return `PNM: ${(error as Error).message}`;
  }
  if (width < 1 || height < 1) return `PNM size ${width}x${height}`;
  if (width * height > resolveLimits(limits).maxPixels) return `PNM ${width}x${height} is over the pixel limit`;
  return null;
}

function decodeOutcome(c: JpegCase): Outcome {
  const externalBefore = process.memoryUsage().external;
  let warnings = 0;
  const onWarning = c.lenient ? () => void warnings++ : undefined;
  let problem: string | null;
  let outputBytes: number;
  try {
    if (c.pnm) {
      const file = decodeImageToPnm(c.bytes, { scale: c.scale, orientation: c.orientation, limits: c.limits, onWarning });
      problem = pnmProblem(file, c.limits);
      outputBytes = file.length;
    } else {
      const image = decodeImage(c.bytes, { scale: c.scale, orientation: c.orientation, limits: c.limits, onWarning });
      problem = imageProblem(image, c.limits);
      outputBytes = image.data.length;
    }
  } catch (error) {
    return error instanceof ImageError ? { verdict: "rejected", label: errorLabel(error) } : failure(errorLabel(error), errorDetail(error));
  }
  if (problem !== null) return failure("bad image", problem);
  if (warnings > 1) return failure("onWarning called more than once", `${warnings} calls`);
  // external counts wasm memories and array buffers: what the decode added must fit the limit.
  const grown = process.memoryUsage().external - externalBefore;
  const allowed = resolveLimits(c.limits).maxMemoryMB * 2 ** 20 + 2 * outputBytes + c.bytes.length + MEMORY_SLACK;
  if (grown > allowed) return failure("memory over the limit", `external memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB, allowed ${(allowed / 2 ** 20).toFixed(1)} MiB`);
  return { verdict: "ok", label: "ok" };
}

export function runJpegCase(c: JpegCase): Outcome {
  const outcome = decodeOutcome(c);
  if (c.mustDecode && outcome.verdict !== "ok") return failure(`unmutated JPEG: ${outcome.label}`, outcome.detail ?? outcome.label);
  return outcome;
}
