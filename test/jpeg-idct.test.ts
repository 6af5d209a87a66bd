// assembly/jpeg/idct.ts, both kernels (jpeg_idct and its scalar jpeg_idct_ref):
// 1. against test/fixtures/jpeg-idct/cases.bin.gz, outputs of the installed djpeg (Debian
//    libjpeg-turbo 2.1.5, x86-64, AVX2) and of libjpeg-turbo 2.1.5's own C IDCTs. It was made by
//    a throwaway script, not kept: 32 quant tables (typical, 1..255, 1..65535, extremes) with 16
//    random blocks each (half of them within valid JPEG ranges, the rest sparse, DC-only, AC-only,
//    row-0-only, ±1024 and full-range coefficients); each group coded as an 8×128 gray baseline JPEG (16-bit DQT, Huffman tables
//    with every symbol, DC differences of 15 bits) and decoded with `djpeg -dct int -scale M/8`
//    for every size M; the same blocks run through jidctint.c / jidctred.c compiled with
//    MULTIPLIER=short (as in the SIMD build) and without SIMD. For sizes 1,3,5,6,7,10,12,14 djpeg
//    runs that C code and both agreed on every block; for 8, 4 and 2 djpeg runs its SIMD code,
//    which differs from the C on blocks whose dequantized values overflow 16 bits: a bit per block
//    marks those. The kernels must reproduce djpeg on every block (so the C wherever it is djpeg).
//    Layout (little-endian): "IDCT", u32 groups G, u32 blocks per group K; per group u16 quant[64]
//    then K × i16 coef[64] (natural order); per size (1,2,3,4,5,6,7,8,10,12,14) G·K × size² djpeg
//    samples (block-major, rows of size); per size a bitset of G·K bits (C output != djpeg).
// 2. jpeg_idct against jpeg_idct_ref on random blocks (every i16 coefficient and u16 quant value
//    class), awkward block counts and odd output strides, with the bytes around and between the
//    written samples checked untouched.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Lab } from "./kernel-cases.js";
import { Rng } from "./random.js";

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14];
const FILL = 0x5a;
const GUARD = 48;

interface Fixture { groups: number; perGroup: number; quant: Int32Array[]; coef: Int16Array[]; djpeg: Uint8Array[]; cDiffers: Uint8Array[] }

function readFixture(): Fixture {
  const raw = gunzipSync(readFileSync(new URL("../../test/fixtures/jpeg-idct/cases.bin.gz", import.meta.url)));
  const data = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  assert.is(raw.toString("latin1", 0, 4), "IDCT");
  const groups = data.getUint32(4, true), perGroup = data.getUint32(8, true), n = groups * perGroup;
  let at = 12;
  const quant: Int32Array[] = [], coef: Int16Array[] = [];
  for (let g = 0; g < groups; g++) {
    quant.push(Int32Array.from({ length: 64 }, (_, i) => data.getUint16(at + 2 * i, true)));
    at += 128;
    coef.push(Int16Array.from({ length: 64 * perGroup }, (_, i) => data.getInt16(at + 2 * i, true)));
    at += 128 * perGroup;
  }
  const djpeg = SIZES.map((s) => { const part = raw.subarray(at, at + n * s * s); at += n * s * s; return part; });
  const cDiffers = SIZES.map(() => { const part = raw.subarray(at, at + Math.ceil(n / 8)); at += Math.ceil(n / 8); return part; });
  assert.is(at, raw.length);
  return { groups, perGroup, quant, coef, djpeg, cDiffers };
}

type Kernel = "jpeg_idct" | "jpeg_idct_ref";

/**
 * Runs `kernel` on `blocks` blocks into a buffer of `rows` rows of outStride bytes with GUARD
 * bytes on both sides, all first set to FILL; returns the whole buffer (guards included).
 */
function run(lab: Lab, kernel: Kernel, coef: number, quant: number, blocks: number, size: number, outStride: number): Uint8Array {
  const bytes = GUARD + size * outStride + GUARD;
  const buffer = lab.output(bytes, 0, FILL);
  lab.kernels[kernel](coef, quant, blocks, buffer + GUARD, outStride, size);
  return lab.read(buffer, bytes);
}

/** Asserts every byte outside the written samples still holds FILL. */
function assertUntouched(buffer: Uint8Array, blocks: number, size: number, outStride: number, what: string): void {
  for (let i = 0; i < buffer.length; i++) {
    const at = i - GUARD, row = Math.floor(at / outStride), column = at - row * outStride;
    const written = at >= 0 && row < size && column < blocks * size;
    if (!written && buffer[i] !== FILL) assert.unreachable(`${what}: byte ${at} (row ${row}, column ${column}) outside the samples was written`);
  }
}

const fixture = readFixture();

for (const kernel of ["jpeg_idct_ref", "jpeg_idct"] as const) {
  for (const [index, size] of SIZES.entries()) {
    test(`${kernel} size ${size}: djpeg's samples on every fixture block (libjpeg's C where djpeg runs it)`, async () => {
      const lab = await Lab.create();
      const { groups, perGroup } = fixture;
      const outStride = perGroup * size + 3;
      let simdOnly = 0;
      for (let g = 0; g < groups; g++) {
        const buffer = run(lab, kernel, lab.store(fixture.coef[g]), lab.store(fixture.quant[g]), perGroup, size, outStride);
        assertUntouched(buffer, perGroup, size, outStride, `${kernel} size ${size} group ${g}`);
        for (let k = 0; k < perGroup; k++) {
          const block = g * perGroup + k;
          if ((fixture.cDiffers[index][block >> 3] >> (block & 7)) & 1) simdOnly++;
          for (let r = 0; r < size; r++) {
            for (let c = 0; c < size; c++) {
              const got = buffer[GUARD + r * outStride + k * size + c];
              const want = fixture.djpeg[index][(block * size + r) * size + c];
              if (got !== want) {
                assert.unreachable(`${kernel} size ${size}, block ${block} (group ${g}), sample (${r}, ${c}): ${got}, djpeg ${want}` +
                  `\ncoefficients ${Array.from(fixture.coef[g].subarray(k * 64, k * 64 + 64))}\nquant ${Array.from(fixture.quant[g])}`);
              }
            }
          }
        }
      }
      // the fixture has blocks where djpeg's SIMD code and the C differ exactly for the SIMD sizes
      assert.ok(size === 8 || size === 4 || size === 2 ? simdOnly > 50 : simdOnly === 0, `${simdOnly} blocks where C != djpeg`);
    });
  }
}

/** One random coefficient block: sparse, dense, row 0 only, rows 0 and 4 only, DC only, extreme or realistic. */
function randomBlock(rng: Rng, quant: Int32Array): Int16Array {
  const block = new Int16Array(64);
  const any = () => rng.int(-32768, 32767);
  switch (rng.int(0, 8)) {
    case 0: for (let i = 0; i < 64; i++) block[i] = rng.bool(0.2) ? rng.int(-64, 64) : 0; break;
    case 1: for (let i = 0; i < 64; i++) block[i] = Math.round(rng.int(-2047, 2047) / Math.max(1, quant[i]) / (1 + (i >> 3) + (i & 7))); break;
    case 2: for (let i = 0; i < 8; i++) block[i] = rng.bool() ? any() : rng.int(-1024, 1024); break;
    case 3: block[0] = rng.bool() ? any() : rng.int(-2047, 2047); break;
    case 4: for (let i = 0; i < 64; i++) block[i] = any(); break;
    case 5: for (let i = 0; i < 64; i++) block[i] = rng.bool(0.3) ? rng.pick([-32768, 32767, -1024, 1023, any()]) : 0; break;
    case 6: for (let n = rng.int(1, 4); n > 0; n--) block[rng.int(0, 63)] = rng.int(-1024, 1024); break;
    case 7: for (const i of [0, 1, 2, 32, 33, 37]) block[i] = rng.bool() ? any() : rng.int(-600, 600); break; // rows 0 and 4 only
    default: for (let r = 0; r < 8; r++) if (r !== 4 || rng.bool()) block[r * 8 + rng.int(0, 7)] = rng.bool(0.5) ? 0 : rng.int(-3000, 3000);
  }
  return block;
}

function randomQuant(rng: Rng): Int32Array {
  const kind = rng.int(0, 3);
  return Int32Array.from({ length: 64 }, () =>
    kind === 0 ? rng.int(1, 255) : kind === 1 ? rng.int(1, 16) : kind === 2 ? rng.int(0, 65535) : rng.pick([1, 255, 32767, 32768, 65535]));
}

for (const size of SIZES) {
  test(`jpeg_idct size ${size} = jpeg_idct_ref on random blocks, awkward counts and strides`, async () => {
    const lab = await Lab.create();
    const rng = new Rng(0x1d37 + size);
    for (const blocks of [1, 2, 3, 5, 7, 16, 17, 33]) {
      for (let round = 0; round < 6; round++) {
        const quant = randomQuant(rng);
        const coef = new Int16Array(64 * blocks);
        for (let b = 0; b < blocks; b++) coef.set(randomBlock(rng, quant), b * 64);
        const outStride = blocks * size + rng.int(0, 9);
        const coefPtr = lab.store(coef), quantPtr = lab.store(quant);
        const want = run(lab, "jpeg_idct_ref", coefPtr, quantPtr, blocks, size, outStride);
        const got = run(lab, "jpeg_idct", coefPtr, quantPtr, blocks, size, outStride);
        assertUntouched(want, blocks, size, outStride, `jpeg_idct_ref size ${size}`);
        for (let i = 0; i < want.length; i++) {
          if (got[i] !== want[i]) {
            const at = i - GUARD, b = Math.floor((at % outStride) / size);
            assert.unreachable(`size ${size}, ${blocks} blocks, stride ${outStride}: byte ${at}: v128 ${got[i]}, reference ${want[i]}` +
              `\ncoefficients of block ${b} ${Array.from(coef.subarray(b * 64, b * 64 + 64))}\nquant ${Array.from(quant)}`);
          }
        }
      }
    }
  });
}

test("sizes outside the list and zero blocks write nothing", async () => {
  const lab = await Lab.create();
  const rng = new Rng(99);
  const quant = lab.store(randomQuant(rng));
  const coef = lab.store(randomBlock(rng, new Int32Array(64).fill(1)));
  for (const kernel of ["jpeg_idct", "jpeg_idct_ref"] as const) {
    for (const [size, blocks] of [[0, 1], [9, 1], [16, 1], [-8, 1], [8, 0], [4, -3]]) {
      const buffer = lab.output(256, 0, FILL);
      lab.kernels[kernel](coef, quant, blocks, buffer + 64, 16, size);
      assert.ok(lab.read(buffer, 256).every((b) => b === FILL), `${kernel} size ${size}, ${blocks} blocks wrote`);
    }
  }
});

test.run();
