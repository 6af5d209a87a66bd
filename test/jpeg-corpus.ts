// JPEG files for the djpeg comparison, the fuzzer and the benchmark, made with libjpeg-turbo's
// own programs run as child processes: cjpeg (every sampling it accepts, progressive and
// multi-scan scripts, restart intervals, optimized tables, grayscale, RGB, arithmetic coding,
// qualities 1–100, sizes from 1×1 up), jpegtran (lossless transforms), and CMYK / YCCK files
// spliced here from cjpeg's scans, since cjpeg cannot write four components. djpegAll runs
// `djpeg -dct int -scale M/8` on many files from a few shell processes at once, which costs far
// less than one Node child process per decode.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readData } from "./data.js";
import { concat } from "./image-builder.js";
import { Rng } from "./random.js";

export const JPEG_TOOLS = ["djpeg", "cjpeg", "jpegtran"] as const;

/**
 * Whether djpeg, cjpeg and jpegtran run. With CI=true a missing tool throws (the test fails);
 * elsewhere the test is skipped with a message.
 */
export function jpegToolsAvailable(what: string): boolean {
  const missing = JPEG_TOOLS.filter((tool) => spawnSync(tool, ["-version"]).status !== 0);
  if (missing.length === 0) return true;
  const message = `${what}: ${missing.join(", ")} not found (apt-get install libjpeg-turbo-progs)`;
  if (process.env.CI === "true") throw new Error(`${message}; CI must have them`);
  console.warn(`  skipped: ${message}`);
  return false;
}

export interface JpegFile {
  name: string;
  bytes: Uint8Array;
  /** Set where our decoder may refuse what djpeg decodes (an ImageError is then accepted): why. */
  mayRefuse?: string;
}

/** 8-bit samples, row-major, interleaved: 1 channel (gray) or 3 (RGB). */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

export function encodePnm({ width, height, channels, data }: Raster): Uint8Array {
  const header = new TextEncoder().encode(`P${channels === 1 ? 5 : 6}\n${width} ${height}\n255\n`);
  const file = new Uint8Array(header.length + data.length);
  file.set(header);
  file.set(data, header.length);
  return file;
}

/** A binary PGM (P5) or PPM (P6) with maxval 255, as djpeg writes them. */
export function parsePnm(bytes: Uint8Array): Raster {
  const header = /^P([56])\s+(\d+)\s+(\d+)\s+255\s/.exec(new TextDecoder("latin1").decode(bytes.subarray(0, 40)));
  if (header === null) throw new Error("not a P5/P6 file with maxval 255");
  const [width, height, channels] = [Number(header[2]), Number(header[3]), header[1] === "5" ? 1 : 3] as const;
  const data = bytes.subarray(header[0].length, header[0].length + width * height * channels);
  if (data.length !== width * height * channels) throw new Error(`PNM ${width}x${height}: ${data.length} bytes of samples`);
  return { width, height, channels: channels as 1 | 3, data };
}

/** Runs djpeg, cjpeg or jpegtran on `input` (its standard input) and returns its standard output. */
export function runTool(tool: ToolJob["tool"], args: string[], input: Uint8Array): Uint8Array {
  const r = spawnSync(tool, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(" ")}: exit ${r.status ?? r.signal}: ${r.stderr.toString().trim()}`);
  return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
}

let scratchDir: string | null = null;
const scanFiles = new Map<string, string>();

/** A file holding a scan script, in a directory removed when the process exits. */
function scanFile(script: string): string {
  if (scratchDir === null) {
    const dir = (scratchDir = mkdtempSync(join(tmpdir(), "quantlite-jpeg-")));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  let path = scanFiles.get(script);
  if (path === undefined) {
    scanFiles.set(script, (path = join(scratchDir, `scans-${scanFiles.size}.txt`)));
    writeFileSync(path, script);
  }
  return path;
}

/**
 * cjpeg with these options; `scans` is a scan script (cjpeg -scans syntax: "components [: Ss-Se,
 * Ah, Al];" per scan, e.g. "0; 1 2: 0-0, 0, 1;").
 */
export function cjpeg(raster: Raster, args: string[], scans?: string): Uint8Array {
  const { tool, args: all, input } = cjpegJob(raster, args, scans);
  return runTool(tool, all, input);
}

export function cjpegJob(raster: Raster, args: string[], scans?: string): ToolJob {
  return { tool: "cjpeg", args: scans === undefined ? args : [...args, "-scans", scanFile(scans)], input: encodePnm(raster) };
}

export function jpegtran(jpeg: Uint8Array, args: string[]): Uint8Array {
  return runTool("jpegtran", args, jpeg);
}

/** djpeg's own decode of a file to a raster (used to take real photos as sources). */
export function djpegRaster(jpeg: Uint8Array, args: string[] = []): Raster {
  return parsePnm(runTool("djpeg", args, jpeg));
}

// ——— Source images ———

export function crop(source: Raster, x: number, y: number, width: number, height: number): Raster {
  const c = source.channels;
  const data = new Uint8Array(width * height * c);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) % source.height) * source.width;
    for (let col = 0; col < width; col++) {
      const p = (from + ((x + col) % source.width)) * c;
      data.set(source.data.subarray(p, p + c), (row * width + col) * c);
    }
  }
  return { width, height, channels: c, data };
}

/** Smooth ramps in three directions (exercises the colour conversion's whole range). */
export function gradient(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fx = width > 1 ? x / (width - 1) : 0.5;
      const fy = height > 1 ? y / (height - 1) : 0.5;
      data.set([Math.round(255 * fx), Math.round(255 * fy), Math.round(255 * (1 - (fx + fy) / 2))], 3 * (y * width + x));
    }
  }
  return { width, height, channels: 3, data };
}

/** Uniform noise: every coefficient large, so the IDCT and the colour conversion clamp often. */
export function noise(width: number, height: number, seed: number): Raster {
  return { width, height, channels: 3, data: new Rng(seed).uint8Array(width * height * 3) };
}

/** Saturated colour blocks of odd sizes with hard edges: ringing and overshoot at every edge. */
export function blocks(width: number, height: number): Raster {
  const palette = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0], [255, 255, 0], [0, 255, 255], [255, 0, 255]];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(palette[(Math.floor(x / 5) + 3 * Math.floor(y / 3)) % palette.length], 3 * (y * width + x));
  }
  return { width, height, channels: 3, data };
}

export function toGray(raster: Raster): Raster {
  if (raster.channels === 1) return raster;
  const data = new Uint8Array(raster.width * raster.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((77 * raster.data[3 * i] + 150 * raster.data[3 * i + 1] + 29 * raster.data[3 * i + 2]) / 256);
  return { ...raster, channels: 1, data };
}

/** The sample photos (shared/images/samples/*.jpg) decoded by djpeg, or null without the data. */
export function samplePhotos(): Raster[] | null {
  const photos: Raster[] = [];
  for (const name of ["hot_dog.jpg", "owl.jpg", "parrot.jpg"]) {
    const bytes = readData(`images/samples/${name}`);
    if (bytes === null) return null;
    photos.push(djpegRaster(bytes));
  }
  return photos;
}

// ——— JPEG structure ———

export interface Segment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** End of the segment; for SOS, of the entropy-coded data after it (RSTn markers included). */
  end: number;
}

/** The markers of a file in order, SOI and EOI included; stops at the first thing not a marker. */
export function jpegSegments(bytes: Uint8Array): Segment[] {
  const segments: Segment[] = [];
  let pos = 0;
  while (pos + 1 < bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const standalone = marker === 0xd8 || marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
    let end = standalone ? pos + 2 : pos + 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
    if (marker === 0xda) {
      while (end + 1 < bytes.length && !(bytes[end] === 0xff && bytes[end + 1] !== 0 && (bytes[end + 1] < 0xd0 || bytes[end + 1] > 0xd7))) end++;
      if (end + 1 >= bytes.length) end = bytes.length;
    }
    segments.push({ marker, start: pos, end: Math.min(end, bytes.length) });
    if (marker === 0xd9) break;
    pos = end;
  }
  return segments;
}


/** An Adobe APP14 segment; transform 0: RGB or CMYK as stored, 1: YCbCr, 2: YCCK. */
export function adobeSegment(transform: 0 | 1 | 2): Uint8Array {
  return new Uint8Array([0xff, 0xee, 0, 14, 0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, transform]);
}

/**
 * A four-component JPEG (CMYK, or YCCK with `adobe` 2) spliced from two cjpeg files with the same
 * tables: the first three components from an RGB JPEG written as one scan per component
 * (fourComponentParts' first), the fourth from a grayscale JPEG of the fourth plane (its second).
 * cjpeg gives every component of both quantization table 0 and the standard Huffman tables 0, so
 * the scans decode unchanged under the combined frame header. adobe null: no APP14 marker (libjpeg
 * then takes four components as CMYK).
 */
export function spliceFourComponents(three: Uint8Array, one: Uint8Array, adobe: 0 | 2 | null): Uint8Array {
  const isFrame = (marker: number) => marker === 0xc0 || marker === 0xc1;
  const kept = jpegSegments(three).filter(({ marker }) => marker === 0xdb || marker === 0xc4 || isFrame(marker) || marker === 0xda);
  const parts: Uint8Array[] = [new Uint8Array([0xff, 0xd8])];
  if (adobe !== null) parts.push(adobeSegment(adobe));
  for (const { marker, start, end } of kept) {
    if (!isFrame(marker)) {
      parts.push(three.subarray(start, end));
      continue;
    }
    // SOF0 or SOF1: length, precision, height, width, count 3 → 4, then the fourth component (id 'K', 1×1, table 0).
    const sof = concat([three.subarray(start, end), new Uint8Array([0x4b, 0x11, 0])]);
    sof[3] += 3;
    sof[9] = 4;
    parts.push(sof);
  }
  const grayScan = jpegSegments(one).find(({ marker }) => marker === 0xda)!;
  const scan = one.slice(grayScan.start, grayScan.end);
  scan[5] = 0x4b; // the component id of the scan header: 1 → 'K'
  parts.push(scan, new Uint8Array([0xff, 0xd9]));
  return concat(parts);
}

/**
 * The two cjpeg runs spliceFourComponents takes: the first three planes (`cmy`, sampled as
 * `sample`, cjpeg -sample) and the fourth (1×1, so its plane is the image size divided by the
 * largest factors, cut from `k`).
 */
export function fourComponentParts(cmy: Raster, k: Raster, quality: number, sample = "1x1"): [ToolJob, ToolJob] {
  const factors = sample.split(",").map((f) => f.split("x").map(Number));
  const maxH = Math.max(...factors.map(([h]) => h));
  const maxV = Math.max(...factors.map(([, v]) => v));
  const kPlane = crop(toGray(k), 0, 0, Math.ceil(cmy.width / maxH), Math.ceil(cmy.height / maxV));
  return [
    cjpegJob(cmy, ["-rgb", "-quality", String(quality), "-sample", sample], "0; 1; 2;"),
    cjpegJob(kPlane, ["-grayscale", "-quality", String(quality)]),
  ];
}

export function fourComponentJpeg(cmy: Raster, k: Raster, quality: number, adobe: 0 | 2 | null, sample = "1x1"): Uint8Array {
  const [three, one] = fourComponentParts(cmy, k, quality, sample).map(({ tool, args, input }) => runTool(tool, args, input));
  return spliceFourComponents(three, one, adobe);
}



/** The file cut short at several points: in the headers, at the first scan, inside and near the end of the data. */
export function truncations(file: JpegFile): JpegFile[] {
  const { bytes } = file;
  const firstScan = jpegSegments(bytes).find(({ marker }) => marker === 0xda);
  const scanStart = firstScan?.start ?? 2;
  const cuts = new Set([20, scanStart, scanStart + 14, Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.6), bytes.length - 200, bytes.length - 2, bytes.length - 1]);
  return [...cuts].filter((n) => n > 1 && n < bytes.length).sort((a, b) => a - b)
    .map((n) => ({ name: `${file.name} cut at ${n}/${bytes.length}`, bytes: bytes.subarray(0, n) }));
}

// ——— The generated corpus ———

/** Sampling factors cjpeg accepts for an interleaved (single-scan) file: at most 10 blocks per MCU. */
export const SAMPLINGS = [
  "1x1", "2x1", "1x2", "2x2", "4x1", "1x4", "4x2", "2x4", "3x1", "1x3", "3x2", "2x3",
  "1x1,2x2,2x2", // chroma sampled finer than luma: luma is the upsampled one
  "2x2,2x1,1x2", "2x2,1x2,2x1", "3x2,1x1,3x1", "4x1,2x1,1x1", "2x1,1x1,2x1", "1x2,1x1,1x2",
];
/** Factors too large for one interleaved scan: the file has one scan per component. */
const MULTISCAN_SAMPLINGS = ["4x4", "3x3", "4x3", "2x2,4x4,1x1", "4x2,2x1,1x1"];
/** A progressive script whose every scan has one component (so that any sampling fits), with successive approximation. */
const NONINTERLEAVED_PROGRESSIVE = "0: 0-0, 0, 1; 1: 0-0, 0, 0; 2: 0-0, 0, 0; 0: 1-5, 0, 2; 0: 6-63, 0, 2; 1: 1-63, 0, 0; 2: 1-63, 0, 0; 0: 1-63, 2, 1; 0: 1-63, 1, 0; 0: 0-0, 1, 0;";
const SIZES: [number, number][] = [[1, 1], [2, 3], [3, 2], [7, 9], [8, 8], [15, 17], [17, 15], [33, 31], [63, 65], [101, 75]];
const QUALITIES = [1, 2, 5, 10, 20, 35, 50, 65, 75, 85, 90, 95, 98, 99, 100];

const CONTENTS = ["photo", "noise", "photo", "blocks", "photo", "gradient"] as const;
type Content = (typeof CONTENTS)[number];

function source(content: Content, width: number, height: number, photos: Raster[], variant: number): Raster {
  if (content === "noise") return noise(width, height, 1000 + variant);
  if (content === "gradient") return gradient(width, height);
  if (content === "blocks") return blocks(width, height);
  const photo = photos[variant % photos.length];
  return crop(photo, (variant * 37) % photo.width, (variant * 23) % photo.height, width, height);
}

/**
 * The generated corpus: every sampling at every size (photo and noise content), coding modes
 * (progressive, multi-scan scripts, restart intervals in rows and in blocks, optimized tables,
 * arithmetic coding, grayscale, RGB) at several sizes and samplings, a spread of qualities,
 * large odd sizes, jpegtran transforms, and CMYK / YCCK files. Deterministic.
 */
export async function generatedCorpus(photos: Raster[]): Promise<JpegFile[]> {
  const plan = new CorpusPlan();
  const encode = (name: string, raster: Raster, args: string[], scans?: string, mayRefuse?: string) => plan.file(name, cjpegJob(raster, args, scans), mayRefuse);
  let variant = 0;

  for (const sample of SAMPLINGS) {
    for (const [width, height] of SIZES) {
      const content = CONTENTS[variant % CONTENTS.length];
      const quality = QUALITIES[variant % QUALITIES.length];
      encode(`${content} ${width}x${height} -sample ${sample} q${quality}`, source(content, width, height, photos, variant++), ["-sample", sample, "-quality", String(quality)]);
    }
  }
  for (const sample of MULTISCAN_SAMPLINGS) {
    for (const [width, height] of [[1, 1], [9, 7], [101, 75]] as const) {
      encode(`photo ${width}x${height} -sample ${sample} scans 0;1;2`, source("photo", width, height, photos, variant++), ["-sample", sample, "-quality", "80"], "0; 1; 2;");
    }
    encode(`photo 37x29 -sample ${sample} -progressive`, source("photo", 37, 29, photos, variant++), ["-sample", sample, "-quality", "80"], NONINTERLEAVED_PROGRESSIVE);
  }

  const MODES: [string, string[], string?, string?][] = [
    ["baseline", []],
    ["-progressive", ["-progressive"]],
    ["-progressive -optimize", ["-progressive", "-optimize"]],
    ["-optimize", ["-optimize"]],
    ["-restart 1", ["-restart", "1"]],
    ["-restart 2", ["-restart", "2"]],
    ["-restart 1B", ["-restart", "1B"]],
    ["-restart 3B", ["-restart", "3B"]],
    ["-restart 5B -optimize", ["-restart", "5B", "-optimize"]],
    ["-progressive -restart 2B", ["-progressive", "-restart", "2B"]],
    ["-progressive -restart 1", ["-progressive", "-restart", "1"]],
    ["-grayscale", ["-grayscale"]],
    ["-grayscale -progressive", ["-grayscale", "-progressive"]],
    ["-grayscale -restart 2B", ["-grayscale", "-restart", "2B"]],
    ["-rgb", ["-rgb"]],
    ["-rgb -progressive", ["-rgb", "-progressive"]],
    ["-baseline -quality 3", ["-baseline", "-quality", "3"]],
    ["-smooth 30", ["-smooth", "30"]],
    ["scans 0 1 2 (sequential, one scan)", [], "0 1 2;"],
    ["scans 0; 1 2 (sequential, two scans)", [], "0; 1 2;"],
    ["scans 2; 0; 1 (sequential, components out of order)", [], "2; 0; 1;"],
    ["scans: spectral selection only", [], "0 1 2: 0-0, 0, 0; 0: 1-10, 0, 0; 0: 11-63, 0, 0; 1: 1-63, 0, 0; 2: 1-63, 0, 0;"],
    ["scans: successive approximation, DC refined last", [], "0 1 2: 0-0, 0, 2; 0: 1-63, 0, 3; 1: 1-63, 0, 1; 2: 1-63, 0, 1; 0: 1-63, 3, 2; 0 1 2: 0-0, 2, 1; 0: 1-63, 2, 1; 0: 1-63, 1, 0; 1: 1-63, 1, 0; 2: 1-63, 1, 0; 0 1 2: 0-0, 1, 0;"],
    // Progressive files whose coefficients never all arrive: libjpeg smooths such blocks (jdcoefct.c decompress_smooth_data).
    ["scans: DC only", [], "0 1 2: 0-0, 0, 0;"],
    ["scans: DC at Al=1 and AC at Al=2, never refined", [], "0 1 2: 0-0, 0, 1; 0: 1-63, 0, 2; 1: 1-63, 0, 2; 2: 1-63, 0, 2;"],
    ["scans: DC, luma AC 1-5 only", [], "0 1 2: 0-0, 0, 0; 0: 1-5, 0, 0;"],
    ["scans: DC, AC 1-9 of every component", [], "0 1 2: 0-0, 0, 0; 0: 1-9, 0, 0; 1: 1-9, 0, 0; 2: 1-9, 0, 0;"],
    ["-arithmetic", ["-arithmetic"], undefined, "arithmetic coding"],
    ["-arithmetic -progressive", ["-arithmetic", "-progressive"], undefined, "arithmetic coding"],
  ];
  for (const [label, args, scans, mayRefuse] of MODES) {
    for (const sample of ["1x1", "2x2", "2x1", "1x2", "4x1"]) {
      for (const [width, height] of [[13, 11], [127, 93]] as const) {
        if (args.includes("-grayscale") && sample !== "1x1") continue;
        const content = CONTENTS[variant % CONTENTS.length];
        const quality = QUALITIES[(variant * 7) % QUALITIES.length];
        encode(`${content} ${width}x${height} -sample ${sample} q${quality} ${label}`, source(content, width, height, photos, variant++), ["-quality", String(quality), "-sample", sample, ...args], scans, mayRefuse);
      }
    }
  }

  for (const quality of [...QUALITIES, 3, 7, 15, 30, 45, 60, 70, 80, 92, 97]) {
    for (const content of ["photo", quality % 2 ? "noise" : "blocks"] as const) {
      encode(`${content} 40x30 -sample 2x2 q${quality}`, source(content, 40, 30, photos, variant++), ["-quality", String(quality)]);
    }
  }

  const large: [number, number, string[]][] = [
    [1001, 751, ["-quality", "85"]],
    [1001, 751, ["-quality", "92", "-progressive"]],
    [751, 1001, ["-quality", "95", "-sample", "1x1", "-restart", "3"]],
    [999, 333, ["-quality", "75", "-sample", "2x1", "-optimize"]],
    [333, 999, ["-quality", "50", "-sample", "1x2", "-progressive", "-restart", "7B"]],
  ];
  for (const [width, height, args] of large) encode(`photo ${width}x${height} ${args.join(" ")}`, source("photo", width, height, photos, variant++), args);

  const TRANSFORMS = [
    ["-rotate", "90"], ["-rotate", "180"], ["-rotate", "270"], ["-flip", "horizontal"], ["-flip", "vertical"],
    ["-transpose"], ["-transverse"], ["-rotate", "90", "-trim"], ["-crop", "21x13+3+5"], ["-crop", "16x16+8+8"],
    ["-progressive"], ["-optimize", "-restart", "1B"], ["-grayscale"], ["-arithmetic"],
  ];
  for (const sample of ["2x2", "2x1", "1x1", "4x1"]) {
    plan.then(cjpegJob(source("photo", 45, 37, photos, variant++), ["-quality", "90", "-sample", sample]), (base) => {
      for (const args of TRANSFORMS) {
        plan.file(`photo 45x37 -sample ${sample} | jpegtran ${args.join(" ")}`, { tool: "jpegtran", args, input: base }, args.includes("-arithmetic") ? "arithmetic coding" : undefined);
      }
    });
  }

  for (const [width, height] of [[1, 1], [7, 9], [33, 31], [100, 75]] as const) {
    for (const [kind, adobe] of [["CMYK", 0], ["YCCK", 2], ["CMYK without APP14", null]] as const) {
      const sample = width > 30 && adobe !== null ? "2x2,1x1,1x1" : "1x1";
      const cmy = source("photo", width, height, photos, variant++);
      const k = source("gradient", width, height, photos, variant);
      const [threeJob, oneJob] = fourComponentParts(cmy, k, QUALITIES[variant % QUALITIES.length], sample);
      const name = `${kind} ${width}x${height} -sample ${sample}`;
      plan.then(threeJob, (three) => plan.then(oneJob, (one) => {
        const bytes = spliceFourComponents(three, one, adobe);
        plan.made(name, bytes);
        if (width > 30) plan.file(`${name} | jpegtran -progressive`, { tool: "jpegtran", args: ["-progressive"], input: bytes });
        if (width === 33) plan.file(`${name} | jpegtran -rotate 90 -restart 1B`, { tool: "jpegtran", args: ["-rotate", "90", "-restart", "1B"], input: bytes });
      }));
    }
  }
  return plan.finish();
}

/**
 * The corpus being made: tool runs queued, then run together (runTools), their outputs becoming
 * files or feeding further runs; files keep the order in which they were planned.
 */
class CorpusPlan {
  private readonly slots: (JpegFile | null)[] = [];
  private queue: { job: ToolJob; done: (bytes: Uint8Array) => void }[] = [];

  /** Runs `job` and passes its output on. */
  then(job: ToolJob, done: (bytes: Uint8Array) => void): void {
    this.queue.push({ job, done });
  }

  /** A corpus file: the output of `job`. */
  file(name: string, job: ToolJob, mayRefuse?: string): void {
    const slot = this.slots.push(null) - 1;
    this.then(job, (bytes) => (this.slots[slot] = { name, bytes, mayRefuse }));
  }

  /** A corpus file made without a tool. */
  made(name: string, bytes: Uint8Array): void {
    this.slots.push({ name, bytes });
  }

  async finish(): Promise<JpegFile[]> {
    while (this.queue.length > 0) {
      const queue = this.queue;
      this.queue = [];
      const outputs = await runTools(queue.map(({ job }) => job));
      outputs.forEach(({ status, stdout, stderr }, i) => {
        const { tool, args } = queue[i].job;
        if (status !== 0) throw new Error(`${tool} ${args.join(" ")}: exit ${status}: ${stderr}`);
        queue[i].done(stdout);
      });
    }
    return this.slots.map((file) => file!);
  }
}

// ——— Many tool runs at once ———

export interface ToolJob {
  tool: "djpeg" | "cjpeg" | "jpegtran";
  args: string[];
  /** Its standard input. */
  input: Uint8Array;
}

export interface ToolOutput {
  /** djpeg: 0 decoded, 2 decoded with warnings, 1 refused (an error; any output is partial). */
  status: number;
  stdout: Uint8Array;
  stderr: string;
}

const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

/**
 * Runs the jobs from `parallel` shell scripts (an exec from a shell costs about half of a Node
 * child process), inputs and outputs in a temporary directory; an input shared by several jobs
 * (the same Uint8Array) is written once. Outputs in the order of the jobs.
 */
export async function runTools(jobs: ToolJob[], parallel = 2): Promise<ToolOutput[]> {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-tools-"));
  try {
    const inputs = new Map<Uint8Array, string>();
    const scripts: string[][] = Array.from({ length: parallel }, () => []);
    jobs.forEach(({ tool, args, input }, i) => {
      let name = inputs.get(input);
      if (name === undefined) {
        inputs.set(input, (name = `in${inputs.size}`));
        writeFileSync(join(dir, name), input);
      }
      scripts[i % parallel].push(`${tool} ${args.map(quote).join(" ")} <${name} >${i}.out 2>${i}.err; echo $? >${i}.rc`);
    });
    await Promise.all(scripts.map((lines, job) => new Promise<void>((resolve, reject) => {
      writeFileSync(join(dir, `job${job}.sh`), `${lines.join("\n")}\n`);
      const child = spawn("sh", [`job${job}.sh`], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tool script exited with ${code}`))));
    })));
    return jobs.map((_, i) => ({
      status: Number(readFileSync(join(dir, `${i}.rc`), "latin1")),
      stdout: new Uint8Array(readFileSync(join(dir, `${i}.out`))),
      stderr: readFileSync(join(dir, `${i}.err`), "latin1").trim(),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `djpeg -dct int -scale M/8` on every file at every M: [file][scale index]. */
export async function djpegAll(files: Uint8Array[], scales: number[], parallel = 2): Promise<ToolOutput[][]> {
  const jobs = files.flatMap((input) => scales.map((m): ToolJob => ({ tool: "djpeg", args: ["-dct", "int", "-scale", `${m}/8`], input })));
  const outputs = await runTools(jobs, parallel);
  return files.map((_, i) => outputs.slice(i * scales.length, (i + 1) * scales.length));
}

/** null when equal; otherwise where and how much two PNM files differ. */
export function pnmDifference(ours: Uint8Array, theirs: Uint8Array): string | null {
  const length = Math.min(ours.length, theirs.length);
  let first = -1;
  let maxDiff = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    if (ours[i] !== theirs[i]) {
      if (first < 0) first = i;
      maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
      count++;
    }
  }
  if (first < 0 && ours.length === theirs.length) return null;
  const header = (bytes: Uint8Array) => JSON.stringify(new TextDecoder("latin1").decode(bytes.subarray(0, 16)).split("\n").slice(0, 3).join(" "));
  const where = first < 0 ? `lengths ${ours.length} vs djpeg ${theirs.length}` : `first difference at byte ${first}, ${count} bytes differ, max difference ${maxDiff}`;
  return `${where} (ours ${header(ours)} ${ours.length} bytes, djpeg ${header(theirs)} ${theirs.length} bytes)`;
}
