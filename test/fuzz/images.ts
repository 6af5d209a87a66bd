// Image fuzzing: a mutated JPEG, PNG or BMP must decode to a well-formed RGB image (a positive
// size within the limits, 3 bytes per pixel) that crops and resizes, or be refused with an
// ImageError — never another exception, a hang, or memory beyond the decode limits. Most cases
// mutate small generated images (every BMP, PNG colour type and bit depth, interlacing,
// JPEG qualities; one-pixel images often); a few mutate shared/images/samples.
import { readdirSync } from "node:fs";
import { ImageError } from "../../js/errors.js";
import { resolveLimits } from "../../js/preprocess/image.js";
import { type DecodeLimits, type RgbImage, centralCrop, decodeImage, resizeBilinear } from "../../js/preprocess/index.js";
import { dataPath, readData } from "../data.js";
import { makeBmp, makeJpeg, makePng, pngChunk } from "../image-builder.js";
import { Rng } from "../random.js";
import { IMAGE_MUTATIONS, type ImageFormat } from "./image-mutations.js";
import { type Outcome, errorDetail, errorLabel, failure } from "./outcome.js";

export interface ImageCase {
  /** Mutation class first, then the base image and what changed. */
  name: string;
  bytes: Uint8Array;
  limits?: DecodeLimits;
  /** Unmutated: anything but "ok" is a failure. */
  mustDecode: boolean;
}

interface BaseImage {
  name: string;
  format: ImageFormat;
  bytes: Uint8Array;
}

const JPEG_POOL_SIZE = 32;
const JPEG_POOL_SEED = 0x1f2e3d;
/** Share of the cases that mutate a sample image, when they are present. */
const SAMPLE_SHARE = 0.03;
/**
 * Limits for the sample images' cases. A mutated frame header can declare, say, 17 MP that a
 * 200 KB JPEG could really hold; jpeg-js then spends ~150 ms per megapixel and ~30 bytes per pixel
 * before it finds the data wrong. The defaults (16 MP, 256 MiB) allow that; these keep a case
 * within the time limit while still checking that limits are enforced.
 */
const SAMPLE_LIMITS: DecodeLimits = { maxPixels: 4_000_000, maxMemoryMB: 128 };

const PNG_TYPES: [number, number[]][] = [[0, [1, 2, 4, 8, 16]], [2, [8, 16]], [3, [1, 2, 4, 8]], [4, [8, 16]], [6, [8, 16]]];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const BMP_MASKS: [number, number, number][] = [
  [0xff0000, 0xff00, 0xff], [0xff, 0xff00, 0xff0000], [0x7c00, 0x3e0, 0x1f], [0xffc00000, 0x3ff000, 0xffc],
];

function generatedBmp(rng: Rng, width: number, height: number): BaseImage {
  const bitCount = rng.pick([8, 24, 32] as const);
  const data = new Uint8Array(width * height * 3);
  const palette = bitCount === 8 ? Array.from({ length: rng.int(1, 256) }, () => [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)]) : undefined;
  for (let p = 0; p < width * height; p++) data.set(palette ? rng.pick(palette) : [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)], 3 * p);
  const masks = bitCount === 32 && rng.bool(0.4) ? rng.pick(BMP_MASKS) : undefined;
  const headerSize = rng.pick([40, 124]);
  const bytes = makeBmp({ image: { width, height, data }, bitCount, topDown: rng.bool(0.3), headerSize, masks, palette });
  return { name: `bmp${bitCount}${masks ? "-bitfields" : ""}-${headerSize}`, format: "bmp", bytes };
}

/** Ancillary chunks a PNG may carry before its image data. */
const ANCILLARY = ["tEXt", "zTXt", "iTXt", "gAMA", "sRGB", "pHYs", "tRNS", "bKGD", "cHRM"];

function generatedPng(rng: Rng, width: number, height: number): BaseImage {
  const [colorType, depths] = rng.pick(PNG_TYPES);
  const depth = rng.pick(depths) as 1 | 2 | 4 | 8 | 16;
  const samples = Array.from({ length: width * height * CHANNELS[colorType] }, () => rng.int(0, 2 ** depth - 1));
  const palette = colorType === 3 ? Array.from(rng.uint8Array(3 * 2 ** depth)) : undefined;
  const interlaced = depth !== 1 && rng.bool(0.3);
  const extra = rng.bool(0.2) ? [pngChunk(rng.pick(ANCILLARY), rng.uint8Array(rng.int(0, 12)))] : [];
  const bytes = makePng({ width, height, colorType: colorType as 0 | 2 | 3 | 4 | 6, depth, samples, palette, interlaced, extra });
  return { name: `png${colorType}-${depth}${interlaced ? "-interlaced" : ""}`, format: "png", bytes };
}

function randomSize(rng: Rng): [number, number] {
  return [rng.bool(0.15) ? 1 : rng.int(1, 40), rng.bool(0.15) ? 1 : rng.int(1, 40)];
}

/**
 * JPEGs to mutate, encoded once: jpeg-js builds its encoder tables on every call (~10 ms),
 * which would dominate the cases.
 */
function jpegPool(): BaseImage[] {
  const rng = new Rng(JPEG_POOL_SEED);
  return Array.from({ length: JPEG_POOL_SIZE }, () => {
    const [width, height] = randomSize(rng);
    const quality = rng.int(1, 100);
    const bytes = makeJpeg(width, height, quality, rng.uint8Array(width * height * 4));
    return { name: `jpeg-q${quality} ${width}x${height}`, format: "jpeg", bytes };
  });
}

function generatedImage(rng: Rng, jpegs: BaseImage[]): BaseImage {
  const format = rng.pick(["jpeg", "png", "bmp"] as const);
  if (format === "jpeg") return rng.pick(jpegs);
  const [width, height] = randomSize(rng);
  const image = format === "bmp" ? generatedBmp(rng, width, height) : generatedPng(rng, width, height);
  return { ...image, name: `${image.name} ${width}x${height}` };
}

/** Sometimes limits far below the defaults, to check they are applied. */
function randomLimits(rng: Rng): DecodeLimits | undefined {
  return rng.bool(0.15) ? { maxPixels: rng.pick([1, 50, 1000, 100_000]), maxMemoryMB: rng.pick([0.01, 1, 16]) } : undefined;
}

export class ImageCorpus {
  private readonly samples: BaseImage[];
  private readonly jpegs = jpegPool();

  constructor() {
    const dir = dataPath("images/samples");
    this.samples = dir === null ? [] : readdirSync(dir).sort().map((file) => ({
      name: file,
      format: file.endsWith(".jpg") ? "jpeg" : "bmp",
      bytes: readData(`images/samples/${file}`)!,
    }));
  }

  makeCase(rng: Rng): ImageCase {
    const sample = this.samples.length > 0 && rng.bool(SAMPLE_SHARE);
    const base = sample ? rng.pick(this.samples) : generatedImage(rng, this.jpegs);
    if (rng.bool(0.08)) return { name: `none ${base.name}`, bytes: base.bytes, mustDecode: true };
    const kind = rng.pick(Object.keys(IMAGE_MUTATIONS));
    const [bytes, what] = IMAGE_MUTATIONS[kind](base.bytes, base.format, rng);
    const limits = randomLimits(rng) ?? (sample ? SAMPLE_LIMITS : undefined);
    return { name: `${kind} ${what} on ${base.name}`, bytes, limits, mustDecode: false };
  }
}

/** What is wrong with a decoded image, or null. */
export function imageProblem(image: RgbImage, limits?: DecodeLimits): string | null {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return `size ${width}x${height}`;
  if (width * height > resolveLimits(limits).maxPixels) return `${width}x${height} is over the pixel limit`;
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) return `${data.length} bytes for ${width}x${height}`;
  return null;
}

function decodeOutcome(c: ImageCase): Outcome {
  let image: RgbImage;
  try {
    image = decodeImage(c.bytes, { limits: c.limits });
  } catch (error) {
    return error instanceof ImageError ? { verdict: "rejected", label: errorLabel(error) } : failure(errorLabel(error), errorDetail(error));
  }
  const problem = imageProblem(image, c.limits);
  if (problem !== null) return failure("bad image", problem);
  try {
    resizeBilinear(centralCrop(image), 7, 5);
  } catch (error) {
    return failure(`crop and resize: ${errorLabel(error)}`, errorDetail(error));
  }
  return { verdict: "ok", label: "ok" };
}

export function runImageCase(c: ImageCase): Outcome {
  const outcome = decodeOutcome(c);
  if (c.mustDecode && outcome.verdict !== "ok") return failure(`unmutated image: ${outcome.label}`, outcome.detail ?? outcome.label);
  return outcome;
}
