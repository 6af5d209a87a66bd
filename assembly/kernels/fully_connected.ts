// FULLY_CONNECTED, and CONV_2D whose one output pixel's patch is its whole input (js/ops/conv2d.ts):
// int8 activations (uint8 models run shifted by -128), per-channel requantization.
// in: (N, K) int8   out: (N, Cout) int8   bias: (Cout) int32
// filter: packed int8 q = w - base (base 0 for int8 weights, 128 for uint8), rows in pairs:
//   (ceil(Cout/8), ceil(K/2), 8, 2), zero padded (assembly/kernels/pack.ts pack_fully_connected_filter).
// filterOffsets: (ceil(Cout/8)·8) int32 base - weightZeroPoint: the centred weight is q + offset.
//   Both are 0 for the channels whose output is constant (requantMode 1).
// requant: requantization table over ceil(Cout/8) blocks (assembly/requant.ts): requantMode 0, the
//   general one; 1, doubled accumulators (js/ops/weights.ts kernelRequant): here the activations
//   are doubled, not the weights; 2, scaled in f64 (FULLY_CONNECTED: TFLite's reference rounds
//   acc · scale[c] in double; CONV_2D keeps the fixed-point multipliers).
// scratch: ceil(K/2)·4 bytes: one row as int16 pairs (x + inputOffset)·s, s = 2 in requantMode 1.
import {
  DOUBLED_BLOCK_BYTES, REQUANT_BLOCK_BYTES, REQUANT_HEADER_BYTES, SCALED_BLOCK_BYTES, narrowClamp, requantizeBlock,
  requantizeDoubled, requantizeScaled, requantizeScaledToInt8, requantizeToInt8, storeBytes,
} from "../requant";

@unmanaged
export class FullyConnectedParams {
  input: i32; batches: i32; depth: i32; inputOffset: i32;
  filter: i32; filterOffsets: i32; bias: i32;
  output: i32; outputChannels: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  requant: i32; scratch: i32;
  /** As Conv2DParams.requantMode: 0 the general table; 1 doubled accumulators (doubled activations here); 2 scaled in f64. */
  requantMode: i32;
}

export function fully_connected_ref(paramsPtr: usize): void {
  const p = changetype<FullyConnectedParams>(paramsPtr);
  const depth = p.depth;
  const pairs = (depth + 1) >> 1;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const row = <usize>p.input + <usize>(b * depth);
    for (let oc = 0; oc < p.outputChannels; oc++) {
      const weights = <usize>p.filter + <usize>((oc >> 3) * pairs * 16 + (oc & 7) * 2);
      const offset = load<i32>(<usize>p.filterOffsets + (<usize>oc << 2));
      let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
      for (let k = 0; k < depth; k++) {
        const q = <i32>load<i8>(weights + <usize>((k >> 1) * 16 + (k & 1)));
        acc += (<i32>load<i8>(row + <usize>k) + p.inputOffset) * (q + offset);
      }
      if (p.requantMode == 2) {
        const scale = load<f64>(<usize>p.requant + (<usize>(oc >> 3)) * SCALED_BLOCK_BYTES + <usize>(32 + (oc & 7) * 8));
        store<i8>(out, requantizeScaledToInt8(acc, scale, p.outputOffset, p.activationMin, p.activationMax));
      } else {
        store<i8>(out, requantizeToInt8(acc,
          load<i32>(<usize>p.multipliers + (<usize>oc << 2)), load<i32>(<usize>p.shifts + (<usize>oc << 2)),
          p.outputOffset, p.activationMin, p.activationMax));
      }
      out++;
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Per row: the row goes to scratch as int16 pairs (x + inputOffset)·s, and S = Σ (x + inputOffset)·s.
// Then every tile of 8 output channels runs over the K/2 pairs: one broadcast pair and 16 bytes of
// weights (8 channels × 2, each half sign-extended to int16 by its load) make 2 dot16x2 into 2
// accumulators, which start from the doubled bias in requantMode 1 (2·acc: the s = 2 above); two
// pairs per step into two sets of accumulators (a flat loop: unrolling further measured slower). The
// weight offsets add offset·S, then the block is requantized, clamped and stored as in
// assembly/kernels/conv2d.ts. Everything wraps in int32, and the host's bounds keep the true
// accumulator (doubled) within int32, so the result is exact. Streaming the weights as int8 halves
// the bytes read per multiply-accumulate against the conv kernel's int16 (a lone pixel there is
// bound by memory bandwidth).

export function fully_connected(paramsPtr: usize): void {
  const p = changetype<FullyConnectedParams>(paramsPtr);
  const depth = p.depth;
  const outC = p.outputChannels;
  const pairs = (depth + 1) >> 1;
  const scratch = <usize>p.scratch;
  const doubled = p.requantMode == 1;
  const scaled = p.requantMode == 2;
  const shift = doubled ? 1 : 0;
  const inputOffset = i16x8.splat(<i16>p.inputOffset);
  const offset = i32x4.splat(p.outputOffset);
  const offset16 = i16x8.splat(<i16>p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const blockBytes = doubled ? DOUBLED_BLOCK_BYTES : scaled ? SCALED_BLOCK_BYTES : REQUANT_BLOCK_BYTES;
  const table = <usize>p.requant + (doubled ? REQUANT_HEADER_BYTES : 0);
  const signMask = v128.load(p.requant);
  const magic = v128.load(p.requant, 16);
  const zero = i32x4.splat(0);
  for (let b = 0; b < p.batches; b++) {
    const row = <usize>p.input + <usize>(b * depth);
    let sums = zero;
    let k = 0;
    for (; k + 8 <= depth; k += 8) {
      const x = i16x8.shl(i16x8.add(v128.load8x8_s(row + <usize>k), inputOffset), shift);
      v128.store(scratch + (<usize>k << 1), x);
      sums = i32x4.add(sums, i32x4.extadd_pairwise_i16x8_s(x));
    }
    let sum = i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 2) + i32x4.extract_lane(sums, 3);
    for (; k < depth; k++) {
      const x = (<i32>load<i8>(row + <usize>k) + p.inputOffset) << shift;
      store<i16>(scratch + (<usize>k << 1), x);
      sum += x;
    }
    // With odd K the last pair's second value is whatever scratch held: its weights are zero.
    const rowSum = i32x4.splat(sum);

    const out = <usize>p.output + <usize>(b * outC);
    let w = <usize>p.filter;
    let requant = table;
    let offsets = <usize>p.filterOffsets;
    for (let oc = 0; oc < outC; oc += 8) {
      let c0 = doubled || scaled ? v128.load(requant) : zero;
      let c1 = doubled || scaled ? v128.load(requant, 16) : zero;
      // Two pairs per step, into two sets of accumulators.
      let d0 = zero, d1 = zero;
      let a = scratch;
      let i = 0;
      for (; i + 2 <= pairs; i += 2) {
        const x0 = v128.load32_splat(a);
        const x1 = v128.load32_splat(a, 4);
        c0 = i32x4.add(c0, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w)));
        c1 = i32x4.add(c1, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w, 8)));
        d0 = i32x4.add(d0, i32x4.dot_i16x8_s(x1, v128.load8x8_s(w, 16)));
        d1 = i32x4.add(d1, i32x4.dot_i16x8_s(x1, v128.load8x8_s(w, 24)));
        a += 8;
        w += 32;
      }
      if (i < pairs) {
        const x = v128.load32_splat(a);
        c0 = i32x4.add(c0, i32x4.dot_i16x8_s(x, v128.load8x8_s(w)));
        c1 = i32x4.add(c1, i32x4.dot_i16x8_s(x, v128.load8x8_s(w, 8)));
        w += 16;
      }
      c0 = i32x4.add(c0, d0);
      c1 = i32x4.add(c1, d1);
      c0 = i32x4.add(c0, i32x4.mul(v128.load(offsets), rowSum));
      c1 = i32x4.add(c1, i32x4.mul(v128.load(offsets, 16), rowSum));
      let v: v128;
      if (doubled) v = requantizeDoubled(c0, c1, requant, signMask, magic, offset, offset16, false);
      else if (scaled) v = requantizeScaled(c0, c1, requant, offset16);
      else v = requantizeBlock(c0, c1, requant, offset, offset16);
      const bytes = narrowClamp(v, v, lo, hi);
      if (oc + 8 <= outC) v128.store64_lane(out + <usize>oc, bytes, 0);
      else storeBytes(out + <usize>oc, bytes, outC - oc);
      requant += blockBytes;
      offsets += 32;
    }
  }
}
