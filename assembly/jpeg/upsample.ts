// JPEG chroma upsampling, one output row per call, bit-exact with libjpeg-turbo 2.1.5 jdsample.c
// (whose x86 SIMD h2v1/h2v2 fancy and plain upsamplers compute the same bytes as its C ones).
// Inputs are rows of u8 samples; every row may be read up to 16 bytes past its end, and the v128
// kernels write up to the next multiple of 16 bytes of output (at most 15 bytes past its end).
//
// "Fancy" upsampling is libjpeg's triangle filter: each output sample is 3/4 of the nearer input
// sample plus 1/4 of the next nearer one, per dimension, with integer rounding biases that
// alternate between neighbouring outputs. At the row ends the missing neighbour is the end sample
// itself, which is what libjpeg's special first and last columns compute. libjpeg uses the h2v1
// and h2v2 filters only for inWidth > 2 (else box replication); for inWidth 1 and 2 these kernels
// give the end-replicated filter, and nothing for inWidth <= 0.

// ---- h2v1 fancy ------------------------------------------------------------------------------
// in: inWidth samples; out: 2 * inWidth samples.
// out[2i] = (3 in[i] + in[i-1] + 1) >> 2,  out[2i+1] = (3 in[i] + in[i+1] + 2) >> 2.

export function jpeg_h2v1_fancy_ref(input: usize, out: usize, inWidth: i32): void {
  if (inWidth <= 0) return;
  const last = inWidth - 1;
  for (let i = 0; i < inWidth; i++) {
    const here = <i32>load<u8>(input + <usize>i) * 3;
    const before = <i32>load<u8>(input + <usize>max(i - 1, 0));
    const after = <i32>load<u8>(input + <usize>min(i + 1, last));
    store<u8>(out + <usize>(2 * i), <u8>((here + before + 1) >> 2));
    store<u8>(out + <usize>(2 * i + 1), <u8>((here + after + 2) >> 2));
  }
}

/** Even and odd outputs of 8 input samples (i16 lanes) as 16 interleaved bytes. */
// @ts-ignore: decorator
@inline
function interleaveEvenOdd(even: v128, odd: v128): v128 {
  return v128.or(even, i16x8.shl(odd, 8));
}

// @ts-ignore: decorator
@inline
function h2v1Half(here: v128, before: v128, after: v128): v128 {
  return triangleHalf(here, before, after, 1, 2, 2);
}

/**
 * The fancy filters' output pair for 8 samples: even = (3·here + before + evenBias) >> shift,
 * odd = (3·here + after + oddBias) >> shift, interleaved (h2v1 on samples, h2v2 on column sums).
 */
// @ts-ignore: decorator
@inline
function triangleHalf(here: v128, before: v128, after: v128, evenBias: i16, oddBias: i16, shift: i32): v128 {
  const three = i16x8.mul(here, i16x8.splat(3));
  const even = i16x8.shr_u(i16x8.add(i16x8.add(three, before), i16x8.splat(evenBias)), shift);
  const odd = i16x8.shr_u(i16x8.add(i16x8.add(three, after), i16x8.splat(oddBias)), shift);
  return interleaveEvenOdd(even, odd);
}

// @ts-ignore: decorator
@inline
function h2v1Block(here: v128, before: v128, after: v128, out: usize, outBytesLeft: i32): void {
  v128.store(out, h2v1Half(i16x8.extend_low_i8x16_u(here), i16x8.extend_low_i8x16_u(before), i16x8.extend_low_i8x16_u(after)));
  if (outBytesLeft > 16) {
    v128.store(out, h2v1Half(i16x8.extend_high_i8x16_u(here), i16x8.extend_high_i8x16_u(before), i16x8.extend_high_i8x16_u(after)), 16);
  }
}

/** 16 input samples per step; the neighbours are loads one byte either side (the first block shifts in in[0]). */
export function jpeg_h2v1_fancy(input: usize, out: usize, inWidth: i32): void {
  if (inWidth <= 0) return;
  const outWidth = 2 * inWidth;
  const first = v128.load(input);
  h2v1Block(first, i8x16.shuffle(first, first, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), v128.load(input, 1), out, outWidth);
  for (let i = 16; i < inWidth; i += 16) {
    const at = input + <usize>i;
    h2v1Block(v128.load(at), v128.load(at - 1), v128.load(at, 1), out + <usize>(2 * i), outWidth - 2 * i);
  }
  // The last odd output used in[inWidth], past the row: its neighbour is in[inWidth - 1] itself.
  store<u8>(out + <usize>(outWidth - 1), load<u8>(input + <usize>(inWidth - 1)));
}

// ---- h2v2 fancy ------------------------------------------------------------------------------
// near: the input row the output row lies in; far: the input row above it (for the upper output
// row) or below it (lower). out: 2 * inWidth samples. With the column sums c[i] = 3 near[i] + far[i]:
// out[2i] = (3 c[i] + c[i-1] + 8) >> 4,  out[2i+1] = (3 c[i] + c[i+1] + 7) >> 4.
// The biases depend on the column only, so both output rows use the same arithmetic: `lower` is
// part of the calling convention shared with jpeg_h1v2_fancy and does not change the result.

// @ts-ignore: decorator
@inline
function columnSum(near: usize, far: usize, i: i32): i32 {
  return <i32>load<u8>(near + <usize>i) * 3 + <i32>load<u8>(far + <usize>i);
}

export function jpeg_h2v2_fancy_ref(near: usize, far: usize, out: usize, inWidth: i32, lower: i32): void {
  if (inWidth <= 0) return;
  const last = inWidth - 1;
  for (let i = 0; i < inWidth; i++) {
    const here = columnSum(near, far, i) * 3;
    const before = columnSum(near, far, max(i - 1, 0));
    const after = columnSum(near, far, min(i + 1, last));
    store<u8>(out + <usize>(2 * i), <u8>((here + before + 8) >> 4));
    store<u8>(out + <usize>(2 * i + 1), <u8>((here + after + 7) >> 4));
  }
}

/** Column sums of 8 columns (i16 lanes) from 8 near and 8 far samples in the low halves of u8 vectors. */
// @ts-ignore: decorator
@inline
function columnSumsLow(near: v128, far: v128): v128 {
  return i16x8.add(i16x8.mul(i16x8.extend_low_i8x16_u(near), i16x8.splat(3)), i16x8.extend_low_i8x16_u(far));
}

// @ts-ignore: decorator
@inline
function columnSumsHigh(near: v128, far: v128): v128 {
  return i16x8.add(i16x8.mul(i16x8.extend_high_i8x16_u(near), i16x8.splat(3)), i16x8.extend_high_i8x16_u(far));
}

// @ts-ignore: decorator
@inline
function h2v2Half(here: v128, before: v128, after: v128): v128 {
  return triangleHalf(here, before, after, 8, 7, 4);
}

/**
 * 16 columns per step: their sums, the sums one column on (from loads one byte on), and the sums
 * one column back, shifted in from the previous step's sums (the first step repeats c[0]).
 */
export function jpeg_h2v2_fancy(near: usize, far: usize, out: usize, inWidth: i32, lower: i32): void {
  if (inWidth <= 0) return;
  const outWidth = 2 * inWidth;
  let carried = i16x8.splat(<i16>columnSum(near, far, 0)); // lane 7 is c[i - 1] for the next step
  for (let i = 0; i < inWidth; i += 16) {
    const nearAt = near + <usize>i, farAt = far + <usize>i, outAt = out + <usize>(2 * i);
    const nearHere = v128.load(nearAt), farHere = v128.load(farAt);
    const nearAfter = v128.load(nearAt, 1), farAfter = v128.load(farAt, 1);
    const hereLow = columnSumsLow(nearHere, farHere), hereHigh = columnSumsHigh(nearHere, farHere);
    const beforeLow = i16x8.shuffle(carried, hereLow, 7, 8, 9, 10, 11, 12, 13, 14);
    const beforeHigh = i16x8.shuffle(hereLow, hereHigh, 7, 8, 9, 10, 11, 12, 13, 14);
    v128.store(outAt, h2v2Half(hereLow, beforeLow, columnSumsLow(nearAfter, farAfter)));
    if (outWidth - 2 * i > 16) v128.store(outAt, h2v2Half(hereHigh, beforeHigh, columnSumsHigh(nearAfter, farAfter)), 16);
    carried = hereHigh;
  }
  // The last odd output used column inWidth, past the row: its neighbour is column inWidth - 1 itself.
  store<u8>(out + <usize>(outWidth - 1), <u8>((columnSum(near, far, inWidth - 1) * 4 + 7) >> 4));
}

// ---- h1v2 fancy ------------------------------------------------------------------------------
// near, far as for h2v2; out: width samples. out[i] = (3 near[i] + far[i] + bias) >> 2 with
// bias 1 for the upper output row (lower = 0) and 2 for the lower one (lower = 1).

export function jpeg_h1v2_fancy_ref(near: usize, far: usize, out: usize, width: i32, lower: i32): void {
  const bias = lower != 0 ? 2 : 1;
  for (let i = 0; i < width; i++) {
    store<u8>(out + <usize>i, <u8>((columnSum(near, far, i) + bias) >> 2));
  }
}

export function jpeg_h1v2_fancy(near: usize, far: usize, out: usize, width: i32, lower: i32): void {
  const bias = i16x8.splat(lower != 0 ? 2 : 1);
  for (let i = 0; i < width; i += 16) {
    const nearHere = v128.load(near + <usize>i), farHere = v128.load(far + <usize>i);
    const low = i16x8.shr_u(i16x8.add(columnSumsLow(nearHere, farHere), bias), 2);
    const high = i16x8.shr_u(i16x8.add(columnSumsHigh(nearHere, farHere), bias), 2);
    v128.store(out + <usize>i, i8x16.narrow_i16x8_u(low, high));
  }
}

// ---- box replication -------------------------------------------------------------------------
// in: inWidth samples; out: inWidth * factor samples, each input sample repeated factor times
// (factor 1..4; any other factor writes nothing). This is h2v1_upsample (factor 2) and
// int_upsample's horizontal expansion; vertical expansion is a copy of the output row.

export function jpeg_replicate_ref(input: usize, out: usize, inWidth: i32, factor: i32): void {
  if (factor < 1 || factor > 4) return;
  for (let i = 0; i < inWidth; i++) {
    const sample = load<u8>(input + <usize>i);
    for (let k = 0; k < factor; k++) store<u8>(out + <usize>(i * factor + k), sample);
  }
}

/** Each of 16 input samples three times: 48 bytes; the second and third 16 only where the output reaches them. */
// @ts-ignore: decorator
@inline
export function replicate3Block(v: v128, out: usize, outBytesLeft: i32): void {
  v128.store(out, i8x16.shuffle(v, v, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5));
  if (outBytesLeft > 16) v128.store(out, i8x16.shuffle(v, v, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10), 16);
  if (outBytesLeft > 32) v128.store(out, i8x16.shuffle(v, v, 10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15), 32);
}

export function jpeg_replicate(input: usize, out: usize, inWidth: i32, factor: i32): void {
  if (inWidth <= 0) return;
  const outWidth = inWidth * factor;
  if (factor == 1) {
    memory.copy(out, input, <usize>inWidth);
  } else if (factor == 2) {
    for (let i = 0; i < inWidth; i += 16) {
      const v = v128.load(input + <usize>i), at = out + <usize>(2 * i);
      v128.store(at, i8x16.shuffle(v, v, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));
      if (outWidth - 2 * i > 16) v128.store(at, i8x16.shuffle(v, v, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15), 16);
    }
  } else if (factor == 3) {
    for (let i = 0; i < inWidth; i += 16) {
      replicate3Block(v128.load(input + <usize>i), out + <usize>(3 * i), outWidth - 3 * i);
    }
  } else if (factor == 4) {
    for (let i = 0; i < inWidth; i += 16) {
      const v = v128.load(input + <usize>i), at = out + <usize>(4 * i), left = outWidth - 4 * i;
      v128.store(at, i8x16.shuffle(v, v, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3));
      if (left > 16) v128.store(at, i8x16.shuffle(v, v, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7), 16);
      if (left > 32) v128.store(at, i8x16.shuffle(v, v, 8, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 11), 32);
      if (left > 48) v128.store(at, i8x16.shuffle(v, v, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15), 48);
    }
  }
}
