// REDUCE_MAX, REDUCE_MIN, SUM and MEAN over any axes.
// in: (d0, …, d{rank-1}) contiguous, rank ≤ 6: the host merges neighbouring axes that are both
// reduced or both kept and drops axes of size 1. outStride_k is the output's element stride of
// axis k, 0 for a reduced axis. acc[Σ i_k·outStride_k] ⊕= in[i], over the input in order, after
// acc's `outputCount` values are set to ⊕'s identity.
//   type 0, int8: MAX / MIN into int8 acc; SUM into int32 acc (reduce_finish requantizes it).
//   type 1, float32: MAX / MIN / SUM into float32 acc.
//   type 2, int8 bytes read as uint8: SUM into int32 acc (TFLite 2.21's reference SUM of int8
//   tensors reads them so: reduce.cc passes uint8_t data to QuantizedMeanOrSum).
// The last axis is a contiguous run of the input: kept (stride 1), it is ⊕ed elementwise into acc;
// reduced, it is ⊕ed into one value of acc. The v128 kernel does both 16 bytes at a time, except
// float32 SUM over a reduced last axis, which adds in input order as TFLite does.
import { multiplyByQuantizedMultiplier } from "../requant";

const MAX = 0, MIN = 1, SUM = 2;
const INT8 = 0, FLOAT32 = 1, BYTES_AS_UINT8 = 2;

@unmanaged
export class ReduceParams {
  input: i32; output: i32; op: i32; type: i32; outputCount: i32; rank: i32;
  d0: i32; d1: i32; d2: i32; d3: i32; d4: i32; d5: i32;
  s0: i32; s1: i32; s2: i32; s3: i32; s4: i32; s5: i32;
}

// @ts-ignore: decorator
@inline
function dim(p: ReduceParams, k: i32): i32 {
  return load<i32>(changetype<usize>(p) + offsetof<ReduceParams>("d0") + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline
function outStride(p: ReduceParams, k: i32): i32 {
  return load<i32>(changetype<usize>(p) + offsetof<ReduceParams>("s0") + (<usize>k << 2));
}

/** Sets acc to the identity of the reduction. */
function initialize(p: ReduceParams): void {
  const acc = <usize>p.output, n = <usize>p.outputCount;
  if (p.type != FLOAT32 && p.op != SUM) {
    memory.fill(acc, p.op == MAX ? 0x80 : 0x7f, n);
    return;
  }
  const bits: u32 = p.op == SUM ? 0 : p.op == MAX ? 0xff7fffff : 0x7f7fffff; // ∓FLT_MAX, TFLite's lowest()/max()
  for (let i: usize = 0; i < n; i++) store<u32>(acc + (i << 2), bits);
}

// ---- one contiguous run of `n` input values ---------------------------------------------------

// @ts-ignore: decorator
@inline
function byteValue(at: usize, unsigned: bool): i32 {
  return unsigned ? <i32>load<u8>(at) : <i32>load<i8>(at);
}

function keptInt8(op: i32, from: usize, acc: usize, n: i32, unsigned: bool, vector: bool): void {
  let j = 0;
  if (op == SUM) {
    if (vector) {
      for (; j + 16 <= n; j += 16) {
        const x = v128.load(from + <usize>j);
        const low = unsigned ? i16x8.extend_low_i8x16_u(x) : i16x8.extend_low_i8x16_s(x);
        const high = unsigned ? i16x8.extend_high_i8x16_u(x) : i16x8.extend_high_i8x16_s(x);
        const a = acc + (<usize>j << 2);
        v128.store(a, i32x4.add(v128.load(a), i32x4.extend_low_i16x8_s(low)));
        v128.store(a, i32x4.add(v128.load(a, 16), i32x4.extend_high_i16x8_s(low)), 16);
        v128.store(a, i32x4.add(v128.load(a, 32), i32x4.extend_low_i16x8_s(high)), 32);
        v128.store(a, i32x4.add(v128.load(a, 48), i32x4.extend_high_i16x8_s(high)), 48);
      }
    }
    for (; j < n; j++) {
      const a = acc + (<usize>j << 2);
      store<i32>(a, load<i32>(a) + byteValue(from + <usize>j, unsigned));
    }
    return;
  }
  if (vector) {
    for (; j + 16 <= n; j += 16) {
      const x = v128.load(from + <usize>j), a = v128.load(acc + <usize>j);
      v128.store(acc + <usize>j, op == MAX ? i8x16.max_s(a, x) : i8x16.min_s(a, x));
    }
  }
  for (; j < n; j++) {
    const x = load<i8>(from + <usize>j), a = load<i8>(acc + <usize>j);
    store<i8>(acc + <usize>j, op == MAX ? max(a, x) : min(a, x));
  }
}

function reducedInt8(op: i32, from: usize, acc: usize, n: i32, unsigned: bool, vector: bool): void {
  let j = 0;
  if (op == SUM) {
    let sum = load<i32>(acc);
    if (vector && n >= 16) {
      let s = i32x4.splat(0);
      for (; j + 16 <= n; j += 16) {
        const x = v128.load(from + <usize>j);
        s = i32x4.add(s, unsigned ? i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(x)) : i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(x)));
      }
      sum += i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
    }
    for (; j < n; j++) sum += byteValue(from + <usize>j, unsigned);
    store<i32>(acc, sum);
    return;
  }
  // MIN is MAX of the bitwise complements (~x = -1 - x reverses the order of int8 values).
  const flip = op == MAX ? 0 : -1;
  let best = <i32>load<i8>(acc) ^ flip;
  if (vector && n >= 16) {
    const mask = i8x16.splat(<i8>flip);
    let m = i8x16.splat(<i8>best);
    for (; j + 16 <= n; j += 16) m = i8x16.max_s(m, v128.xor(v128.load(from + <usize>j), mask));
    m = i8x16.max_s(m, i64x2.shuffle(m, m, 1, 0));
    m = i8x16.max_s(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
    m = i8x16.max_s(m, i16x8.shuffle(m, m, 1, 0, 3, 2, 5, 4, 7, 6));
    best = max(<i32>i8x16.extract_lane_s(m, 0), <i32>i8x16.extract_lane_s(m, 1));
  }
  for (; j < n; j++) best = max(best, <i32>load<i8>(from + <usize>j) ^ flip);
  best ^= flip;
  store<i8>(acc, <i8>best);
}

// float32 MAX / MIN as TFLite compares: (in > acc) ? in : acc, and (in < acc) ? in : acc.
// @ts-ignore: decorator
@inline
function combine(op: i32, a: f32, x: f32): f32 {
  return op == SUM ? a + x : op == MAX ? (x > a ? x : a) : (x < a ? x : a);
}

// @ts-ignore: decorator
@inline
function combine4(op: i32, a: v128, x: v128): v128 {
  return op == SUM ? f32x4.add(a, x) : op == MAX ? f32x4.pmax(a, x) : f32x4.pmin(a, x);
}

function keptFloat(op: i32, from: usize, acc: usize, n: i32, vector: bool): void {
  let j = 0;
  if (vector) {
    for (; j + 4 <= n; j += 4) {
      const a = acc + (<usize>j << 2);
      v128.store(a, combine4(op, v128.load(a), v128.load(from + (<usize>j << 2))));
    }
  }
  for (; j < n; j++) {
    const a = acc + (<usize>j << 2);
    store<f32>(a, combine(op, load<f32>(a), load<f32>(from + (<usize>j << 2))));
  }
}

function reducedFloat(op: i32, from: usize, acc: usize, n: i32, vector: bool): void {
  let value = load<f32>(acc);
  let j = 0;
  if (vector && op != SUM && n >= 8) {
    // MIN is -MAX of the negated values, which keeps TFLite's comparisons exactly.
    const sign = op == MAX ? i32x4.splat(0) : i32x4.splat(0x80000000);
    let m = v128.xor(v128.load(from), sign);
    for (j = 4; j + 4 <= n; j += 4) m = f32x4.pmax(m, v128.xor(v128.load(from + (<usize>j << 2)), sign));
    m = f32x4.pmax(m, i64x2.shuffle(m, m, 1, 0));
    m = f32x4.pmax(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
    value = combine(op, value, f32x4.extract_lane(v128.xor(m, sign), 0));
  }
  for (; j < n; j++) value = combine(op, value, load<f32>(from + (<usize>j << 2)));
  store<f32>(acc, value);
}

function reduceRuns(paramsPtr: usize, vector: bool): void {
  const p = changetype<ReduceParams>(paramsPtr);
  initialize(p);
  const last = p.rank - 1;
  const n = dim(p, last);
  const kept = outStride(p, last) != 0;
  const int8 = p.type != FLOAT32, unsigned = p.type == BYTES_AS_UINT8;
  // Bytes per input value, and per accumulator value.
  const inBytes: usize = int8 ? 1 : 4;
  const accBytes: usize = int8 && p.op != SUM ? 1 : 4;
  let runs = 1;
  for (let k = 0; k < last; k++) runs *= dim(p, k);
  for (let r = 0; r < runs; r++) {
    let at = 0, rest = r;
    for (let k = last - 1; k >= 0; k--) {
      const d = dim(p, k);
      at += (rest % d) * outStride(p, k);
      rest /= d;
    }
    const from = <usize>p.input + <usize>r * <usize>n * inBytes;
    const acc = <usize>p.output + <usize>at * accBytes;
    if (int8) {
      if (kept) keptInt8(p.op, from, acc, n, unsigned, vector);
      else reducedInt8(p.op, from, acc, n, unsigned, vector);
    } else if (kept) {
      keptFloat(p.op, from, acc, n, vector);
    } else {
      reducedFloat(p.op, from, acc, n, vector);
    }
  }
}

export function reduce(paramsPtr: usize): void {
  reduceRuns(paramsPtr, true);
}

export function reduce_ref(paramsPtr: usize): void {
  reduceRuns(paramsPtr, false);
}

// ---- the outputs of SUM / MEAN from their accumulators -----------------------------------------
// type 0: int32 sums → 8 bits, reference_ops::QuantizedMeanOrSum:
//   out = clamp(MBQM(sum + sumOffset, multiplier, shift) + outputOffset, outputMin, outputMax)
// type 1: float32 MEAN in place: out = sum / divisor.

@unmanaged
export class ReduceFinishParams {
  input: i32; output: i32; count: i32; type: i32;
  sumOffset: i32; multiplier: i32; shift: i32; outputOffset: i32; outputMin: i32; outputMax: i32; divisor: f32;
}

export function reduce_finish(paramsPtr: usize): void {
  const p = changetype<ReduceFinishParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output;
  for (let i = 0; i < p.count; i++) {
    const from = input + (<usize>i << 2);
    if (p.type == INT8) {
      const value = multiplyByQuantizedMultiplier(load<i32>(from) + p.sumOffset, p.multiplier, p.shift) + p.outputOffset;
      store<i8>(output + <usize>i, <i8>min(max(value, p.outputMin), p.outputMax));
    } else {
      store<f32>(output + (<usize>i << 2), load<f32>(from) / p.divisor);
    }
  }
}
