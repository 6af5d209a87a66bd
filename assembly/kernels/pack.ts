// Load-time weight preparation, in wasm so that a model's first load does not wait for the
// JavaScript tiers to warm up on millions of weights. Filters arrive as the model's own 8-bit
// weights (int8, or uint8 when `signed` is false), staged in wasm memory, with a channel table of
// int32 pairs (zeroPoint, factor) per channel: the conv and depthwise layouts hold
// (w - zeroPoint)·factor as int16, the factor being 1, 2 for doubled accumulators, or 0 for a
// channel whose output is constant (js/ops/weights.ts); the fully connected one holds int8 and
// per-channel offsets (pack_fully_connected_filter). Every destination must be zero-filled
// (freshly allocated) memory.
import { storeTransposed } from "../transpose";

/** Weight i of an 8-bit filter. */
// @ts-ignore: decorator
@inline
function weightByte(at: usize, signed: bool): i32 {
  return signed ? <i32>load<i8>(at) : <i32>load<u8>(at);
}

/** (w - zeroPoint)·factor of weight at `at` in channel c. */
// @ts-ignore: decorator
@inline
function centred(at: usize, signed: bool, channelTable: usize, c: i32): i32 {
  const entry = channelTable + (<usize>c << 3);
  return (weightByte(at, signed) - load<i32>(entry)) * load<i32>(entry, 4);
}

/** 8 weights at `at`, widened to int16, minus zeroPoint, times factor (i16x8 splats). */
// @ts-ignore: decorator
@inline
function centred8(at: usize, signed: bool, zeroPoint: v128, factor: v128): v128 {
  return i16x8.mul(i16x8.sub(signed ? v128.load8x8_s(at) : v128.load8x8_u(at), zeroPoint), factor);
}

/**
 * Per channel c < channels, Σ (w - zeroPoint) and Σ |w - zeroPoint| (factors ignored) over its
 * `count` weights at src + c·channelStride + i·weightStride, into the int32 arrays sums and
 * absSums; channel c's table entry is at channelTable + 8·(firstChannel + c). Contiguous
 * channels (weightStride 1) go 8 weights at a time.
 */
export function weight_sums(
  src: usize, signed: bool, channelTable: usize, firstChannel: i32, sums: usize, absSums: usize,
  channels: i32, count: i32, channelStride: i32, weightStride: i32,
): void {
  const one = i16x8.splat(1);
  for (let c = 0; c < channels; c++) {
    const zeroPoint = load<i32>(channelTable + (<usize>(firstChannel + c) << 3));
    let at = src + <usize>(c * channelStride);
    let i = 0;
    let sum = 0, abs = 0;
    if (weightStride == 1) {
      const zp = i16x8.splat(<i16>zeroPoint);
      let sumV = i32x4.splat(0), absV = i32x4.splat(0);
      for (; i + 8 <= count; i += 8) {
        const w = centred8(at, signed, zp, one);
        sumV = i32x4.add(sumV, i32x4.extadd_pairwise_i16x8_s(w));
        absV = i32x4.add(absV, i32x4.extadd_pairwise_i16x8_s(i16x8.abs(w)));
        at += 8;
      }
      sum = i32x4.extract_lane(sumV, 0) + i32x4.extract_lane(sumV, 1) + i32x4.extract_lane(sumV, 2) + i32x4.extract_lane(sumV, 3);
      abs = i32x4.extract_lane(absV, 0) + i32x4.extract_lane(absV, 1) + i32x4.extract_lane(absV, 2) + i32x4.extract_lane(absV, 3);
    }
    for (; i < count; i++) {
      const w = weightByte(at, signed) - zeroPoint;
      sum += w;
      abs += w < 0 ? -w : w;
      at += <usize>weightStride;
    }
    store<i32>(sums + (<usize>c << 2), sum);
    store<i32>(absSums + (<usize>c << 2), abs);
  }
}

/**
 * CONV_2D: output channels [first, first + count) of an (outC, depth) filter, whose rows start at
 * src, into the (ceil(outC/8), ceil(depth/2), 8, 2) int16 layout at dst
 * (assembly/kernels/conv2d.ts); `first` is a multiple of 8. A whole tile of 8 channels goes 8
 * weights (4 pairs) per channel at a time: the 8 × 4 pairs, transposed as int32 lanes, are 4
 * pairs × 8 channels. The rest goes one weight at a time.
 */
export function pack_conv_filter(src: usize, signed: bool, channelTable: usize, dst: usize, first: i32, count: i32, depth: i32): void {
  const pairs = (depth + 1) >> 1;
  const tileBytes = <usize>pairs << 5;
  let j = 0;
  for (; j + 8 <= count; j += 8) {
    const tile = dst + <usize>((first + j) >> 3) * tileBytes;
    const rows = src + <usize>(j * depth);
    const entry = channelTable + (<usize>(first + j) << 3);
    const z0 = i16x8.splat(<i16>load<i32>(entry)), f0 = i16x8.splat(<i16>load<i32>(entry, 4));
    const z1 = i16x8.splat(<i16>load<i32>(entry, 8)), f1 = i16x8.splat(<i16>load<i32>(entry, 12));
    const z2 = i16x8.splat(<i16>load<i32>(entry, 16)), f2 = i16x8.splat(<i16>load<i32>(entry, 20));
    const z3 = i16x8.splat(<i16>load<i32>(entry, 24)), f3 = i16x8.splat(<i16>load<i32>(entry, 28));
    const z4 = i16x8.splat(<i16>load<i32>(entry, 32)), f4 = i16x8.splat(<i16>load<i32>(entry, 36));
    const z5 = i16x8.splat(<i16>load<i32>(entry, 40)), f5 = i16x8.splat(<i16>load<i32>(entry, 44));
    const z6 = i16x8.splat(<i16>load<i32>(entry, 48)), f6 = i16x8.splat(<i16>load<i32>(entry, 52));
    const z7 = i16x8.splat(<i16>load<i32>(entry, 56)), f7 = i16x8.splat(<i16>load<i32>(entry, 60));
    const row = <usize>depth;
    let k = 0;
    for (; k + 8 <= depth; k += 8) {
      const at = rows + <usize>k;
      const out = tile + (<usize>k << 4); // pair k/2, 32 bytes per pair
      // Four channels' 4 pairs each → per pair, the 4 channels' lanes, 32 bytes apart.
      storeTransposed(out, 32, centred8(at, signed, z0, f0), centred8(at + row, signed, z1, f1),
        centred8(at + 2 * row, signed, z2, f2), centred8(at + 3 * row, signed, z3, f3));
      storeTransposed(out + 16, 32, centred8(at + 4 * row, signed, z4, f4), centred8(at + 5 * row, signed, z5, f5),
        centred8(at + 6 * row, signed, z6, f6), centred8(at + 7 * row, signed, z7, f7));
    }
    for (let c = 0; c < 8; c++) packConvTail(rows + <usize>(c * depth), signed, channelTable, tile, first + j + c, k, depth);
  }
  for (; j < count; j++) {
    packConvTail(src + <usize>(j * depth), signed, channelTable, dst + <usize>((first + j) >> 3) * tileBytes, first + j, 0, depth);
  }
}

/** Weights [k, depth) of output channel oc (its row at `row`) into its lanes of the tile at `tile`. */
// @ts-ignore: decorator
@inline
function packConvTail(row: usize, signed: bool, channelTable: usize, tile: usize, oc: i32, k: i32, depth: i32): void {
  const lane = tile + (<usize>(oc & 7) << 2);
  for (; k < depth; k++) {
    store<i16>(lane + (<usize>(k >> 1) << 5) + (<usize>(k & 1) << 1), centred(row + <usize>k, signed, channelTable, oc));
  }
}

/**
 * DEPTHWISE_CONV_2D: a (taps, channels) filter at src to the (ceil(channels/16)·2, ceil(taps/2),
 * 8, 2) int16 layout at dst (assembly/kernels/depthwise_conv2d.ts).
 */
export function pack_depthwise_filter(src: usize, signed: bool, channelTable: usize, dst: usize, taps: i32, channels: i32): void {
  const tapPairs = (taps + 1) >> 1;
  let from = src;
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < channels; c++) {
      store<i16>(dst + (<usize>(((c >> 3) * tapPairs + (t >> 1)) * 16 + (c & 7) * 2 + (t & 1)) << 1), centred(from, signed, channelTable, c));
      from++;
    }
  }
}

/**
 * FULLY_CONNECTED (and CONV_2D with one output pixel whose patch is its input): output channels
 * [first, first + count) of an (outC, depth) filter, whose rows start at src, into the
 * (ceil(outC/8), ceil(depth/2), 8, 2) int8 layout at dst of q = w - base (base 0 for int8 weights,
 * 128 for uint8), and base - zeroPoint per channel into the int32 array `offsets`
 * (assembly/kernels/fully_connected.ts); both 0 for a channel whose factor is 0. `first` is a
 * multiple of 8. A whole tile of 8 channels goes 8 weights (4 pairs) per channel at a time: 8 rows
 * of 4 pairs, transposed as int16 lanes, are 4 pairs × 8 channels. The rest goes one weight at a time.
 */
export function pack_fully_connected_filter(
  src: usize, signed: bool, channelTable: usize, dst: usize, offsets: usize, first: i32, count: i32, depth: i32,
): void {
  const pairs = (depth + 1) >> 1;
  const tileBytes = <usize>pairs << 4;
  const base = signed ? 0 : 128;
  const flip = i8x16.splat(<i8>base); // w - 128 = w ^ 0x80 for uint8
  for (let j = 0; j < count; j++) {
    const entry = channelTable + (<usize>(first + j) << 3);
    store<i32>(offsets + (<usize>(first + j) << 2), load<i32>(entry, 4) != 0 ? base - load<i32>(entry) : 0);
  }
  let j = 0;
  for (; j + 8 <= count; j += 8) {
    const tile = dst + <usize>((first + j) >> 3) * tileBytes;
    const rows = src + <usize>(j * depth);
    // Per output byte 2c, 2c+1: 0xff where channel c's factor is not 0.
    let keep03: u64 = 0, keep47: u64 = 0;
    for (let c = 0; c < 4; c++) {
      if (load<i32>(channelTable + (<usize>(first + j + c) << 3), 4) != 0) keep03 |= <u64>0xffff << (16 * c);
      if (load<i32>(channelTable + (<usize>(first + j + c + 4) << 3), 4) != 0) keep47 |= <u64>0xffff << (16 * c);
    }
    const keep = i64x2.replace_lane(i64x2.splat(keep03), 1, keep47);
    const row = <usize>depth;
    let k = 0;
    for (; k + 8 <= depth; k += 8) {
      const at = rows + <usize>k;
      const r01 = i16x8.shuffle(v128.load64_zero(at), v128.load64_zero(at + row), 0, 8, 1, 9, 2, 10, 3, 11);
      const r23 = i16x8.shuffle(v128.load64_zero(at + 2 * row), v128.load64_zero(at + 3 * row), 0, 8, 1, 9, 2, 10, 3, 11);
      const r45 = i16x8.shuffle(v128.load64_zero(at + 4 * row), v128.load64_zero(at + 5 * row), 0, 8, 1, 9, 2, 10, 3, 11);
      const r67 = i16x8.shuffle(v128.load64_zero(at + 6 * row), v128.load64_zero(at + 7 * row), 0, 8, 1, 9, 2, 10, 3, 11);
      const low03 = i32x4.shuffle(r01, r23, 0, 4, 1, 5), high03 = i32x4.shuffle(r01, r23, 2, 6, 3, 7);
      const low47 = i32x4.shuffle(r45, r67, 0, 4, 1, 5), high47 = i32x4.shuffle(r45, r67, 2, 6, 3, 7);
      const out = tile + (<usize>k << 3); // pair k/2, 16 bytes per pair
      v128.store(out, v128.and(v128.xor(i64x2.shuffle(low03, low47, 0, 2), flip), keep));
      v128.store(out, v128.and(v128.xor(i64x2.shuffle(low03, low47, 1, 3), flip), keep), 16);
      v128.store(out, v128.and(v128.xor(i64x2.shuffle(high03, high47, 0, 2), flip), keep), 32);
      v128.store(out, v128.and(v128.xor(i64x2.shuffle(high03, high47, 1, 3), flip), keep), 48);
    }
    for (let c = 0; c < 8; c++) packRowTail(rows + <usize>(c * depth), signed, channelTable, tile, first + j + c, k, depth);
  }
  for (; j < count; j++) {
    packRowTail(src + <usize>(j * depth), signed, channelTable, dst + <usize>((first + j) >> 3) * tileBytes, first + j, 0, depth);
  }
}

/** Weights [k, depth) of output channel oc (its row at `row`) into its bytes of the int8 tile at `tile`. */
// @ts-ignore: decorator
@inline
function packRowTail(row: usize, signed: bool, channelTable: usize, tile: usize, oc: i32, k: i32, depth: i32): void {
  if (load<i32>(channelTable + (<usize>oc << 3), 4) == 0) return;
  const lane = tile + (<usize>(oc & 7) << 1);
  const base = signed ? 0 : 128;
  for (; k < depth; k++) {
    store<i8>(lane + (<usize>(k >> 1) << 4) + <usize>(k & 1), weightByte(row + <usize>k, signed) - base);
  }
}
