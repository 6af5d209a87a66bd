// The JPEG decoder against libjpeg-turbo's djpeg. For every file and every M = 1..8,
// decodeImageToPnm(bytes, { scale: M/8 }) must be byte for byte what `djpeg -dct int -scale M/8`
// writes: on the sample photos and the 500 ImageNet photos; on a corpus generated here with cjpeg
// and jpegtran (test/jpeg-corpus.ts); on truncated files and on files with damaged entropy-coded
// data or restart markers (decoded with onWarning, as libjpeg decodes them: we must warn where
// djpeg warns and nowhere else, and refuse with an ImageError where djpeg refuses). On the
// generated, truncated and damaged files decodeImage's RGB pixels must be djpeg's too (grayscale
// replicated). What classify feeds a model — preprocessImage's streaming crop and resize at a
// forced M/8 — must be djpeg's M/8 image through the whole-image cropResize; with an EXIF
// orientation and orientation "exif", the image must be djpeg's turned as EXIF defines it.
// djpeg runs from a few shell processes per chunk of files while the previous chunk is compared.
// Without djpeg/cjpeg/jpegtran the tests are skipped with a message, or fail with CI=true.
import { orient, withOrientation } from "./exif.js";
import { readdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError } from "../js/errors.js";
import { decodeImage, preprocessImage } from "../js/preprocess/index.js";
import { cropResize } from "../js/preprocess/resize.js";
import { decodeImageToPnm } from "../js/preprocess/pnm.js";
import { dataPath, readData } from "./data.js";
import { JPEG_MUTATIONS } from "./fuzz/jpeg-mutations.js";
import {
  type ToolOutput as DjpegOutput, type JpegFile, type Raster, blocks, djpegAll, generatedCorpus, gradient, jpegToolsAvailable, noise,
  encodePnm, parsePnm, pnmDifference, samplePhotos, truncations,
} from "./jpeg-corpus.js";
import { Rng } from "./random.js";

const SCALES = [1, 2, 3, 4, 5, 6, 7, 8];
/** Files per djpeg batch: the next batch decodes while this one is compared. */
const CHUNK = 48;
const DJPEG_JOBS = 2;
const SHOWN_MISMATCHES = 25;

interface Tally {
  files: number;
  decodes: number;
  identical: number;
  /** djpeg refused (exit 1) and so did we, with an ImageError. */
  bothRefused: number;
  /** djpeg wrote the whole image, then exited with an error; we decoded the same image. */
  identicalThenRefused: number;
  /** Files marked mayRefuse that we refused with an ImageError while djpeg decoded them. */
  unsupported: number;
  /** djpeg wrote an image with warnings (exit 2): counted within identical when we matched. */
  djpegWarned: number;
  /** decodeImage's RGB pixels compared too (djpeg's grayscale replicated): how many were identical. */
  rgbIdentical: number;
  mismatches: string[];
  djpegSeconds: number;
  oursSeconds: number;
}

/** Whether a PNM file holds all the samples its header declares. */
function completePnm(bytes: Uint8Array): boolean {
  try {
    parsePnm(bytes);
    return true;
  } catch {
    return false;
  }
}

/** decodeImage at scale M/8 against djpeg's pixels: null when identical, else what differs. */
function rgbDifference(file: JpegFile, m: number, djpeg: Uint8Array): string | null {
  let image;
  try {
    image = decodeImage(file.bytes, { scale: m / 8, orientation: "ignore", onWarning: () => {} });
  } catch (error) {
    return `decodeImage threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)} where decodeImageToPnm decoded`;
  }
  const { width, height, channels, data } = parsePnm(djpeg);
  if (image.width !== width || image.height !== height) return `decodeImage gave ${image.width}x${image.height}, djpeg ${width}x${height}`;
  let first = -1;
  let maxDiff = 0;
  for (let i = 0; i < image.data.length; i++) {
    const theirs = channels === 3 ? data[i] : data[(i / 3) | 0];
    if (image.data[i] !== theirs) {
      if (first < 0) first = i;
      maxDiff = Math.max(maxDiff, Math.abs(image.data[i] - theirs));
    }
  }
  return first < 0 ? null : `decodeImage's RGB: first difference at pixel byte ${first}, max difference ${maxDiff}`;
}

function compareOne(file: JpegFile, m: number, djpeg: DjpegOutput, tally: Tally, rgb: boolean): void {
  const where = `${file.name} M=${m}`;
  let ours: Uint8Array | null = null;
  let refusal = "";
  let warned = false;
  const start = performance.now();
  try {
    // With onWarning, corrupt or truncated data decodes as libjpeg decodes it (without, it is an ImageError).
    ours = decodeImageToPnm(file.bytes, { scale: m / 8, orientation: "ignore", onWarning: () => (warned = true) });
  } catch (error) {
    if (!(error instanceof ImageError)) {
      tally.mismatches.push(`${where}: threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
      return;
    }
    refusal = error.message;
  } finally {
    tally.oursSeconds += (performance.now() - start) / 1000;
  }
  tally.decodes++;
  if (djpeg.status === 2) tally.djpegWarned++;
  if (djpeg.status === 1) {
    if (ours === null) tally.bothRefused++;
    else if (completePnm(djpeg.stdout)) {
      // djpeg wrote the whole image and failed after it (a bad marker after the last scan, read by
      // jpeg_finish_decompress): our image must be the one it wrote.
      const difference = pnmDifference(ours, djpeg.stdout);
      if (difference === null) tally.identicalThenRefused++;
      else tally.mismatches.push(`${where}: djpeg wrote an image, then failed (${djpeg.stderr}); ours differs: ${difference}`);
    } else tally.mismatches.push(`${where}: djpeg refused it (${djpeg.stderr}) but we decoded it`);
    return;
  }
  if (ours === null) {
    if (file.mayRefuse !== undefined) tally.unsupported++;
    else tally.mismatches.push(`${where}: we refused it (${refusal}); djpeg decoded it${djpeg.status === 2 ? ` with warnings (${djpeg.stderr})` : ""}`);
    return;
  }
  const difference = pnmDifference(ours, djpeg.stdout);
  if (difference === null) tally.identical++;
  else tally.mismatches.push(`${where}: ${difference}`);
  if (warned !== (djpeg.status === 2)) {
    tally.mismatches.push(`${where}: ${warned ? "we warned, djpeg did not" : `djpeg warned (${djpeg.stderr}), we did not`}`);
  }
  if (!rgb || difference !== null) return;
  const rgbProblem = rgbDifference(file, m, djpeg.stdout);
  if (rgbProblem === null) tally.rgbIdentical++;
  else tally.mismatches.push(`${where}: ${rgbProblem}`);
}

/** djpeg at every M on all files, chunk by chunk, each chunk's djpeg running while the previous one is compared. */
async function compareWithDjpeg(files: JpegFile[], rgb: boolean): Promise<Tally> {
  const tally: Tally = { files: files.length, decodes: 0, identical: 0, bothRefused: 0, identicalThenRefused: 0, unsupported: 0, djpegWarned: 0, rgbIdentical: 0, mismatches: [], djpegSeconds: 0, oursSeconds: 0 };
  const chunks: JpegFile[][] = [];
  for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
  const launch = (chunk: JpegFile[]) => djpegAll(chunk.map((f) => f.bytes), SCALES, DJPEG_JOBS);
  let pending = chunks.length > 0 ? launch(chunks[0]) : null;
  for (let c = 0; c < chunks.length; c++) {
    const waitStart = performance.now();
    const outputs = await pending!;
    tally.djpegSeconds += (performance.now() - waitStart) / 1000;
    pending = c + 1 < chunks.length ? launch(chunks[c + 1]) : null;
    chunks[c].forEach((file, i) => SCALES.forEach((m, s) => compareOne(file, m, outputs[i][s], tally, rgb)));
  }
  return tally;
}

function report(title: string, tally: Tally, seconds: number): void {
  const { files, decodes, identical, bothRefused, identicalThenRefused, unsupported, djpegWarned, rgbIdentical, mismatches } = tally;
  console.log(
    `  ${title}: ${files} files × ${SCALES.length} scales = ${files * SCALES.length} decodes; identical ${identical}, ` +
    `both refused ${bothRefused}, identical but djpeg failed after writing ${identicalThenRefused}, refused as unsupported ${unsupported}, mismatches ${mismatches.length}${rgbIdentical > 0 ? `; decodeImage's RGB identical ${rgbIdentical}` : ""} ` +
    `(djpeg warned on ${djpegWarned}); ${seconds.toFixed(1)} s (waiting for djpeg ${tally.djpegSeconds.toFixed(1)} s, our decodes ${tally.oursSeconds.toFixed(1)} s)`,
  );
  for (const line of mismatches.slice(0, SHOWN_MISMATCHES)) console.log(`    MISMATCH ${line}`);
  if (mismatches.length > SHOWN_MISMATCHES) console.log(`    … ${mismatches.length - SHOWN_MISMATCHES} more`);
  assert.is(decodes + mismatches.filter((m) => m.includes(": threw ")).length, files * SCALES.length);
  assert.ok(mismatches.length === 0, `${mismatches.length} of ${files * SCALES.length} decodes differ from djpeg (listed above); the first: ${mismatches[0]}`);
}

/** `rgb`: decodeImage's pixels are compared with djpeg's too (twice our decoding time). */
async function check(title: string, rgb: boolean, files: () => JpegFile[] | null | Promise<JpegFile[]>): Promise<void> {
  if (!jpegToolsAvailable(title)) return;
  const start = performance.now();
  const list = await files();
  if (list === null) return;
  const tally = await compareWithDjpeg(list, rgb);
  report(title, tally, (performance.now() - start) / 1000);
}

function dataJpegs(dir: string, pattern: RegExp): JpegFile[] | null {
  const path = dataPath(dir);
  if (path === null) return null;
  return readdirSync(path).filter((f) => pattern.test(f)).sort().map((f) => ({ name: `${dir}/${f}`, bytes: readData(`${dir}/${f}`)! }));
}

/** Photos to cut sources from; synthetic stand-ins when the sample images are missing (outside CI). */
function sourcePhotos(): Raster[] {
  return samplePhotos() ?? [gradient(300, 200), blocks(257, 129), noise(200, 150, 7)];
}

let corpus: Promise<JpegFile[]> | null = null;
const generated = () => (corpus ??= generatedCorpus(sourcePhotos()));

test("djpeg: the sample photos and the 500 ImageNet photos are byte-identical at M = 1..8", async () => {
  await check("samples + ImageNet", false, () => {
    const samples = dataJpegs("images/samples", /\.jpe?g$/i);
    const imagenet = dataJpegs("imagenet-sample", /\.jpe?g$/i);
    return samples === null || imagenet === null ? null : [...samples, ...imagenet];
  });
});

test("djpeg: every sampling, coding mode, quality and size cjpeg and jpegtran make, CMYK and YCCK, at M = 1..8", async () => {
  await check("generated corpus", true, generated);
});

test("djpeg: truncated files decode as djpeg decodes them (or are refused where djpeg refuses them)", async () => {
  await check("truncated files", true, async () => {
    const corpus = await generated();
    const picks = [/^photo 1001x751 -quality 85$/, /^photo 1001x751 .*-progressive/, /-restart 3$/, /-progressive -restart 7B/, /-grayscale -progressive/, /^YCCK 100x75 .*progressive/, /^CMYK 33x31/, /scans: successive approximation/, /4x4 -progressive/];
    const bases = picks.map((pattern) => corpus.find((f) => pattern.test(f.name)));
    assert.ok(bases.every((f) => f !== undefined), `no corpus file for ${picks.filter((_, i) => bases[i] === undefined).join(", ")}`);
    const owl = readData("images/samples/owl.jpg");
    const files = owl === null ? bases : [...bases, { name: "owl.jpg", bytes: owl }];
    return files.flatMap((f) => truncations(f!));
  });
});

test("djpeg: files with damaged scan data or restart markers decode as djpeg decodes them", async () => {
  await check("damaged files", true, async () => {
    const corpus = await generated();
    const picks = [/^photo 1001x751 -quality 85$/, /-restart 3$/, /-restart 1B/, /-progressive -restart 2B/, /-restart 5B -optimize/, /^photo .* -sample 2x2 .*-progressive$/, /-grayscale -restart 2B/, /^CMYK 100x75/, /4x4 scans 0;1;2/, /^photo .* -sample 4x1 .* baseline/];
    const rng = new Rng(20_261_208);
    return picks.flatMap((pattern) => {
      const base = corpus.find((f) => pattern.test(f.name));
      assert.ok(base, `no corpus file for ${pattern}`);
      return (["entropyData", "entropyData", "entropyData", "restartDamage", "restartDamage", "restartDamage"] as const).map((kind) => {
        const [bytes, what] = JPEG_MUTATIONS[kind](base!.bytes, rng, base!.bytes);
        return { name: `${base!.name}: ${kind} ${what}`, bytes };
      });
    });
  });
});

/** Every n-th ImageNet photo in the crop-and-resize test. */
const RESIZE_STEP = 20;
const RESIZE_TARGETS: [number, number, number][] = [[224, 224, 0.875], [97, 61, 1], [300, 200, 0.5]];

test("djpeg: preprocessImage at M/8 (classify's input) is djpeg's image at M/8 through cropResize", async () => {
  if (!jpegToolsAvailable("crop and resize")) return;
  const samples = dataJpegs("images/samples", /\.jpe?g$/i);
  const imagenet = dataJpegs("imagenet-sample", /\.jpe?g$/i);
  if (samples === null || imagenet === null) return;
  const files = [...samples, ...imagenet.filter((_, i) => i % RESIZE_STEP === 0)];
  const start = performance.now();
  const outputs = await djpegAll(files.map((f) => f.bytes), SCALES, DJPEG_JOBS);
  const mismatches: string[] = [];
  let identical = 0;
  files.forEach((file, i) => SCALES.forEach((m, s) => {
    const { width, height, channels, data } = parsePnm(outputs[i][s].stdout);
    const rgb = channels === 3 ? data : Uint8Array.from({ length: 3 * data.length }, (_, k) => data[(k / 3) | 0]);
    for (const [targetWidth, targetHeight, crop] of RESIZE_TARGETS) {
      const expected = cropResize({ width, height, data: rgb }, { crop, width: targetWidth, height: targetHeight, orientation: 1 }).data;
      const ours = preprocessImage(file.bytes, { width: targetWidth, height: targetHeight, crop, scale: m / 8, orientation: "ignore" });
      let first = -1;
      for (let k = 0; k < expected.length && first < 0; k++) if (ours[k] !== expected[k]) first = k;
      if (first < 0 && ours.length === expected.length) identical++;
      else mismatches.push(`${file.name} M=${m} ${targetWidth}x${targetHeight} crop ${crop}: first difference at byte ${first} of ${expected.length}`);
    }
  }));
  const total = files.length * SCALES.length * RESIZE_TARGETS.length;
  console.log(`  crop + resize: ${files.length} files × ${SCALES.length} scales × ${RESIZE_TARGETS.length} targets = ${total}; identical ${identical}; ${((performance.now() - start) / 1000).toFixed(1)} s`);
  for (const line of mismatches.slice(0, SHOWN_MISMATCHES)) console.log(`    MISMATCH ${line}`);
  assert.ok(mismatches.length === 0, `${mismatches.length} of ${total} differ; the first: ${mismatches[0]}`);
});

test("djpeg: EXIF orientations 1-8 (II and MM) turn djpeg's image as EXIF defines, at M = 1..8", async () => {
  if (!jpegToolsAvailable("EXIF orientation")) return;
  const corpus = await generated();
  const picks = [/^\w+ 101x75 -sample 2x1 q\d+$/, /^\w+ 63x65 -sample 1x2 q\d+$/, /^\w+ 127x93 -sample 1x1 q\d+ -grayscale -progressive$/, /^YCCK 100x75 [^|]*$/];
  const bases = picks.map((pattern) => corpus.find((f) => pattern.test(f.name)));
  assert.ok(bases.every((f) => f !== undefined), `no corpus file for ${picks.filter((_, i) => bases[i] === undefined).join(", ")}`);
  const outputs = await djpegAll(bases.map((f) => f!.bytes), SCALES, DJPEG_JOBS);
  const mismatches: string[] = [];
  let identical = 0;
  bases.forEach((base, i) => SCALES.forEach((m, s) => {
    const stored = parsePnm(outputs[i][s].stdout);
    for (let orientation = 1; orientation <= 8; orientation++) {
      const bigEndian = (orientation + i + m) % 2 === 0;
      const file = withOrientation(base!.bytes, orientation, !bigEndian);
      const where = `${base!.name} M=${m} orientation ${orientation} ${bigEndian ? "MM" : "II"}`;
      const expected = orient(stored, orientation, stored.channels);
      const difference = pnmDifference(decodeImageToPnm(file, { scale: m / 8, orientation: "exif" }), encodePnm(expected));
      const image = decodeImage(file, { scale: m / 8 });
      const rgb = expected.channels === 3 ? expected.data : Uint8Array.from({ length: 3 * expected.data.length }, (_, k) => expected.data[(k / 3) | 0]);
      const rgbSame = image.width === expected.width && image.height === expected.height && image.data.every((v, k) => v === rgb[k]);
      if (difference === null && rgbSame) identical++;
      else mismatches.push(`${where}: ${difference ?? "PNM identical"}; decodeImage (default orientation "exif") ${rgbSame ? "identical" : `differs (${image.width}x${image.height})`}`);
    }
  }));
  const total = bases.length * SCALES.length * 8;
  console.log(`  EXIF orientation: ${bases.length} files × ${SCALES.length} scales × 8 orientations = ${total}; identical ${identical}`);
  for (const line of mismatches.slice(0, SHOWN_MISMATCHES)) console.log(`    MISMATCH ${line}`);
  assert.ok(mismatches.length === 0, `${mismatches.length} of ${total} differ; the first: ${mismatches[0]}`);
});

test.run();
