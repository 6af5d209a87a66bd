// JPEG upsampling and colour conversion rows (assembly/jpeg/upsample.ts, color.ts) against
// libjpeg-turbo 2.1.5: output hashes of its C upsamplers on seeded rows, widths 3..300
// (test/fixtures/jpeg-upsample/upsample.json), and SHA-256 digests of its YCbCr → RGB, YCCK and
// CMYK → RGB over all 2^24 (Y, Cb, Cr) triples (colour.json); both made by a throwaway C harness,
// which also checked libjpeg-turbo's x86 SIMD upsamplers and YCbCr → RGB give the same bytes as
// its C code. Then every v128 kernel against its scalar reference on random rows of awkward
// widths, with random bytes past the input rows and guard bytes after the outputs.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KernelExports } from "../js/runtime/kernels.js";
import { Lab } from "./kernel-cases.js";
import { Rng } from "./random.js";

const FIXTURES = new URL("../../test/fixtures/jpeg-upsample/", import.meta.url);
const GUARD = 32;
const GUARD_BYTE = 0x5a;
const AWKWARD_WIDTHS = [1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 100, 1001];

interface KernelFixture { hash: number[]; full: string[] }
const upsampleFixture = JSON.parse(readFileSync(new URL("upsample.json", FIXTURES), "utf8")) as { kernels: Record<string, KernelFixture> };
const colourFixture = JSON.parse(readFileSync(new URL("colour.json", FIXTURES), "utf8")) as Record<string, string>;

let lab: Lab;
let k: KernelExports;

test.before(async () => {
  lab = await Lab.create();
  k = lab.kernels as unknown as KernelExports;
});

/** The fixture's row generator: xorshift32, a quarter of the bytes 0 or 255. */
class FixtureBytes {
  private state = 0x2545f491;
  byte(): number {
    let s = this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    const kind = s & 7;
    return kind === 0 ? 0 : kind === 1 ? 255 : (s >>> 8) & 255;
  }
  row(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.byte());
  }
}

function fnv1a(bytes: Uint8Array): number {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** An input row: the samples, then 32 random bytes (what a kernel may read past the end must not matter). */
function inputRow(samples: Uint8Array, rng?: Rng): number {
  const row = new Uint8Array(samples.length + 32);
  row.set(samples);
  for (let i = samples.length; i < row.length; i++) row[i] = rng ? rng.int(0, 255) : 0xa5;
  return lab.store(row);
}

type RowCall = (out: number) => void;

/** Runs a kernel into a fresh output buffer with guard bytes; returns the output and asserts how far past it the kernel wrote. */
function runRow(call: RowCall, outBytes: number, writesUpTo: number, what: string): Uint8Array {
  const out = lab.output(outBytes, writesUpTo - outBytes + GUARD, GUARD_BYTE);
  call(out);
  const after = lab.read(out + writesUpTo, GUARD);
  const bad = after.findIndex((b) => b !== GUARD_BYTE);
  if (bad >= 0) assert.unreachable(`${what}: wrote byte ${writesUpTo - outBytes + bad} past the end of ${outBytes} output bytes`);
  return lab.read(out, outBytes);
}

const roundUp16 = (n: number) => Math.ceil(n / 16) * 16;

/** Both kernels of a pair: the reference writes nothing past the output, the v128 kernel nothing past its next multiple of 16. */
function runPair(ref: RowCall, simd: RowCall, outBytes: number, what: string): { ref: Uint8Array; simd: Uint8Array } {
  return { ref: runRow(ref, outBytes, outBytes, `${what} _ref`), simd: runRow(simd, outBytes, roundUp16(outBytes), what) };
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function assertSameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  const i = firstDifference(got, want);
  if (i >= 0) assert.unreachable(`${what}: byte ${i} of ${want.length} is ${got[i]}, want ${want[i]}`);
}

/** Each fixture kernel as (reference, v128) calls on the rows above, near and below the output. */
function fixtureCalls(name: string, above: number, near: number, below: number, w: number): { ref: RowCall; simd: RowCall; outBytes: number } {
  switch (name) {
    case "h2v1_fancy":
      return { ref: (o) => k.jpeg_h2v1_fancy_ref(near, o, w), simd: (o) => k.jpeg_h2v1_fancy(near, o, w), outBytes: 2 * w };
    case "h2v2_fancy_upper":
      return { ref: (o) => k.jpeg_h2v2_fancy_ref(near, above, o, w, 0), simd: (o) => k.jpeg_h2v2_fancy(near, above, o, w, 0), outBytes: 2 * w };
    case "h2v2_fancy_lower":
      return { ref: (o) => k.jpeg_h2v2_fancy_ref(near, below, o, w, 1), simd: (o) => k.jpeg_h2v2_fancy(near, below, o, w, 1), outBytes: 2 * w };
    case "h1v2_fancy_upper":
      return { ref: (o) => k.jpeg_h1v2_fancy_ref(near, above, o, w, 0), simd: (o) => k.jpeg_h1v2_fancy(near, above, o, w, 0), outBytes: w };
    case "h1v2_fancy_lower":
      return { ref: (o) => k.jpeg_h1v2_fancy_ref(near, below, o, w, 1), simd: (o) => k.jpeg_h1v2_fancy(near, below, o, w, 1), outBytes: w };
    default: {
      const factor = Number(/^replicate([1-4])$/.exec(name)![1]);
      return { ref: (o) => k.jpeg_replicate_ref(near, o, w, factor), simd: (o) => k.jpeg_replicate(near, o, w, factor), outBytes: factor * w };
    }
  }
}

test("upsampling equals libjpeg-turbo 2.1.5's on the fixture rows, widths 3..300", () => {
  const names = Object.keys(upsampleFixture.kernels);
  assert.equal(names.length, 9);
  const bytes = new FixtureBytes();
  for (let w = 3; w <= 300; w++) {
    const above = inputRow(bytes.row(w)), near = inputRow(bytes.row(w)), below = inputRow(bytes.row(w));
    for (const name of names) {
      const fixture = upsampleFixture.kernels[name];
      const calls = fixtureCalls(name, above, near, below, w);
      const outs = runPair(calls.ref, calls.simd, calls.outBytes, `${name} width ${w}`);
      for (const [kind, out] of Object.entries(outs)) {
        if (w <= 34) assert.is(hex(out), fixture.full[w - 3], `${name} ${kind} width ${w}`);
        assert.is(fnv1a(out), fixture.hash[w - 3], `${name} ${kind} width ${w}: hash`);
      }
    }
  }
});

/** libjpeg's jdcolor.c build_ycc_rgb_table and range limit, transcribed on their own, as per-pixel lookups. */
function libjpegYccTables() {
  const FIX = (x: number) => Math.trunc(x * 65536 + 0.5);
  const ONE_HALF = 1 << 15;
  const crR = new Int32Array(256), cbB = new Int32Array(256), crG = new Int32Array(256), cbG = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    crR[i] = (FIX(1.402) * x + ONE_HALF) >> 16;
    cbB[i] = (FIX(1.772) * x + ONE_HALF) >> 16;
    crG[i] = -FIX(0.71414) * x;
    cbG[i] = -FIX(0.34414) * x + ONE_HALF;
  }
  const rangeLimit = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  return (y: number, cb: number, cr: number) =>
    [rangeLimit(y + crR[cr]), rangeLimit(y + ((cbG[cb] + crG[cr]) >> 16)), rangeLimit(y + cbB[cb])];
}

const EXHAUSTIVE_WIDTH = 65536;

/** The colour fixture's rows: row n has first plane n, second plane i >> 8, third plane i & 255, K from a hash of (n, i). */
function exhaustiveRows() {
  const second = Uint8Array.from({ length: EXHAUSTIVE_WIDTH }, (_, i) => i >> 8);
  const third = Uint8Array.from({ length: EXHAUSTIVE_WIDTH }, (_, i) => i & 255);
  return {
    first: lab.output(EXHAUSTIVE_WIDTH, 32, 0), second: inputRow(second), third: inputRow(third), black: lab.output(EXHAUSTIVE_WIDTH, 32, 0),
    out: lab.output(3 * EXHAUSTIVE_WIDTH, 32, 0), outRef: lab.output(3 * EXHAUSTIVE_WIDTH, 32, 0),
    setRow(n: number): void {
      lab.memory.bytes.fill(n, this.first, this.first + EXHAUSTIVE_WIDTH);
      const black = lab.memory.bytes.subarray(this.black, this.black + EXHAUSTIVE_WIDTH);
      for (let i = 0; i < EXHAUSTIVE_WIDTH; i++) black[i] = Math.imul((n << 16) | i, 2654435761) >>> 24;
    },
  };
}

test("YCbCr → RGB over all 2^24 triples: libjpeg's digest, its table method in JS, and _ref == v128", () => {
  const rows = exhaustiveRows();
  const table = libjpegYccTables();
  const digest = createHash("sha256");
  for (let y = 0; y < 256; y++) {
    rows.setRow(y);
    k.jpeg_ycc_rgb(rows.first, rows.second, rows.third, rows.out, EXHAUSTIVE_WIDTH);
    k.jpeg_ycc_rgb_ref(rows.first, rows.second, rows.third, rows.outRef, EXHAUSTIVE_WIDTH);
    const out = lab.read(rows.out, 3 * EXHAUSTIVE_WIDTH);
    assertSameBytes(lab.read(rows.outRef, 3 * EXHAUSTIVE_WIDTH), out, `ycc_rgb_ref vs ycc_rgb, Y = ${y}`);
    for (let i = 0; i < EXHAUSTIVE_WIDTH; i++) {
      const [r, g, b] = table(y, i >> 8, i & 255);
      if (out[3 * i] !== r || out[3 * i + 1] !== g || out[3 * i + 2] !== b) {
        assert.unreachable(`Y ${y} Cb ${i >> 8} Cr ${i & 255}: ${out.subarray(3 * i, 3 * i + 3).join(",")}, libjpeg's tables ${r},${g},${b}`);
      }
    }
    digest.update(out);
  }
  assert.is(digest.digest("hex"), colourFixture.ycc_rgb);
});

test("CMYK and YCCK → RGB over all 2^24 first three samples: libjpeg's digests; cmyk_to_rgb's double arithmetic for every (C, K)", () => {
  const rows = exhaustiveRows();
  for (const [ycck, name] of [[1, "ycck_rgb"], [0, "cmyk_rgb"]] as const) {
    const digest = createHash("sha256");
    for (let n = 0; n < 256; n++) {
      rows.setRow(n);
      k.jpeg_cmyk_rgb(rows.first, rows.second, rows.third, rows.black, rows.out, EXHAUSTIVE_WIDTH, ycck);
      k.jpeg_cmyk_rgb_ref(rows.first, rows.second, rows.third, rows.black, rows.outRef, EXHAUSTIVE_WIDTH, ycck);
      const out = lab.read(rows.out, 3 * EXHAUSTIVE_WIDTH);
      assertSameBytes(lab.read(rows.outRef, 3 * EXHAUSTIVE_WIDTH), out, `cmyk_rgb_ref vs cmyk_rgb, ycck ${ycck}, row ${n}`);
      digest.update(out);
    }
    assert.is(digest.digest("hex"), colourFixture[name], name);
  }
  // C = i >> 8, M = K = i & 255, Y = 255 - C: (JSAMPLE)((double)ink * black / 255.0 + 0.5) for every (ink, black) pair.
  const ink = lab.store(Uint8Array.from({ length: EXHAUSTIVE_WIDTH + 32 }, (_, i) => (i >> 8) & 255));
  const low = lab.store(Uint8Array.from({ length: EXHAUSTIVE_WIDTH + 32 }, (_, i) => i & 255));
  const inverse = lab.store(Uint8Array.from({ length: EXHAUSTIVE_WIDTH + 32 }, (_, i) => 255 - ((i >> 8) & 255)));
  const scaled = (c: number, black: number) => Math.trunc((c * black) / 255.0 + 0.5);
  for (const [kernel, what] of [[k.jpeg_cmyk_rgb, "cmyk_rgb"], [k.jpeg_cmyk_rgb_ref, "cmyk_rgb_ref"]] as const) {
    const out = lab.output(3 * EXHAUSTIVE_WIDTH);
    kernel(ink, low, inverse, low, out, EXHAUSTIVE_WIDTH, 0);
    const rgb = lab.read(out, 3 * EXHAUSTIVE_WIDTH);
    for (let i = 0; i < EXHAUSTIVE_WIDTH; i++) {
      const c = i >> 8, black = i & 255;
      const want = [scaled(c, black), scaled(black, black), scaled(255 - c, black)];
      if (rgb[3 * i] !== want[0] || rgb[3 * i + 1] !== want[1] || rgb[3 * i + 2] !== want[2]) {
        assert.unreachable(`${what}: C ${c} K ${black}: ${rgb.subarray(3 * i, 3 * i + 3).join(",")}, want ${want.join(",")}`);
      }
    }
  }
});

/** Random rows: a third of the bytes near the ends of the range. */
function randomSamples(rng: Rng, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => {
    const r = rng.float();
    return r < 0.15 ? rng.int(0, 3) : r < 0.3 ? rng.int(252, 255) : rng.int(0, 255);
  });
}

function widths(rng: Rng): number[] {
  return [...AWKWARD_WIDTHS, ...Array.from({ length: 8 }, () => rng.int(1, 200))];
}

test("upsampling: v128 == _ref on random rows of awkward widths, nothing written past the next multiple of 16", () => {
  const rng = new Rng(0x0b5e);
  for (const w of widths(rng)) {
    for (let round = 0; round < 3; round++) {
      const above = inputRow(randomSamples(rng, w), rng), near = inputRow(randomSamples(rng, w), rng), below = inputRow(randomSamples(rng, w), rng);
      for (const name of Object.keys(upsampleFixture.kernels)) {
        const calls = fixtureCalls(name, above, near, below, w);
        const outs = runPair(calls.ref, calls.simd, calls.outBytes, `${name} width ${w}`);
        assertSameBytes(outs.simd, outs.ref, `${name} width ${w}`);
      }
    }
  }
});

test("upsampling: the end-replicated filter for widths 1 and 2, nothing for width 0 or a factor outside 1..4", () => {
  const row = inputRow(Uint8Array.of(10, 200));
  for (const fancy of [k.jpeg_h2v1_fancy, k.jpeg_h2v1_fancy_ref]) {
    assert.equal([...runRow((o) => fancy(row, o, 1), 2, 16, "h2v1 width 1")], [10, 10]);
    assert.equal([...runRow((o) => fancy(row, o, 2), 4, 16, "h2v1 width 2")], [10, (30 + 200 + 2) >> 2, (600 + 10 + 1) >> 2, 200]);
    runRow((o) => fancy(row, o, 0), 0, 0, "h2v1 width 0");
  }
  for (const fancy of [k.jpeg_h2v2_fancy, k.jpeg_h2v2_fancy_ref]) {
    assert.equal([...runRow((o) => fancy(row, row, o, 1, 0), 2, 16, "h2v2 width 1")], [10, 10]);
    runRow((o) => fancy(row, row, o, 0, 1), 0, 0, "h2v2 width 0");
  }
  for (const replicate of [k.jpeg_replicate, k.jpeg_replicate_ref]) {
    for (const factor of [-1, 0, 5]) runRow((o) => replicate(row, o, 2, factor), 0, 0, `replicate factor ${factor}`);
  }
});

test("colour: v128 == _ref on random rows of awkward widths; gray and RGB interleave their inputs", () => {
  const rng = new Rng(0xc010);
  for (const w of widths(rng)) {
    const planes = [0, 1, 2].map(() => randomSamples(rng, w));
    const [p0, p1, p2] = planes.map((p) => inputRow(p, rng));
    const ycc = runPair((o) => k.jpeg_ycc_rgb_ref(p0, p1, p2, o, w), (o) => k.jpeg_ycc_rgb(p0, p1, p2, o, w), 3 * w, `ycc_rgb width ${w}`);
    assertSameBytes(ycc.simd, ycc.ref, `ycc_rgb width ${w}`);
    const black = inputRow(randomSamples(rng, w), rng);
    for (const ycck of [0, 1]) {
      const cmyk = runPair((o) => k.jpeg_cmyk_rgb_ref(p0, p1, p2, black, o, w, ycck), (o) => k.jpeg_cmyk_rgb(p0, p1, p2, black, o, w, ycck), 3 * w, `cmyk_rgb ycck ${ycck} width ${w}`);
      assertSameBytes(cmyk.simd, cmyk.ref, `cmyk_rgb ycck ${ycck} width ${w}`);
    }
    const gray = runPair((o) => k.jpeg_gray_rgb_ref(p0, o, w), (o) => k.jpeg_gray_rgb(p0, o, w), 3 * w, `gray_rgb width ${w}`);
    const rgb = runPair((o) => k.jpeg_rgb_rgb_ref(p0, p1, p2, o, w), (o) => k.jpeg_rgb_rgb(p0, p1, p2, o, w), 3 * w, `rgb_rgb width ${w}`);
    const grayWant = new Uint8Array(3 * w), rgbWant = new Uint8Array(3 * w);
    for (let i = 0; i < 3 * w; i++) {
      grayWant[i] = planes[0][Math.floor(i / 3)];
      rgbWant[i] = planes[i % 3][Math.floor(i / 3)];
    }
    for (const [out, want, what] of [[gray.ref, grayWant, "gray_rgb_ref"], [gray.simd, grayWant, "gray_rgb"], [rgb.ref, rgbWant, "rgb_rgb_ref"], [rgb.simd, rgbWant, "rgb_rgb"]] as const) {
      assertSameBytes(out, want, `${what} width ${w}`);
    }
  }
});

test.run();
