// DEPTHWISE_CONV_2D, int8 activations, per-channel requantization.
// in: (N, H, W, Cin) int8   out: (N, OH, OW, Cout) int8, Cout = Cin·M; output channel c reads
// input channel c / M.   bias: (Cout) int32
// filter: packed int16 (weight - weightZeroPoint) in blocks of 8 output channels with the taps
//   t = ky·KW + kx in pairs: (ceil(Cout/16)·2, ceil(KH·KW/2), 8, 2), zero padded, times 2 when
//   requantMode is 1 (js/ops/weights.ts storeDepthwiseFilter).
// requant: requantization table over ceil(Cout/16)·2 blocks (assembly/requant.ts): requantMode 0,
//   the general one; 1, doubled accumulators. Its bias is folded with the input offset:
//   bias[c] + inputOffset·Σ_t w[t][c] (js/ops/weights.ts foldInputOffset), so that the kernel
//   multiplies raw int8 inputs and reads the input zero point (-inputOffset, which fits int8 for
//   every int8 or shifted uint8 tensor) in place of taps off the image.
// scratch: depthwiseScratchBytes (js/ops/weights.ts): tap offsets and addresses (other filters), a
//   pixel of the zero point and, for the 3×3 path, a row of it, one output row's accumulators, the
//   weights re-paired for the row loops and 16 zero bytes.
// The v128 kernel reads up to 15 bytes past the input tensor's end (the host's constants always
// follow the activation arena); it writes only the output.
import {
  DOUBLED_BLOCK_BYTES, REQUANT_BLOCK_BYTES, REQUANT_HEADER_BYTES, doubledKind, generalStep, highWord, int16Step, narrowClamp, quadF64,
  requantizeBlock, requantizeDoubled, requantizeToInt8, storeBytes,
} from "../requant";

@unmanaged
export class DepthwiseConv2DParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32; depthMultiplier: i32;
  bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  requant: i32; scratch: i32;
  /** 0: general requantization table; 1: doubled accumulators (doubled weights). */
  requantMode: i32;
}

/** Address of output channel oc's first packed weight (tap t = 0). */
// @ts-ignore: decorator
@inline
function filterChannel(filter: usize, tapPairs: i32, oc: i32): usize {
  return filter + (<usize>((oc >> 3) * tapPairs * 16 + (oc & 7) * 2) << 1);
}

/** Packed weight of tap t of a channel (from filterChannel). */
// @ts-ignore: decorator
@inline
function weightAt(channel: usize, t: i32): i32 {
  return <i32>load<i16>(channel + (<usize>((t >> 1) * 16 + (t & 1)) << 1));
}

export function depthwise_conv2d_ref(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const m = p.depthMultiplier;
  const tapPairs = (p.filterHeight * p.filterWidth + 1) >> 1;
  const weightShift = p.requantMode == 1 ? 1 : 0; // doubled weights
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * inC);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          const ic = oc / m;
          let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
          const weights = filterChannel(p.filter, tapPairs, oc);
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const x = <i32>load<i8>(inputBatch + <usize>((inY * p.inputWidth + inX) * inC + ic));
              acc += (x + p.inputOffset) * (weightAt(weights, ky * p.filterWidth + kx) >> weightShift);
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
// Depth multiplier 1: per output pixel and 16 channels (two blocks of 8), each pair of taps (a, b)
// loads its two 8-byte inputs per block widened to int16 (v128.load8x8_s), interleaves them (a0
// b0 a1 b1 …) and dots them with the (w_a, w_b) pairs: 2 dot16x2 per block of 8 channels × 2
// taps, an odd last tap paired with itself against zero weights. Tap addresses come from scratch:
// for pixels whose whole patch lies on the image, offsets from the patch origin computed once per
// call; for the others, one address per tap, with the zero point for taps off the image, whose
// products cancel the folded input offset exactly. Other depth multipliers run the scalar code.

/** acc + dot of channels 0–3 of the tap pair at tapTable + slot (8-byte inputs at `at` + offset) with weights w + wOffset. */
// @ts-ignore: decorator
@inline
function dotPair0(acc: v128, at: usize, tapTable: usize, slot: usize, w: usize, wOffset: usize): v128 {
  const xa = v128.load8x8_s(at + <usize>load<u32>(tapTable + slot));
  const xb = v128.load8x8_s(at + <usize>load<u32>(tapTable + slot, 4));
  return i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w + wOffset)));
}
/** The same for channels 4–7. */
// @ts-ignore: decorator
@inline
function dotPair1(acc: v128, at: usize, tapTable: usize, slot: usize, w: usize, wOffset: usize): v128 {
  const xa = v128.load8x8_s(at + <usize>load<u32>(tapTable + slot));
  const xb = v128.load8x8_s(at + <usize>load<u32>(tapTable + slot, 4));
  return i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w + wOffset)));
}

// 3×3 undilated filters take two passes per output row. Pass 1 leaves the row's accumulators in
// scratch; pass 2 requantizes them a block of 8 channels at a time along the row (in requantMode 1
// leaving out what only negative results need when activationMin ≥ outputOffset). Keeping the
// requantization out of pass 1 leaves the registers to the weights: the two passes run faster than one.
// Pass 1, strides 1 and 2: with the row pointers row0..row2 (the zero point's row for rows off the
// image), input column j's taps of rows 0 and 1 pair vertically, V[j] = (row0[j],
// row1[j]) interleaved channel by channel, and row 2's horizontally, H[j] = (row2[j], row2[j+1]).
// The pixel whose patch starts at column j sums, with the weights re-paired once per call,
//   V[j]·(t0,t3) + V[j+1]·(t1,t4) + V[j+2]·(t2,t5) + H[j]·(t6,t7) + the last tap t8:
//   stride 1: H[j+1]·(0,t8), where H[j+1] is the next pixel's H[j];
//   stride 2: H[j+2]·(t8,0), the next pixel's H[j] (it reads column j+3, one past the patch; the
//     last pixel pairs its column j+2 with itself there instead);
// so each interleaved pair is built once for every pixel that reads it: per pixel and 8 channels,
// 3 loads and 4 shuffles at stride 1, 6 and 6 at stride 2, against 9 and 10 for taps paired in
// order. At stride 1 each half of a block of 8 channels (0–3, then 4–7) runs along the row on its
// own, so that its 5 weight vectors, the 4 vectors carried to the next pixel and the loop's
// temporaries fit the 16 vector registers (all 10 weights and the carried pairs of both halves did
// not: V8 spilled them, and that ran no faster than taps paired in order; both halves with the
// weights read from memory ran 3–10 % slower). At stride 2, which carries 2 vectors a half, both
// halves run in one loop, the weights read from memory, that widens each 8-byte input once instead of
// once per half: 6 widening loads per pixel and 8 channels, not 12 (2 % faster than a half at a time).
// Every pixel of the row runs the loop: the columns off the image, at most one on either side (the
// first pixel's column j = -1 with SAME padding, the last one's j+2 = W), are read only by the
// pairs built before the loop and by its last pixel, peeled, which read the zero point's pixel in
// their place. Other strides and paddings take the general path.

/** Interleaves channels 0–3 (high: 4–7) of two rows of int16x8: (a0, b0, a1, b1, …). */
// @ts-ignore: decorator
@inline
function zip(a: v128, b: v128, high: bool): v128 {
  return high ? i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15) : i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}

/** acc = init + the dots of one pixel's five pairs with the weights w0..w4. */
// @ts-ignore: decorator
@inline
function storePixel(acc: usize, init: usize, v0: v128, v1: v128, v2: v128, h: v128, g: v128, w0: v128, w1: v128, w2: v128, w3: v128, w4: v128): void {
  let a = i32x4.add(v128.load(init), i32x4.dot_i16x8_s(v0, w0));
  a = i32x4.add(a, i32x4.dot_i16x8_s(v1, w1));
  a = i32x4.add(a, i32x4.dot_i16x8_s(v2, w2));
  a = i32x4.add(a, i32x4.dot_i16x8_s(h, w3));
  a = i32x4.add(a, i32x4.dot_i16x8_s(g, w4));
  v128.store(acc, a);
}

/**
 * Pass 1 at stride 1 for one half of a block over a row of `count` pixels: p0..p2 point at the
 * first pixel's patch centre (column j + 1; channel c) in each row, zeroPoint at the zero point
 * (channel c) read in place of the first pixel's column j when leftPadded and of the last pixel's
 * column j + 2 when rightPadded; w at the 5 weight vectors (32 bytes apart), init at the
 * accumulators' initial value, acc at the first pixel's accumulators.
 */
// @ts-ignore: decorator
@inline
function rowStride1(
  p0: usize, p1: usize, p2: usize, zeroPoint: usize, leftPadded: bool, rightPadded: bool,
  pixelBytes: usize, count: i32, w: usize, init: usize, acc: usize, accStep: usize, high: bool,
): void {
  const w0 = v128.load(w), w1 = v128.load(w, 32), w2 = v128.load(w, 64), w3 = v128.load(w, 96), w4 = v128.load(w, 128);
  let v0 = zip(v128.load8x8_s(leftPadded ? zeroPoint : p0 - pixelBytes), v128.load8x8_s(leftPadded ? zeroPoint : p1 - pixelBytes), high);
  let v1 = zip(v128.load8x8_s(p0), v128.load8x8_s(p1), high);
  let r = v128.load8x8_s(p2); // row2[j+1]
  let h = zip(v128.load8x8_s(leftPadded ? zeroPoint : p2 - pixelBytes), r, high);
  for (let n = 1; n < count; n++) {
    const v2 = zip(v128.load8x8_s(p0 + pixelBytes), v128.load8x8_s(p1 + pixelBytes), high);
    const t = v128.load8x8_s(p2 + pixelBytes);
    const g = zip(r, t, high); // H[j+1]
    storePixel(acc, init, v0, v1, v2, h, g, w0, w1, w2, w3, w4);
    v0 = v1; v1 = v2; h = g; r = t;
    p0 += pixelBytes; p1 += pixelBytes; p2 += pixelBytes;
    acc += accStep;
  }
  const v2 = zip(v128.load8x8_s(rightPadded ? zeroPoint : p0 + pixelBytes), v128.load8x8_s(rightPadded ? zeroPoint : p1 + pixelBytes), high);
  storePixel(acc, init, v0, v1, v2, h, zip(r, v128.load8x8_s(rightPadded ? zeroPoint : p2 + pixelBytes), high), w0, w1, w2, w3, w4);
}

/** storePixel with the 5 weight vectors read from w (32 bytes apart). */
// @ts-ignore: decorator
@inline
function storePixelFrom(acc: usize, init: usize, v0: v128, v1: v128, v2: v128, h: v128, g: v128, w: usize): void {
  let a = i32x4.add(v128.load(init), i32x4.dot_i16x8_s(v0, v128.load(w)));
  a = i32x4.add(a, i32x4.dot_i16x8_s(v1, v128.load(w, 32)));
  a = i32x4.add(a, i32x4.dot_i16x8_s(v2, v128.load(w, 64)));
  a = i32x4.add(a, i32x4.dot_i16x8_s(h, v128.load(w, 96)));
  a = i32x4.add(a, i32x4.dot_i16x8_s(g, v128.load(w, 128)));
  v128.store(acc, a);
}

/**
 * Pass 1 at stride 2 for a whole block of 8 channels (the pointers as for rowStride1): each input
 * is loaded and widened once for both halves, whose weights are read from memory (init for
 * channels 0–3, initHigh for 4–7).
 */
// @ts-ignore: decorator
@inline
function rowStride2(
  p0: usize, p1: usize, p2: usize, zeroPoint: usize, leftPadded: bool, rightPadded: bool,
  pixelBytes: usize, count: i32, w: usize, init: usize, initHigh: usize, acc: usize, accStep: usize,
): void {
  let x = v128.load8x8_s(leftPadded ? zeroPoint : p0 - pixelBytes), y = v128.load8x8_s(leftPadded ? zeroPoint : p1 - pixelBytes);
  let v0 = zip(x, y, false), v0h = zip(x, y, true);
  x = v128.load8x8_s(leftPadded ? zeroPoint : p2 - pixelBytes); y = v128.load8x8_s(p2);
  let h = zip(x, y, false), hh = zip(x, y, true);
  for (let n = 1; n < count; n++) {
    let a = v128.load8x8_s(p0), b = v128.load8x8_s(p1);
    const v1 = zip(a, b, false), v1h = zip(a, b, true);
    a = v128.load8x8_s(p0 + pixelBytes); b = v128.load8x8_s(p1 + pixelBytes);
    const v2 = zip(a, b, false), v2h = zip(a, b, true);
    a = v128.load8x8_s(p2 + pixelBytes); b = v128.load8x8_s(p2 + 2 * pixelBytes);
    const g = zip(a, b, false), gh = zip(a, b, true); // H[j+2]
    storePixelFrom(acc, init, v0, v1, v2, h, g, w);
    storePixelFrom(acc + 16, initHigh, v0h, v1h, v2h, hh, gh, w + 16);
    v0 = v2; h = g; v0h = v2h; hh = gh;
    p0 += 2 * pixelBytes; p1 += 2 * pixelBytes; p2 += 2 * pixelBytes;
    acc += accStep;
  }
  // The last pixel: column j + 3 pairs with a zero weight, so its own column j + 2 stands in for it.
  let a = v128.load8x8_s(p0), b = v128.load8x8_s(p1);
  const v1 = zip(a, b, false), v1h = zip(a, b, true);
  a = v128.load8x8_s(rightPadded ? zeroPoint : p0 + pixelBytes); b = v128.load8x8_s(rightPadded ? zeroPoint : p1 + pixelBytes);
  const v2 = zip(a, b, false), v2h = zip(a, b, true);
  const t = v128.load8x8_s(rightPadded ? zeroPoint : p2 + pixelBytes);
  storePixelFrom(acc, init, v0, v1, v2, h, zip(t, t, false), w);
  storePixelFrom(acc + 16, initHigh, v0h, v1h, v2h, hh, zip(t, t, true), w + 16);
}

// Pass 2 runs one block of 8 channels at a time along the row: the block's kind is decided and its
// constants loaded once per row, and they stay in registers through the row's pixels (two blocks'
// f64 constants did not fit: V8 spilled them, and that ran slower). Each pixel stores the block's
// 8 bytes (store64_lane; the last block of a C that is not a multiple of 8, fewer).

/** A block's outputs v (i16x8) clamped to [lo, hi] as int8: n (1..8) bytes at ptr. */
// @ts-ignore: decorator
@inline
function storeBlock(ptr: usize, v: v128, lo: v128, hi: v128, n: i32): void {
  const bytes = narrowClamp(v, v, lo, hi);
  if (n == 8) v128.store64_lane(ptr, bytes, 0);
  else storeBytes(ptr, bytes, n);
}

/** Pass 2 for a block of kind -2 (f64) over `count` pixels: accumulators at acc, accStep apart; n outputs at out, outStep apart. */
// @ts-ignore: decorator
@inline
function requantRowF64(
  acc: usize, accStep: usize, out: usize, outStep: usize, count: i32, n: i32, block: usize,
  signMask: v128, magic: v128, lo: v128, hi: v128, clamped: bool,
): void {
  const s0 = v128.load(block, 32), s1 = v128.load(block, 48), s2 = v128.load(block, 64), s3 = v128.load(block, 80);
  const h0 = v128.load(block, 96), h1 = v128.load(block, 112), h2 = v128.load(block, 128), h3 = v128.load(block, 144);
  for (let i = 0; i < count; i++) {
    // Each pair of accumulators loaded on its own: the load leaves it in the lanes the conversion reads.
    const v = i16x8.narrow_i32x4_s(
      quadF64(v128.load64_zero(acc), v128.load64_zero(acc, 8), s0, s1, h0, h1, signMask, magic, clamped),
      quadF64(v128.load64_zero(acc, 16), v128.load64_zero(acc, 24), s2, s3, h2, h3, signMask, magic, clamped));
    storeBlock(out, v, lo, hi, n);
    acc += accStep;
    out += outStep;
  }
}

/** The same for a block of kind k ≥ 0 (the int16 step). */
// @ts-ignore: decorator
@inline
function requantRowInt16(
  acc: usize, accStep: usize, out: usize, outStep: usize, count: i32, n: i32, block: usize,
  offset16: v128, lo: v128, hi: v128, clamped: bool,
): void {
  const m0 = v128.load(block, 32), m1 = v128.load(block, 48), q15 = v128.load(block, 96);
  const k = doubledKind(block);
  for (let i = 0; i < count; i++) {
    storeBlock(out, int16Step(highWord(v128.load(acc), m0, clamped), highWord(v128.load(acc, 16), m1, clamped), k, q15, offset16), lo, hi, n);
    acc += accStep;
    out += outStep;
  }
}

/** The same for a block of kind -1 (the general integer step). */
// @ts-ignore: decorator
@inline
function requantRowGeneral(
  acc: usize, accStep: usize, out: usize, outStep: usize, count: i32, n: i32, block: usize,
  offset32: v128, lo: v128, hi: v128, clamped: bool,
): void {
  const m0 = v128.load(block, 32), m1 = v128.load(block, 48), r0 = v128.load(block, 64), r1 = v128.load(block, 80);
  for (let i = 0; i < count; i++) {
    storeBlock(out, generalStep(highWord(v128.load(acc), m0, clamped), highWord(v128.load(acc, 16), m1, clamped), r0, r1, offset32), lo, hi, n);
    acc += accStep;
    out += outStep;
  }
}

/**
 * Pass 2 over one row in requantMode 1: `count` pixels of C = channels, their accumulators from
 * accs (accStep apart), their outputs from out (outStep apart), the table's blocks from `table`.
 */
// @ts-ignore: decorator
@inline
function requantRow(
  accs: usize, accStep: usize, out: usize, outStep: usize, count: i32, channels: i32, table: usize,
  signMask: v128, magic: v128, offset32: v128, offset16: v128, lo: v128, hi: v128, clamped: bool,
): void {
  let block = table;
  for (let c = 0; c < channels; c += 8) {
    const n = min(channels - c, 8);
    const acc = accs + (<usize>c << 2), to = out + <usize>c;
    const kind = doubledKind(block);
    if (kind == -2) requantRowF64(acc, accStep, to, outStep, count, n, block, signMask, magic, lo, hi, clamped);
    else if (kind >= 0) requantRowInt16(acc, accStep, to, outStep, count, n, block, offset16, lo, hi, clamped);
    else requantRowGeneral(acc, accStep, to, outStep, count, n, block, offset32, lo, hi, clamped);
    block += DOUBLED_BLOCK_BYTES;
  }
}

/**
 * requantRow with `clamped`, in a function of its own: inlined next to the unclamped one, its loops
 * came out merged with those (the same code but for `clamped`), testing `clamped` in every pixel.
 */
function requantRowClamped(
  accs: usize, accStep: usize, out: usize, outStep: usize, count: i32, channels: i32, table: usize,
  signMask: v128, magic: v128, offset32: v128, offset16: v128, lo: v128, hi: v128,
): void {
  requantRow(accs, accStep, out, outStep, count, channels, table, signMask, magic, offset32, offset16, lo, hi, true);
}

function depthwise3x3(p: DepthwiseConv2DParams): void {
  const channels = p.inputChannels;
  const height = p.inputHeight, width = p.inputWidth;
  const outWidth = p.outputWidth;
  const stride = p.strideWidth;
  const pixelBytes = <usize>channels;
  const padded = <usize>((channels + 15) & ~15); // accumulator lanes per pixel
  const blockBytes: usize = 5 << 5; // one block of 8 channels' packed weights
  const padding = <usize>p.scratch; // `padded` bytes of the zero point, for the columns off the image
  const zeroRow = padding + padded; // width·C (+16) bytes of the zero point, for the rows off the image
  const accs = zeroRow + ((<usize>(width * channels) + 31) & ~15); // the row's accumulators, (OW, padded) int32
  const paired = accs + (<usize>outWidth * padded << 2); // re-paired weights, 5 pairs per block of 8 channels
  const zeros = paired + padded * 20; // the initial accumulators in requantMode 0
  const doubled = p.requantMode == 1;
  const clamped = p.activationMin >= p.outputOffset; // every negative result clamps to activationMin
  const table = <usize>p.requant + (doubled ? REQUANT_HEADER_BYTES : 0);
  const requantBytes = doubled ? DOUBLED_BLOCK_BYTES : REQUANT_BLOCK_BYTES;
  const signMask = v128.load(p.requant);
  const magic = v128.load(p.requant, 16);
  const offset = i32x4.splat(p.outputOffset);
  const offset16 = i16x8.splat(<i16>p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const zero = i32x4.splat(0);
  const zeroPoint = i8x16.splat(<i8>(-p.inputOffset));
  for (let c: usize = 0; c < padded; c += 16) v128.store(padding + c, zeroPoint);
  const rowLength = <usize>(width * channels);
  for (let c: usize = 0; c < rowLength + 16; c += 16) v128.store(zeroRow + c, zeroPoint);
  v128.store(zeros, zero);
  // The first pixel's patch starts at column -padLeft (0 or -1), the last one's at lastStart; the
  // columns off the image, -1 and lastStart + 2 = width, read the zero point.
  const leftPadded = p.padLeft == 1;
  const lastStart = (outWidth - 1) * stride - p.padLeft;
  const rightPadded = lastStart + 2 == width;
  const centre = <usize>(1 - p.padLeft) * pixelBytes; // the first pixel's patch centre
  // The packed pairs (t0,t1) (t2,t3) (t4,t5) (t6,t7) (t8,0) as (t0,t3) (t1,t4) (t2,t5) (t6,t7) and
  // (0,t8) at stride 1, (t8,0) at stride 2.
  for (let block: usize = 0; block < padded * 20; block += blockBytes) {
    for (let half: usize = 0; half < 32; half += 16) {
      const from = <usize>p.filter + block + half, to = paired + block + half;
      const p01 = v128.load(from), p23 = v128.load(from, 32), p45 = v128.load(from, 64), p8 = v128.load(from, 128);
      v128.store(to, i16x8.shuffle(p01, p23, 0, 9, 2, 11, 4, 13, 6, 15));
      v128.store(to, i16x8.shuffle(p01, p45, 1, 8, 3, 10, 5, 12, 7, 14), 32);
      v128.store(to, i16x8.shuffle(p23, p45, 0, 9, 2, 11, 4, 13, 6, 15), 64);
      v128.store(to, v128.load(from, 96), 96);
      v128.store(to, stride == 1 ? i16x8.shuffle(p8, p8, 1, 0, 3, 2, 5, 4, 7, 6) : p8, 128);
    }
  }

  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * height * width) * pixelBytes;
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const row0 = y0 >= 0 && y0 < height ? inputBatch + <usize>(y0 * width) * pixelBytes : zeroRow;
      const row1 = y0 + 1 >= 0 && y0 + 1 < height ? inputBatch + <usize>((y0 + 1) * width) * pixelBytes : zeroRow;
      const row2 = y0 + 2 >= 0 && y0 + 2 < height ? inputBatch + <usize>((y0 + 2) * width) * pixelBytes : zeroRow;

      // Pass 1: every pixel of the row, a half block at a time at stride 1, a block at stride 2.
      const accStep = padded << 2;
      let requant = table;
      for (let c: usize = 0; c < padded; c += 8) {
        const p0 = row0 + centre + c, p1 = row1 + centre + c, p2 = row2 + centre + c;
        const w = paired + (c << 2) * 5;
        const acc = accs + (c << 2);
        const init = doubled ? requant : zeros;
        if (stride == 1) {
          rowStride1(p0, p1, p2, padding + c, leftPadded, rightPadded, pixelBytes, outWidth, w, init, acc, accStep, false);
          rowStride1(p0, p1, p2, padding + c, leftPadded, rightPadded, pixelBytes, outWidth, w + 16, doubled ? init + 16 : init, acc + 16, accStep, true);
        } else {
          rowStride2(p0, p1, p2, padding + c, leftPadded, rightPadded, pixelBytes, outWidth, w, init, doubled ? init + 16 : init, acc, accStep);
        }
        requant += requantBytes;
      }
      // Pass 2: requantize the row, block by block.
      if (doubled && clamped) {
        requantRowClamped(accs, accStep, out, pixelBytes, outWidth, channels, table, signMask, magic, offset, offset16, lo, hi);
      } else if (doubled) {
        requantRow(accs, accStep, out, pixelBytes, outWidth, channels, table, signMask, magic, offset, offset16, lo, hi, false);
      } else {
        let requant = table;
        for (let c = 0; c < channels; c += 8) {
          const n = min(channels - c, 8);
          for (let ox = 0; ox < outWidth; ox++) {
            const at = accs + ((<usize>ox * padded + <usize>c) << 2);
            storeBlock(out + <usize>(ox * channels + c), requantizeBlock(v128.load(at), v128.load(at, 16), requant, offset, offset16), lo, hi, n);
          }
          requant += REQUANT_BLOCK_BYTES;
        }
      }
      out += <usize>outWidth * pixelBytes;
    }
  }
}

export function depthwise_conv2d(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DParams>(paramsPtr);
  if (p.depthMultiplier != 1) {
    depthwise_conv2d_ref(paramsPtr);
    return;
  }
  // 3×3 undilated at strides 1 and 2 with at most one column off the image on either side (SAME or VALID).
  if (
    p.filterHeight == 3 && p.filterWidth == 3 && p.dilationHeight == 1 && p.dilationWidth == 1 && p.strideWidth <= 2 &&
    p.padLeft <= 1 && (p.outputWidth - 1) * p.strideWidth - p.padLeft + 2 <= p.inputWidth
  ) {
    depthwise3x3(p);
    return;
  }
  const channels = p.inputChannels;
  const height = p.inputHeight, width = p.inputWidth;
  const kh = p.filterHeight, kw = p.filterWidth;
  const dh = p.dilationHeight, dw = p.dilationWidth;
  const taps = kh * kw;
  const tapPairs = (taps + 1) >> 1;
  const blockBytes = <usize>tapPairs << 5;
  const pixelBytes = <usize>channels;
  const offsets = <usize>p.scratch; // per tap, bytes from the patch origin
  const addresses = offsets + (<usize>tapPairs << 3); // per tap, for a pixel at the border
  const padding = addresses + (<usize>tapPairs << 3); // ceil(C/16)·16 bytes of the zero point
  const doubled = p.requantMode == 1;
  const clamped = p.activationMin >= p.outputOffset; // every negative result clamps to activationMin
  const table = <usize>p.requant + (doubled ? REQUANT_HEADER_BYTES : 0);
  const requantBytes = doubled ? DOUBLED_BLOCK_BYTES : REQUANT_BLOCK_BYTES;
  const signMask = v128.load(p.requant);
  const magic = v128.load(p.requant, 16);
  const offset = i32x4.splat(p.outputOffset);
  const offset16 = i16x8.splat(<i16>p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const zero = i32x4.splat(0);

  const zeroPoint = i8x16.splat(<i8>(-p.inputOffset));
  for (let c = 0; c < channels; c += 16) v128.store(padding + <usize>c, zeroPoint);
  let slot = offsets;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      store<u32>(slot, <u32>(ky * dh * width + kx * dw) * <u32>channels);
      slot += 4;
    }
  }
  if (taps & 1) store<u32>(slot, load<u32>(slot - 4));

  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * height * width) * pixelBytes;
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const rowsInside = y0 >= 0 && y0 + (kh - 1) * dh < height;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        let tapTable = offsets;
        let origin = inputBatch + <usize>(y0 * width + x0) * pixelBytes;
        if (!(rowsInside && x0 >= 0 && x0 + (kw - 1) * dw < width)) {
          slot = addresses;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky * dh;
            for (let kx = 0; kx < kw; kx++) {
              const x = x0 + kx * dw;
              const inside = y >= 0 && y < height && x >= 0 && x < width;
              store<u32>(slot, inside ? inputBatch + <usize>(y * width + x) * pixelBytes : padding);
              slot += 4;
            }
          }
          if (taps & 1) store<u32>(slot, load<u32>(slot - 4));
          tapTable = addresses;
          origin = 0;
        }
        let filter = <usize>p.filter;
        let requant = table;
        for (let c = 0; c < channels; c += 16) {
          // 16 channels: two blocks of 8 (the second's lanes past C compute garbage, not stored).
          const at = origin + <usize>c;
          let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
          if (doubled) {
            a0 = v128.load(requant); a1 = v128.load(requant, 16);
            a2 = v128.load(requant + requantBytes); a3 = v128.load(requant + requantBytes, 16);
          }
          let w = filter;
          let t = tapTable;
          let pairs = tapPairs;
          if (pairs == 5) { // 3×3, straight-line
            const w2 = filter + blockBytes;
            a0 = dotPair0(a0, at, t, 0, w, 0); a1 = dotPair1(a1, at, t, 0, w, 16);
            a2 = dotPair0(a2, at + 8, t, 0, w2, 0); a3 = dotPair1(a3, at + 8, t, 0, w2, 16);
            a0 = dotPair0(a0, at, t, 8, w, 32); a1 = dotPair1(a1, at, t, 8, w, 48);
            a2 = dotPair0(a2, at + 8, t, 8, w2, 32); a3 = dotPair1(a3, at + 8, t, 8, w2, 48);
            a0 = dotPair0(a0, at, t, 16, w, 64); a1 = dotPair1(a1, at, t, 16, w, 80);
            a2 = dotPair0(a2, at + 8, t, 16, w2, 64); a3 = dotPair1(a3, at + 8, t, 16, w2, 80);
            a0 = dotPair0(a0, at, t, 24, w, 96); a1 = dotPair1(a1, at, t, 24, w, 112);
            a2 = dotPair0(a2, at + 8, t, 24, w2, 96); a3 = dotPair1(a3, at + 8, t, 24, w2, 112);
            a0 = dotPair0(a0, at, t, 32, w, 128); a1 = dotPair1(a1, at, t, 32, w, 144);
            a2 = dotPair0(a2, at + 8, t, 32, w2, 128); a3 = dotPair1(a3, at + 8, t, 32, w2, 144);
            pairs = 0;
          }
          for (let pair = 0; pair < pairs; pair++) {
            const pa = at + <usize>load<u32>(t);
            const pb = at + <usize>load<u32>(t, 4);
            let xa = v128.load8x8_s(pa);
            let xb = v128.load8x8_s(pb);
            a0 = i32x4.add(a0, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w)));
            a1 = i32x4.add(a1, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w, 16)));
            xa = v128.load8x8_s(pa + 8);
            xb = v128.load8x8_s(pb + 8);
            a2 = i32x4.add(a2, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w + blockBytes)));
            a3 = i32x4.add(a3, i32x4.dot_i16x8_s(i16x8.shuffle(xa, xb, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w + blockBytes, 16)));
            w += 32;
            t += 8;
          }
          let v0: v128, v1: v128;
          if (doubled) {
            v0 = requantizeDoubled(a0, a1, requant, signMask, magic, offset, offset16, false);
            v1 = requantizeDoubled(a2, a3, requant + requantBytes, signMask, magic, offset, offset16, false);
          } else {
            v0 = requantizeBlock(a0, a1, requant, offset, offset16);
            v1 = requantizeBlock(a2, a3, requant + requantBytes, offset, offset16);
          }
          const bytes = i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(v0, v1), lo), hi);
          if (c + 16 <= channels) v128.store(out + <usize>c, bytes);
          else storeBytes(out + <usize>c, bytes, channels - c);
          filter += blockBytes << 1;
          requant += requantBytes << 1;
        }
        out += pixelBytes;
      }
    }
  }
}
