// CONV_2D, int8 activations (uint8 models run shifted by -128), per-channel requantization.
// in: (N, H, W, Cin) int8   out: (N, OH, OW, Cout) int8   bias: (Cout) int32
// filter: packed int16 (weight - weightZeroPoint) for i32x4.dot_i16x8_s, patch index
//   k = (ky·KW + kx)·Cin + ic in pairs: (ceil(Cout/8), ceil(K/2), 8, 2), K = KH·KW·Cin, zero padded,
//   times 2 when requantMode is 1 (js/ops/weights.ts storeConvFilter).
// requant: requantization table over ceil(Cout/8) blocks (assembly/requant.ts): requantMode 0, the
//   general one; 1, doubled accumulators (js/ops/weights.ts kernelRequant).
// scratch: ceil(K/8)·128 + 672 bytes: a group of 4 pixels' patches as int16 (x + inputOffset)
//   pairs (ceil(K/2), 4, 2), then (general convolutions) the 4 patches as int16 rows to transpose,
//   32 spare bytes, 96 bytes of swizzle masks, the 4 pixels' coordinates and up to 10 48-byte
//   entries of the one-row gather.
// Out-of-image taps are skipped (the same as padding with the input zero point). The v128 kernel
// reads up to 15 bytes past the input tensor's end (the host's constants always follow the
// activation arena).
import {
  DOUBLED_BLOCK_BYTES, REQUANT_BLOCK_BYTES, REQUANT_HEADER_BYTES, doubledKind, narrowClamp, requantizeBlock, requantizeDoubled,
  requantizeDoubledF64, requantizeToInt8, storeBytes,
} from "../requant";
import { storeTransposed } from "../transpose";

@unmanaged
export class Conv2DParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32;
  bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  requant: i32; scratch: i32;
  /**
   * How requant is laid out (js/ops/weights.ts kernelRequant): 0 the general table (REQUANT_BLOCK_BYTES
   * blocks); 1 doubled accumulators (the filter holds doubled weights; a header, then
   * DOUBLED_BLOCK_BYTES blocks).
   */
  requantMode: i32;
}

/** Address of output channel oc's first packed weight (patch index k = 0). */
// @ts-ignore: decorator
@inline
function filterChannel(filter: usize, pairs: i32, oc: i32): usize {
  return filter + (<usize>((oc >> 3) * pairs * 16 + (oc & 7) * 2) << 1);
}

/** Packed weight k of a channel (from filterChannel). */
// @ts-ignore: decorator
@inline
function weightAt(channel: usize, k: i32): i32 {
  return <i32>load<i16>(channel + (<usize>((k >> 1) * 16 + (k & 1)) << 1));
}

export function conv2d_ref(paramsPtr: usize): void {
  const p = changetype<Conv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const pairs = (p.filterHeight * p.filterWidth * inC + 1) >> 1;
  const weightShift = p.requantMode == 1 ? 1 : 0; // doubled weights
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * inC);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
          const weights = filterChannel(p.filter, pairs, oc);
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const pixel = inputBatch + <usize>((inY * p.inputWidth + inX) * inC);
              const k0 = (ky * p.filterWidth + kx) * inC;
              for (let ic = 0; ic < inC; ic++) {
                acc += (<i32>load<i8>(pixel + <usize>ic) + p.inputOffset) * (weightAt(weights, k0 + ic) >> weightShift);
              }
            }
          }
          store<i8>(out, requantizeToInt8(acc,
            load<i32>(<usize>p.multipliers + (<usize>oc << 2)), load<i32>(<usize>p.shifts + (<usize>oc << 2)),
            p.outputOffset, p.activationMin, p.activationMax));
          out++;
        }
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Per group of 4 output pixels, the pixels' patches go to scratch as int16 pairs interleaved by
// pixel: a 1×1 stride-1 convolution widens and transposes the input rows; a small filter whose
// four patches all lie on the image (K ≤ 32, the first layer of image models) has, when the four
// pixels are on one output row and two neighbours' row segments fit in 16 bytes, each 16 bytes of
// pairs swizzled straight from 2 loads per filter row, otherwise each patch's bytes gathered with
// swizzles and transposed in registers; any other first gathers each patch as
// an int16 row, a filter row at a time, then transposes those. Then every tile of 8 output
// channels runs a 4×8 dot16x2 micro-kernel over the K/2 pairs: per pair, two weight vectors and
// four broadcast pixel pairs make 8 dots into 8 accumulators (14 live registers; a plain nested
// loop up to the end of the pairs, which V8 compiles best), starting from the (doubled) bias in
// requantMode 1. The epilogue requantizes each block (in requantMode 1 leaving out what only
// negative results need when activationMin ≥ outputOffset, and then testing an f64 block's kind
// once for the tile), clamps and stores the valid pixels and channels. A last group of
// fewer than 4 pixels repeats its last pixel, except a lone one, which runs a 1×8 loop; nothing
// is read outside the tensors (but up to 15 bytes past the input) or written outside the output.

/** 8 int8 at src → 8 int16 (x + offset). */
// @ts-ignore: decorator
@inline
function widen8(src: usize, offset: v128): v128 {
  return i16x8.add(i16x8.extend_low_i8x16_s(v128.load64_zero(src)), offset);
}

/** Pointwise packing: rows r0..r3 (Cin int8 each) → scratch pairs (x + offset), interleaved by row. */
// @ts-ignore: decorator
@inline
function packRows(dst: usize, r0: usize, r1: usize, r2: usize, r3: usize, depth: i32, offset: i32): void {
  const off = i16x8.splat(<i16>offset);
  let k = 0;
  for (; k + 8 <= depth; k += 8) {
    const at = <usize>k;
    // Four vectors of 4 int16 pairs, one pixel each → 4 vectors of one pair for the 4 pixels.
    storeTransposed(dst + (at << 3), 16, widen8(r0 + at, off), widen8(r1 + at, off), widen8(r2 + at, off), widen8(r3 + at, off));
  }
  for (; k < depth; k++) {
    const at = dst + (<usize>(k >> 1) << 4) + (<usize>(k & 1) << 1);
    store<i16>(at, <i32>load<i8>(r0 + <usize>k) + offset);
    store<i16>(at, <i32>load<i8>(r1 + <usize>k) + offset, 4);
    store<i16>(at, <i32>load<i8>(r2 + <usize>k) + offset, 8);
    store<i16>(at, <i32>load<i8>(r3 + <usize>k) + offset, 12);
  }
  // With odd K the last pair's second value stays as it is: its weights are zero.
}

/** n int8 at src → n int16 (x + offset) at dst. */
// @ts-ignore: decorator
@inline
function widenCopy(dst: usize, src: usize, n: i32, offset: i32): void {
  const off = i16x8.splat(<i16>offset);
  let i = 0;
  for (; i + 8 <= n; i += 8) v128.store(dst + (<usize>i << 1), widen8(src + <usize>i, off));
  for (; i < n; i++) store<i16>(dst + (<usize>i << 1), <i32>load<i8>(src + <usize>i) + offset);
}

/** Address of the first input byte of the patch of the pixel at `coords` (b, oy, ox). */
// @ts-ignore: decorator
@inline
function patchStart(p: Conv2DParams, coords: usize): usize {
  const y0 = load<i32>(coords, 4) * p.strideHeight - p.padTop;
  const x0 = load<i32>(coords, 8) * p.strideWidth - p.padLeft;
  return <usize>p.input + <usize>(((load<i32>(coords) * p.inputHeight + y0) * p.inputWidth + x0) * p.inputChannels);
}

/** 16 bytes of a patch whose filter rows start at `at`, `rowBytes` apart, placed by the swizzle masks (32 bytes per row). */
// @ts-ignore: decorator
@inline
function gatherBytes(at: usize, masks: usize, rows: i32, rowBytes: usize): v128 {
  let v = i8x16.swizzle(v128.load(at), v128.load(masks));
  for (let ky = 1; ky < rows; ky++) {
    at += rowBytes;
    masks += 32;
    v = v128.or(v, i8x16.swizzle(v128.load(at), v128.load(masks)));
  }
  return v;
}

/** 16 bytes holding two pairs for four pixels → the two pairs' int16 vectors (x + offset) at dst. */
// @ts-ignore: decorator
@inline
function storePairs(dst: usize, bytes: v128, offset: v128): void {
  v128.store(dst, i16x8.add(i16x8.extend_low_i8x16_s(bytes), offset));
  v128.store(dst, i16x8.add(i16x8.extend_high_i8x16_s(bytes), offset), 16);
}

/**
 * General packing, first step: the patch of output pixel `pixel` as K contiguous int16
 * (x + offset, zero off the image) at `row`, a row segment (KW·Cin values, or Cin per tap when
 * dilated or clipped) at a time.
 */
// @ts-ignore: decorator
@inline
function stagePatch(p: Conv2DParams, row: usize, b: i32, oy: i32, ox: i32): void {
  const inC = p.inputChannels;
  const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * inC);
  const x0 = ox * p.strideWidth - p.padLeft;
  const segment = p.filterWidth * inC;
  const segmentBytes = <usize>segment << 1;
  const wholeRows = p.dilationWidth == 1 && x0 >= 0 && x0 + p.filterWidth <= p.inputWidth;
  let dst = row;
  for (let ky = 0; ky < p.filterHeight; ky++) {
    const y = oy * p.strideHeight - p.padTop + ky * p.dilationHeight;
    if (y < 0 || y >= p.inputHeight) {
      memory.fill(dst, 0, segmentBytes);
    } else if (wholeRows && segment <= 16) {
      // One 16-byte load: the values past the segment land where the next segment (or the row's
      // padding and the 32 spare bytes after the staging rows) is written later or never read.
      const x = v128.load(inputBatch + <usize>((y * p.inputWidth + x0) * inC));
      const off = i16x8.splat(<i16>p.inputOffset);
      v128.store(dst, i16x8.add(i16x8.extend_low_i8x16_s(x), off));
      v128.store(dst, i16x8.add(i16x8.extend_high_i8x16_s(x), off), 16);
    } else if (wholeRows) {
      widenCopy(dst, inputBatch + <usize>((y * p.inputWidth + x0) * inC), segment, p.inputOffset);
    } else {
      for (let kx = 0; kx < p.filterWidth; kx++) {
        const x = x0 + kx * p.dilationWidth;
        const tap = dst + (<usize>(kx * inC) << 1);
        if (x < 0 || x >= p.inputWidth) memory.fill(tap, 0, <usize>inC << 1);
        else widenCopy(tap, inputBatch + <usize>((y * p.inputWidth + x) * inC), inC, p.inputOffset);
      }
    }
    dst += segmentBytes;
  }
}

export function conv2d(paramsPtr: usize): void {
  const p = changetype<Conv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const depth = p.filterHeight * p.filterWidth * inC;
  const pairs = (depth + 1) >> 1;
  const pixels = p.batches * p.outputHeight * p.outputWidth;
  const pointwise = p.filterHeight == 1 && p.filterWidth == 1 && p.strideHeight == 1 && p.strideWidth == 1
    && p.padTop == 0 && p.padLeft == 0 && p.outputHeight == p.inputHeight && p.outputWidth == p.inputWidth;
  const scratch = <usize>p.scratch;
  const stagingRow = <usize>((depth + 7) & ~7) << 1;
  const staging = scratch + (stagingRow << 2);
  const tileBytes = <usize>pairs << 5;
  const pairsEnd = scratch + (<usize>pairs << 4); // the end of the group's pairs
  const offset = i32x4.splat(p.outputOffset);
  const offset16 = i16x8.splat(<i16>p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const rowBytes = <usize>outC;
  const doubled = p.requantMode == 1;
  const clamped = p.activationMin >= p.outputOffset; // every negative result clamps to activationMin
  const blockBytes = doubled ? DOUBLED_BLOCK_BYTES : REQUANT_BLOCK_BYTES;
  const zero = i32x4.splat(0);
  const table = <usize>p.requant + (doubled ? REQUANT_HEADER_BYTES : 0);
  const signMask = v128.load(p.requant);
  const magic = v128.load(p.requant, 16);

  let gb = 0, goy = 0, gox = 0; // the group's first pixel (general convolutions)
  // Patches of at most 32 bytes from at most 3 input rows of at most 16 bytes each (the first
  // layer of most image models): per filter row, two swizzle masks placing its bytes.
  const segment = p.filterWidth * inC;
  const gather = !pointwise && p.dilationWidth == 1 && p.dilationHeight == 1 && segment <= 16 && depth <= 32 && p.filterHeight <= 3;
  const masks = staging + (stagingRow << 2) + 32; // 3 × 32 bytes after the staging rows and 32 spare bytes
  const coords = masks + 96; // per lane (b, oy, ox), 16 bytes
  const inRowBytes = <usize>(p.inputWidth * inC);
  const inputOffset16 = i16x8.splat(<i16>p.inputOffset);
  // When also one input row segment of two horizontally adjacent pixels fits in 16 bytes (span:
  // the input bytes between their patches), a group of 4 pixels on one output row is gathered
  // straight into the pair layout from 2 loads per filter row (pixels 0–1 at the first patch,
  // 2–3 two spans on): per 16 bytes of pairs (2 pairs × 4 pixels, patch bytes 4m..4m+3 of each
  // pixel) one entry per filter row they touch, 48 bytes: the two loads' swizzle masks, the
  // row's byte offset and whether it is the vector's last row.
  const span = p.strideWidth * inC;
  const rowGather = gather && span + segment <= 16;
  const entries = coords + 64; // at most ceil(16/2) vectors + 2 rows shared by two vectors
  let entriesEnd = entries;
  if (gather) {
    for (let ky = 0; ky < p.filterHeight; ky++) {
      for (let i = 0; i < 32; i++) {
        const j = i - ky * segment;
        store<u8>(masks + (<usize>ky << 5) + <usize>i, j >= 0 && j < segment ? j : 0x80);
      }
    }
  }
  if (rowGather) {
    for (let m = 0; 2 * m < pairs; m++) {
      const lastRow = min(4 * m + 3, depth - 1) / segment;
      for (let r = 4 * m / segment; r <= lastRow; r++) {
        for (let i = 0; i < 16; i++) {
          const pixel = (i >> 1) & 3;
          const k = 4 * m + ((i >> 3) << 1) + (i & 1); // patch index of byte i
          const on = k < depth && k / segment == r;
          const at = (pixel & 1) * span + k % segment;
          store<u8>(entriesEnd + <usize>i, on && pixel < 2 ? at : 0x80);
          store<u8>(entriesEnd + <usize>i, on && pixel >= 2 ? at : 0x80, 16);
        }
        store<i32>(entriesEnd, r * <i32>inRowBytes, 32);
        store<i32>(entriesEnd, r == lastRow ? 1 : 0, 36);
        entriesEnd += 48;
      }
    }
  }
  for (let g = 0; g < pixels; g += 4) {
    const n = min(pixels - g, 4); // valid pixels in this group; the others repeat the last one
    if (pointwise) {
      const row = <usize>p.input + <usize>g * <usize>inC;
      const last = <usize>(n - 1) * <usize>inC;
      packRows(scratch, row, row + min<usize>(<usize>inC, last), row + min<usize>(<usize>(2 * inC), last),
        row + min<usize>(<usize>(3 * inC), last), inC, p.inputOffset);
    } else {
      const b0 = gb, oy0 = goy, ox0 = gox;
      // The next group's first pixel.
      gox += 4;
      while (gox >= p.outputWidth) {
        gox -= p.outputWidth;
        if (++goy == p.outputHeight) { goy = 0; gb++; }
      }
      const x0 = ox0 * p.strideWidth - p.padLeft, y0 = oy0 * p.strideHeight - p.padTop;
      if (rowGather && n == 4 && ox0 + 3 < p.outputWidth && x0 >= 0 && x0 + 3 * p.strideWidth + p.filterWidth <= p.inputWidth
        && y0 >= 0 && y0 + p.filterHeight <= p.inputHeight) {
        // Four pixels of one output row, every patch on the image.
        const l0 = <usize>p.input + <usize>(((b0 * p.inputHeight + y0) * p.inputWidth + x0) * inC);
        const l2 = l0 + (<usize>span << 1);
        let dst = scratch;
        let v = zero;
        for (let e = entries; e < entriesEnd; e += 48) {
          const at = <usize>load<i32>(e, 32);
          v = v128.or(v, v128.or(i8x16.swizzle(v128.load(l0 + at), v128.load(e)), i8x16.swizzle(v128.load(l2 + at), v128.load(e, 16))));
          if (load<i32>(e, 36)) {
            storePairs(dst, v, inputOffset16);
            dst += 32;
            v = zero;
          }
        }
      } else {
        // The group's four pixels (the last repeated when n < 4).
        let b = b0, oy = oy0, ox = ox0;
        let inside = gather;
        for (let lane = 0; lane < 4; lane++) {
          store<i32>(coords + (<usize>lane << 4), b);
          store<i32>(coords + (<usize>lane << 4), oy, 4);
          store<i32>(coords + (<usize>lane << 4), ox, 8);
          const x0 = ox * p.strideWidth - p.padLeft;
          const y0 = oy * p.strideHeight - p.padTop;
          inside = inside && x0 >= 0 && x0 + p.filterWidth <= p.inputWidth && y0 >= 0 && y0 + p.filterHeight <= p.inputHeight;
          if (lane < n - 1 && ++ox == p.outputWidth) {
            ox = 0;
            if (++oy == p.outputHeight) { oy = 0; b++; }
          }
        }
        if (inside) {
          // Every patch on the image, K ≤ 32: each patch's bytes gathered into two vectors with
          // swizzles, then transposed to the pair layout in registers (16-bit, then 32-bit units).
          const l0 = patchStart(p, coords), l1 = patchStart(p, coords + 16), l2 = patchStart(p, coords + 32), l3 = patchStart(p, coords + 48);
          for (let half: usize = 0; half < 32; half += 16) {
            const first = <i32>half >> 1; // pair index of this half's first pair
            if (first >= pairs) break;
            const v0 = gatherBytes(l0, masks + half, p.filterHeight, inRowBytes), v1 = gatherBytes(l1, masks + half, p.filterHeight, inRowBytes);
            const v2 = gatherBytes(l2, masks + half, p.filterHeight, inRowBytes), v3 = gatherBytes(l3, masks + half, p.filterHeight, inRowBytes);
            const t01l = i16x8.shuffle(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11), t01h = i16x8.shuffle(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15);
            const t23l = i16x8.shuffle(v2, v3, 0, 8, 1, 9, 2, 10, 3, 11), t23h = i16x8.shuffle(v2, v3, 4, 12, 5, 13, 6, 14, 7, 15);
            const dst = scratch + (<usize>first << 4);
            storePairs(dst, i32x4.shuffle(t01l, t23l, 0, 4, 1, 5), inputOffset16);
            if (first + 2 < pairs) storePairs(dst + 32, i32x4.shuffle(t01l, t23l, 2, 6, 3, 7), inputOffset16);
            if (first + 4 < pairs) storePairs(dst + 64, i32x4.shuffle(t01h, t23h, 0, 4, 1, 5), inputOffset16);
            if (first + 6 < pairs) storePairs(dst + 96, i32x4.shuffle(t01h, t23h, 2, 6, 3, 7), inputOffset16);
          }
        } else {
          // Stage the four patches as int16 rows after the pairs, then transpose them 8 values at a time.
          for (let lane = 0; lane < 4; lane++) {
            const at = coords + (<usize>lane << 4);
            stagePatch(p, staging + <usize>lane * stagingRow, load<i32>(at), load<i32>(at, 4), load<i32>(at, 8));
          }
          for (let k = 0; k < depth; k += 8) {
            const at = staging + (<usize>k << 1);
            storeTransposed(scratch + (<usize>k << 3), 16, v128.load(at), v128.load(at + stagingRow),
              v128.load(at + 2 * stagingRow), v128.load(at + 3 * stagingRow));
          }
        }
      }
    }

    const out0 = <usize>p.output + <usize>g * rowBytes;
    let filter = <usize>p.filter;
    let requant = table;
    for (let oc = 0; oc < outC; oc += 8) {
      let a = scratch;
      let w = filter;
      // Doubled accumulators start at 2·bias; mode 0 adds the bias in requantizeBlock.
      let c00 = doubled ? v128.load(requant) : zero;
      let c01 = doubled ? v128.load(requant, 16) : zero;
      let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
      if (n == 1) {
        // A lone pixel (a 1×1 image, or the last of pixels ≡ 1 mod 4): only its row.
        for (let k = 0; k < pairs; k++) {
          const x0 = v128.load32_splat(a);
          c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, v128.load(w)));
          c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, v128.load(w, 16)));
          a += 16;
          w += 32;
        }
        let v: v128;
        if (doubled) v = requantizeDoubled(c00, c01, requant, signMask, magic, offset, offset16, false);
        else v = requantizeBlock(c00, c01, requant, offset, offset16);
        const bytes = narrowClamp(v, v, lo, hi);
        const out = out0 + <usize>oc;
        if (oc + 8 <= outC) v128.store64_lane(out, bytes, 0);
        else storeBytes(out, bytes, outC - oc);
        filter += tileBytes;
        requant += blockBytes;
        continue;
      }
      while (a < pairsEnd) {
        const w0 = v128.load(w);
        const w1 = v128.load(w, 16);
        const x0 = v128.load32_splat(a);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, w0));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, w1));
        const x1 = v128.load32_splat(a, 4);
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, w0));
        c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, w1));
        const x2 = v128.load32_splat(a, 8);
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x2, w0));
        c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x2, w1));
        const x3 = v128.load32_splat(a, 12);
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x3, w0));
        c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x3, w1));
        a += 16;
        w += 32;
      }
      let p01: v128, p23: v128;
      if (doubled && clamped && doubledKind(requant) == -2) {
        // The kind tested once for the tile (clamped only: unclamped, V8 spilled the hoisted conversions).
        p01 = narrowClamp(requantizeDoubledF64(c00, c01, requant, signMask, magic, true),
          requantizeDoubledF64(c10, c11, requant, signMask, magic, true), lo, hi);
        p23 = narrowClamp(requantizeDoubledF64(c20, c21, requant, signMask, magic, true),
          requantizeDoubledF64(c30, c31, requant, signMask, magic, true), lo, hi);
      } else if (doubled && clamped) {
        p01 = narrowClamp(requantizeDoubled(c00, c01, requant, signMask, magic, offset, offset16, true),
          requantizeDoubled(c10, c11, requant, signMask, magic, offset, offset16, true), lo, hi);
        p23 = narrowClamp(requantizeDoubled(c20, c21, requant, signMask, magic, offset, offset16, true),
          requantizeDoubled(c30, c31, requant, signMask, magic, offset, offset16, true), lo, hi);
      } else if (doubled) {
        p01 = narrowClamp(requantizeDoubled(c00, c01, requant, signMask, magic, offset, offset16, false),
          requantizeDoubled(c10, c11, requant, signMask, magic, offset, offset16, false), lo, hi);
        p23 = narrowClamp(requantizeDoubled(c20, c21, requant, signMask, magic, offset, offset16, false),
          requantizeDoubled(c30, c31, requant, signMask, magic, offset, offset16, false), lo, hi);
      } else {
        p01 = narrowClamp(requantizeBlock(c00, c01, requant, offset, offset16),
          requantizeBlock(c10, c11, requant, offset, offset16), lo, hi);
        p23 = narrowClamp(requantizeBlock(c20, c21, requant, offset, offset16),
          requantizeBlock(c30, c31, requant, offset, offset16), lo, hi);
      }
      const out = out0 + <usize>oc;
      if (oc + 8 <= outC) {
        v128.store64_lane(out, p01, 0);
        if (n > 1) v128.store64_lane(out + rowBytes, p01, 1);
        if (n > 2) v128.store64_lane(out + 2 * rowBytes, p23, 0);
        if (n > 3) v128.store64_lane(out + 3 * rowBytes, p23, 1);
      } else {
        const m = outC - oc;
        storeBytes(out, p01, m);
        if (n > 1) storeBytes(out + rowBytes, i64x2.shuffle(p01, p01, 1, 0), m);
        if (n > 2) storeBytes(out + 2 * rowBytes, p23, m);
        if (n > 3) storeBytes(out + 3 * rowBytes, i64x2.shuffle(p23, p23, 1, 0), m);
      }
      filter += tileBytes;
      requant += blockBytes;
    }
  }
}
