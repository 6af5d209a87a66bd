// The front half of the JPEG decoder: readJpegHeader (js/preprocess/jpeg/markers.ts) and
// CoefficientReader (coefficients.ts, with assembly/jpeg/entropy.ts and progressive.ts).
//  - coefficients of shared JPEGs, whole, truncated and corrupted, against hashes of libjpeg's
//    own (REFERENCE below);
//  - files made at test time with cjpeg (samplings, qualities, odd sizes down to 1x1, grayscale)
//    and their lossless jpegtran transcodes (progressive, restart intervals, optimized tables,
//    non-interleaved scans): every transcode must give the baseline file's coefficients;
//  - headers against djpeg's PPM header, EXIF orientation, and inputs djpeg refuses.
// cjpeg/djpeg/jpegtran (libjpeg-turbo-progs) missing: the tests that need them are skipped with a
// message, or fail with CI=true.
import { jpegToolsAvailable, runTool } from "./jpeg-corpus.js";
import { withExif } from "./exif.js";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError } from "../js/errors.js";
import { CoefficientReader } from "../js/preprocess/jpeg/coefficients.js";
import { type JpegHeader, readJpegHeader } from "../js/preprocess/jpeg/markers.js";
import { DecoderMemory } from "../js/preprocess/jpeg/memory.js";
import { embeddedWasmBytes } from "../js/runtime/embedded-module.js";
import { instantiateKernels } from "../js/runtime/kernels.js";
import { dataPath, readData } from "./data.js";
import { Rng } from "./random.js";

// Made with a throwaway C program against the system libjpeg-turbo 2.1.5 (jpeg_read_coefficients,
// then each component's width_in_blocks x height_in_blocks blocks, 64 int16 little-endian in
// natural order, row by row, components in frame order): the first 16 bytes of the SHA-256 of
// that dump. Variants: "cut:f" keeps the first floor(f * length) bytes; "flip:n" XORs 0x5a into
// n bytes spread evenly from 100 bytes after the first SOS marker (see variant()).
const REFERENCE: Record<string, string> = {
  "images/samples/hot_dog.jpg whole": "3bf8ec67a27bef6d9988eb359dbcf21a",
  "images/samples/hot_dog.jpg cut:0.6": "2fa29955622bde4a36cfe0baca48216e",
  "images/samples/hot_dog.jpg cut:0.35": "5743ec7cab1af8298085cbde347e050b",
  "images/samples/hot_dog.jpg flip:12": "fe877a7fb424b95a01b715e675e5f979",
  "images/samples/owl.jpg whole": "9859a8120b8aa3618173069b1629ef5f",
  "images/samples/owl.jpg cut:0.6": "7108351186cbec273b531e6a7f11b73f",
  "images/samples/owl.jpg cut:0.35": "32764c2842da703f6ed3e8242bfa4298",
  "images/samples/owl.jpg flip:12": "8401df9c821eb995ac309dab7c47424a",
  "images/samples/parrot.jpg whole": "4e59a77c0dbcc4bd8660a6d1e54eb657",
  "images/samples/parrot.jpg cut:0.6": "4db892d48b1e4f60daab37725b2e43bc",
  "images/samples/parrot.jpg cut:0.35": "d43a140a9d3ce014da875a79abd8a7ab",
  "images/samples/parrot.jpg flip:12": "e9d946d0ad6ff2ddd83944f8ff2c329f",
  "imagenet-sample/n01440764_tench.JPEG whole": "8bf61f79a7e9b9e90aa3425cf850e142",
  "imagenet-sample/n01698640_American_alligator.JPEG whole": "d14bfdc610ffbdf86b2e168b2a1fd581",
  "imagenet-sample/n01860187_black_swan.JPEG whole": "845d6e5a44916d8a04155c8643af938f",
  "imagenet-sample/n02077923_sea_lion.JPEG whole": "420ee7162c1fe1418ebfb1f1242b6f6f",
  "imagenet-sample/n02097474_Tibetan_terrier.JPEG whole": "e2a0afaa0aadf0445d93a393bc72c711",
  "imagenet-sample/n02110185_Siberian_husky.JPEG whole": "0ebe51c7f408084257614b1dd7c9e696",
  "imagenet-sample/n02165105_tiger_beetle.JPEG whole": "616d3d58130a01a3fe2af7703e3c0b8d",
  "imagenet-sample/n02417914_ibex.JPEG whole": "70a9c675151c5f1d0bc62cb65278afe9",
  "imagenet-sample/n02669723_academic_gown.JPEG whole": "1401aef7fe37ce007b7d09223a6474a6",
  "imagenet-sample/n02860847_bobsled.JPEG whole": "8132acfe23485dd14de74d9619ec38d0",
  "imagenet-sample/n03042490_cliff_dwelling.JPEG whole": "d2c2ab293804d6bc97c40a01dd6f0b6e",
  "imagenet-sample/n03297495_espresso_maker.JPEG whole": "8ca1955a010355dd8d5a45ecc51134ba",
  "imagenet-sample/n03532672_hook.JPEG whole": "6bfacef90bef63d425e93a499e678950",
  "imagenet-sample/n03759954_microphone.JPEG whole": "f9ced9480270ae092126f5ae4a033ef3",
  "imagenet-sample/n03887697_paper_towel.JPEG whole": "c8229e0f50607d104a2c038a7d839c2c",
  "imagenet-sample/n04033995_quilt.JPEG whole": "5d456da063e68e067d8b97cbe1da3996",
  "imagenet-sample/n04243546_slot.JPEG whole": "2c8eca6462d2d934479ef31893ed205f",
  "imagenet-sample/n04399382_teddy.JPEG whole": "987ef4ce5130959303194f894a8c3b65",
  "imagenet-sample/n04562935_water_tower.JPEG whole": "428180bb7195f173e9e60bad9c9426c3",
  "imagenet-sample/n07747607_orange.JPEG whole": "b194848b60314e3856402eb5cea418e2",
};

// ---------------------------------------------------------------- helpers

let compiled: WebAssembly.Module | undefined;

interface Decoded {
  header: JpegHeader;
  /** Per component: its width_in_blocks x height_in_blocks blocks (64 int16 each), row by row. */
  blocks: Int16Array[];
  quant: Int32Array[];
  warnings: number;
}

/** Decodes a file's coefficients, a row at a time (streaming) or all at once, into plain arrays. */
async function decode(bytes: Uint8Array): Promise<Decoded> {
  compiled ??= new WebAssembly.Module(embeddedWasmBytes());
  const kernels = await instantiateKernels(compiled);
  const memory = new DecoderMemory(kernels.memory, Math.ceil(kernels.heap_base() / 16) * 16, 1 << 30, "test.jpg");
  const header = readJpegHeader(bytes);
  const reader = new CoefficientReader(kernels, memory, bytes, header);
  const sizes = header.components.map(({ h, v }) => ({
    wide: Math.ceil((header.width * h) / (8 * header.maxH)),
    high: Math.ceil((header.height * v) / (8 * header.maxV)),
  }));
  const blocks = sizes.map(({ wide, high }) => new Int16Array(wide * high * 64));
  const copyRows = (c: number, firstRow: number, rows: number) => {
    const { wide, high } = sizes[c];
    const all = new Int16Array(kernels.memory.buffer, reader.coef[c], reader.blocksWide[c] * rows * 64);
    for (let y = 0; y < rows && firstRow + y < high; y++) {
      const from = y * reader.blocksWide[c] * 64;
      blocks[c].set(all.subarray(from, from + wide * 64), (firstRow + y) * wide * 64);
    }
  };
  if (header.streaming) {
    for (let row = 0; row < header.mcusDown; row++) {
      reader.readRow();
      header.components.forEach(({ v }, c) => copyRows(c, row * v, v));
    }
  } else {
    reader.readAll();
    header.components.forEach(({ v }, c) => copyRows(c, 0, header.mcusDown * v));
  }
  const quant = reader.quant.map((q) => new Int32Array(kernels.memory.buffer.slice(q, q + 256)));
  return { header, blocks, quant, warnings: reader.warnings };
}

function digest(blocks: Int16Array[]): string {
  const hash = createHash("sha256");
  for (const b of blocks) hash.update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return hash.digest("hex").slice(0, 32);
}

function variant(bytes: Uint8Array, kind: string): Uint8Array {
  if (kind === "whole") return bytes;
  const [what, arg] = kind.split(":");
  if (what === "cut") return bytes.subarray(0, Math.floor(bytes.length * Number(arg)));
  let sos = 0;
  while (!(bytes[sos] === 0xff && bytes[sos + 1] === 0xda)) sos++;
  const out = bytes.slice();
  const n = Number(arg);
  const start = sos + 100;
  const step = Math.floor((bytes.length - start - 2) / n);
  for (let i = 0; i < n; i++) out[start + i * step] ^= 0x5a;
  return out;
}


/** A PPM (or PGM) picture with smooth gradients, edges and noise, so that every kind of coefficient occurs. */
function picture(width: number, height: number, seed: number, gray = false): Uint8Array {
  const channels = gray ? 1 : 3;
  const rng = new Rng(seed);
  const head = new TextEncoder().encode(`${gray ? "P5" : "P6"}\n${width} ${height}\n255\n`);
  const out = new Uint8Array(head.length + width * height * channels);
  out.set(head);
  let i = head.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const base = ((x * (3 + c)) ^ (y * (5 - c))) & 0xff;
        const edge = (x >> 3) % 2 === (y >> 4) % 2 ? 60 : 0;
        out[i++] = Math.max(0, Math.min(255, (base >> 1) + edge + rng.int(-20, 20)));
      }
    }
  }
  return out;
}

function sameCoefficients(a: Decoded, b: Decoded, what: string): void {
  assert.is(a.blocks.length, b.blocks.length, what);
  a.blocks.forEach((blocks, c) => {
    const other = b.blocks[c];
    let first = -1;
    for (let i = 0; i < blocks.length && first < 0; i++) if (blocks[i] !== other[i]) first = i;
    assert.is(first, -1, `${what}: component ${c} differs first at block ${first >> 6}, coefficient ${first & 63}`);
  });
  a.quant.forEach((q, c) => assert.equal(Array.from(b.quant[c]), Array.from(q), `${what}: quantization table of component ${c}`));
}

async function rejects(bytes: Uint8Array, pattern: RegExp, what: string): Promise<void> {
  try {
    await decode(bytes);
  } catch (error) {
    assert.ok(error instanceof ImageError, `${what}: ${error} is not an ImageError`);
    assert.match((error as Error).message, pattern, what);
    return;
  }
  assert.unreachable(`${what}: accepted`);
}

// ---------------------------------------------------------------- against libjpeg

test("coefficients of shared JPEGs, whole, truncated and corrupted, match libjpeg's", async () => {
  let checked = 0;
  for (const [key, expected] of Object.entries(REFERENCE)) {
    const [file, kind] = key.split(" ");
    const bytes = readData(file);
    if (bytes === null) return;
    const decoded = await decode(variant(bytes, kind));
    assert.is(digest(decoded.blocks), expected, key);
    if (kind === "whole") assert.is(decoded.warnings, 0, `${key}: warnings`);
    if (kind.startsWith("cut")) assert.ok(decoded.warnings > 0, `${key}: no warning`);
    checked++;
  }
  assert.is(checked, Object.keys(REFERENCE).length);
});

test("headers of shared JPEGs agree with djpeg's output size", () => {
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const samples = dataPath("images/samples");
  const imagenet = dataPath("imagenet-sample");
  if (samples === null || imagenet === null) return;
  const files = [...["hot_dog.jpg", "owl.jpg", "parrot.jpg"].map((f) => `images/samples/${f}`)];
  for (const key of Object.keys(REFERENCE)) if (key.startsWith("imagenet")) files.push(key.split(" ")[0]);
  for (const file of files) {
    const bytes = readData(file)!;
    const header = readJpegHeader(bytes);
    const ppm = new TextDecoder().decode(runTool("djpeg", ["-scale", "1/8"], bytes).subarray(0, 20));
    const [, kind, w, h] = /^(P[56])\s+(\d+)\s+(\d+)/.exec(ppm)!;
    assert.is(Math.ceil(header.width / 8), Number(w), file);
    assert.is(Math.ceil(header.height / 8), Number(h), file);
    assert.is(header.colorSpace === "gray" ? "P5" : "P6", kind, file);
    assert.is(header.orientation, 1);
    assert.ok(header.streaming && !header.progressive, file);
  }
});

// ---------------------------------------------------------------- transcodes

const SAMPLINGS = ["1x1", "2x1", "2x2", "1x2", "4x1", "4x2", "1x4", "3x1", "2x2,2x1,1x2"];
const SIZES: [number, number][] = [[1, 1], [7, 5], [37, 23], [64, 48], [203, 131], [17, 130]];

test("cjpeg files: progressive, restart, optimized and non-interleaved transcodes give the same coefficients", async () => {
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-jpeg-"));
  try {
    const scansFile = join(dir, "scans.txt");
    writeFileSync(scansFile, "0;\n1;\n2;\n");
    const grayScans = join(dir, "gray-scans.txt");
    writeFileSync(grayScans, "0: 0 0 0 0;\n0: 1 9 0 0;\n0: 10 63 0 0;\n");
    const transcodes: [string, string[]][] = [
      ["progressive", ["-progressive"]],
      ["restart 1", ["-restart", "1"]],
      ["restart 3 optimized", ["-restart", "3", "-optimize"]],
      ["restart 2B", ["-restart", "2B"]],
      ["progressive restart 2", ["-progressive", "-restart", "2"]],
    ];
    let files = 0;
    for (let i = 0; i < SAMPLINGS.length * 2; i++) {
      const sampling = SAMPLINGS[i % SAMPLINGS.length];
      const [width, height] = SIZES[i % SIZES.length];
      const quality = [1, 30, 75, 90, 100, 55][i % 6];
      const gray = i === SAMPLINGS.length; // one grayscale file
      const source = picture(width, height, i, gray);
      const args = ["-quality", String(quality), "-sample", sampling];
      if (gray) args.push("-grayscale");
      const baseline = runTool("cjpeg", args, source);
      const reference = await decode(baseline);
      assert.ok(reference.header.streaming, "baseline streams");
      const separate: [string, string[]] = gray ? ["progressive spectral selection", ["-scans", grayScans]] : ["separate scans", ["-scans", scansFile]];
      const all = [...transcodes, separate];
      for (const [name, options] of all) {
        const transcoded = runTool("jpegtran", options, baseline);
        const decoded = await decode(transcoded);
        const what = `${sampling} ${width}x${height} q${quality}${gray ? " gray" : ""}, ${name}`;
        assert.is(decoded.header.progressive, name.startsWith("progressive"), what);
        sameCoefficients(reference, decoded, what);
        assert.is(decoded.warnings, 0, `${what}: warnings`);
      }
      // cjpeg's own progressive file carries the same coefficients as well
      sameCoefficients(reference, await decode(runTool("cjpeg", [...args, "-progressive"], source)), `${sampling} cjpeg -progressive`);
      files++;
    }
    assert.is(files, SAMPLINGS.length * 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("truncated and corrupted files decode without trapping, with warnings; progressive ones too", async () => {
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const baseline = runTool("cjpeg", ["-quality", "85", "-sample", "2x2", "-restart", "1"], picture(96, 80, 7));
  const progressive = runTool("jpegtran", ["-progressive"], baseline);
  const rng = new Rng(99);
  for (const file of [baseline, progressive]) {
    let sos = 0;
    while (!(file[sos] === 0xff && file[sos + 1] === 0xda)) sos++;
    for (let trial = 0; trial < 40; trial++) {
      let bytes: Uint8Array;
      if (trial < 20) {
        bytes = file.subarray(0, rng.int(sos + 14, file.length - 1));
      } else {
        bytes = file.slice();
        for (let j = 0; j < 1 + (trial % 6); j++) bytes[rng.int(sos + 14, bytes.length - 3)] = rng.int(0, 255);
      }
      try {
        await decode(bytes);
      } catch (error) {
        assert.ok(error instanceof ImageError, `trial ${trial}: ${error}`);
      }
    }
  }
  // cut right after the first scan header: the first MCU decodes from zero bits, and as the
  // restart marker that should follow is missing, every later one stays zero
  let end = 0;
  while (!(baseline[end] === 0xff && baseline[end + 1] === 0xda)) end++;
  end += 2 + ((baseline[end + 2] << 8) | baseline[end + 3]);
  const empty = await decode(baseline.subarray(0, end));
  let nonzero = 0;
  for (const blocks of empty.blocks) for (let b = 0; b < blocks.length; b += 64) if (blocks.subarray(b, b + 64).some((x) => x !== 0)) nonzero++;
  assert.ok(nonzero <= 6, `${nonzero} nonzero blocks`);
  assert.ok(empty.warnings > 0);
});

// ---------------------------------------------------------------- headers

test("EXIF orientation from IFD0, both byte orders; 1 when absent or invalid", async () => {
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const jpeg = runTool("cjpeg", ["-quality", "80"], picture(20, 12, 3));
  assert.is(readJpegHeader(jpeg).orientation, 1);
  for (const little of [true, false]) {
    for (let value = 1; value <= 8; value++) {
      const file = withExif(jpeg, little, [[0x010f, 2, 4, 0x41424300], [0x0112, 3, 1, value], [0x011a, 5, 1, 60]]);
      const header = readJpegHeader(file);
      assert.is(header.orientation, value, `${little ? "II" : "MM"} ${value}`);
      assert.is(header.width, 20);
    }
    assert.is(readJpegHeader(withExif(jpeg, little, [[0x0112, 3, 1, 9]])).orientation, 1);
    assert.is(readJpegHeader(withExif(jpeg, little, [[0x0112, 3, 1, 0]])).orientation, 1);
    assert.is(readJpegHeader(withExif(jpeg, little, [[0x010f, 2, 4, 0x41424300]])).orientation, 1);
  }
  // the coefficients do not depend on it
  sameCoefficients(await decode(jpeg), await decode(withExif(jpeg, true, [[0x0112, 3, 1, 6]])), "with EXIF");
});

test("colour spaces as libjpeg guesses them", () => {
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const source = picture(16, 16, 5);
  assert.is(readJpegHeader(runTool("cjpeg", ["-grayscale"], source)).colorSpace, "gray");
  assert.is(readJpegHeader(runTool("cjpeg", [], source)).colorSpace, "ycbcr");
  const rgb = runTool("cjpeg", ["-rgb"], source);
  assert.is(readJpegHeader(rgb).colorSpace, "rgb");
});

// ---------------------------------------------------------------- refused inputs

/** Index of the first byte of the first marker `code` in a JPEG. */
function markerAt(bytes: Uint8Array, code: number): number {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === code) return i;
  throw new Error(`no marker ${code.toString(16)}`);
}

test("inputs djpeg refuses end in an ImageError", async () => {
  await rejects(new Uint8Array(0), /JPEG: truncated/, "empty");
  await rejects(new Uint8Array([0xff]), /JPEG: truncated/, "one byte");
  await rejects(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), /no SOI/, "PNG");
  const rng = new Rng(5);
  for (let i = 0; i < 20; i++) {
    const garbage = new Uint8Array(rng.int(2, 300)).map(() => rng.int(0, 255));
    garbage.set([0xff, 0xd8]);
    await rejects(garbage, /JPEG: /, `garbage ${i}`);
  }
  if (!jpegToolsAvailable("JPEG coefficients")) return;
  const jpeg = runTool("cjpeg", ["-quality", "75", "-sample", "2x2"], picture(40, 24, 1));
  // every cut before the end of the first scan header
  const sos = markerAt(jpeg, 0xda);
  const sosEnd = sos + 2 + ((jpeg[sos + 2] << 8) | jpeg[sos + 3]);
  for (let cut = 0; cut < sosEnd; cut++) await rejects(jpeg.subarray(0, cut), /JPEG: /, `cut at ${cut}`);
  await rejects(runTool("cjpeg", ["-arithmetic"], picture(16, 16, 2)), /arithmetic coding is not supported/, "arithmetic");
  const sof = markerAt(jpeg, 0xc0);
  const patched = (at: number, ...values: number[]) => {
    const copy = jpeg.slice();
    copy.set(values, at);
    return copy;
  };
  await rejects(patched(sof + 4, 12), /12-bit precision is not supported/, "12-bit");
  await rejects(patched(sof + 1, 0xc3), /lossless JPEG is not supported/, "lossless");
  await rejects(patched(sof + 1, 0xc5), /hierarchical JPEG is not supported/, "hierarchical");
  await rejects(patched(sof + 11, 0x44), /blocks in an MCU/, "4x4 luma with chroma: 18 blocks");
  await rejects(patched(sof + 11, 0x50), /sampling factors/, "h = 5");
  await rejects(patched(sof + 11, 0x20), /sampling factors/, "v = 0");
  await rejects(patched(sof + 5, 0, 0), /empty image/, "height 0");
  await rejects(patched(sof + 7, 0xff, 0xdd), /larger than 65500/, "width 65501");
  await rejects(patched(sof + 9, 2), /bad SOF length|colour components/, "2 components");
  const dht = markerAt(jpeg, 0xc4);
  await rejects(patched(dht + 5, 3), /bad Huffman table/, "Huffman counts over-full");
  await rejects(patched(sof + 12, 3), /quantization table 3 not defined/, "missing DQT");
  await rejects(patched(sos + 6, 0x33), /Huffman table 3 not defined/, "missing DHT");
  await rejects(patched(markerAt(jpeg, 0xdb) + 1, 0xf0), /unknown marker/, "JPG marker");
});

test.run();
