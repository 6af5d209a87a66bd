// FULLY_CONNECTED, int8 activations, per-output-channel requantization (per-tensor = all equal).
// in: (N, K) int8   filter: (Cout, K) int16 = weight - weightZeroPoint   bias: (Cout) int32
// out: (N, Cout) int8
// requant: vector requantization table, ceil(Cout/8) blocks (assembly/requant.ts).
import { REQUANT_BLOCK_BYTES, REQUANT_QUAD_BYTES, packInt8, requantizeQuad, requantizeToInt8, storeBytes } from "../requant";

@unmanaged
export class FullyConnectedParams {
  input: i32; batches: i32; depth: i32; inputOffset: i32;
  filter: i32; bias: i32;
  output: i32; outputChannels: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  requant: i32;
}

export function fully_connected_ref(paramsPtr: usize): void {
  const p = changetype<FullyConnectedParams>(paramsPtr);
  const k = p.depth;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const row = <usize>p.input + <usize>(b * k);
    for (let oc = 0; oc < p.outputChannels; oc++) {
      const weights = <usize>p.filter + (<usize>(oc * k) << 1);
      let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
      for (let i = 0; i < k; i++) {
        acc += (<i32>load<i8>(row + <usize>i) + p.inputOffset) * <i32>load<i16>(weights + (<usize>i << 1));
      }
      store<i8>(out, requantizeToInt8(acc,
        load<i32>(<usize>p.multipliers + (<usize>oc << 2)), load<i32>(<usize>p.shifts + (<usize>oc << 2)),
        p.outputOffset, p.activationMin, p.activationMax));
      out++;
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Four output channels at a time: 8 inputs widened to int16 (+ offset) per step, one dot16x2
// per channel, the four accumulators summed horizontally into one i32x4 and requantized
// together (always the general requantization step). K % 8 inputs go through scalar code; a
// last partial group repeats its last channel and stores only the valid bytes.

export function fully_connected(paramsPtr: usize): void {
  const p = changetype<FullyConnectedParams>(paramsPtr);
  const depth = p.depth;
  const outC = p.outputChannels;
  const rowBytes = <usize>depth << 1;
  const inputOffset = i16x8.splat(<i16>p.inputOffset);
  const offset = i32x4.splat(p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const vectorDepth = depth & ~7;
  for (let b = 0; b < p.batches; b++) {
    const row = <usize>p.input + <usize>(b * depth);
    const out = <usize>p.output + <usize>(b * outC);
    for (let oc = 0; oc < outC; oc += 4) {
      const last = outC - 1;
      const w0 = <usize>p.filter + <usize>oc * rowBytes;
      const w1 = <usize>p.filter + <usize>min(oc + 1, last) * rowBytes;
      const w2 = <usize>p.filter + <usize>min(oc + 2, last) * rowBytes;
      const w3 = <usize>p.filter + <usize>min(oc + 3, last) * rowBytes;
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      for (let k = 0; k < vectorDepth; k += 8) {
        const x = i16x8.add(i16x8.extend_low_i8x16_s(v128.load64_zero(row + <usize>k)), inputOffset);
        const at = <usize>k << 1;
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x, v128.load(w0 + at)));
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x, v128.load(w1 + at)));
        a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x, v128.load(w2 + at)));
        a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x, v128.load(w3 + at)));
      }
      // Horizontal sums: lane j = Σ a_j.
      const s01 = i32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
      const s23 = i32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
      let acc = i32x4.add(i32x4.shuffle(s01, s23, 0, 1, 4, 5), i32x4.shuffle(s01, s23, 2, 3, 6, 7));
      if (vectorDepth < depth) {
        let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (let k = vectorDepth; k < depth; k++) {
          const x = <i32>load<i8>(row + <usize>k) + p.inputOffset;
          const at = <usize>k << 1;
          t0 += x * <i32>load<i16>(w0 + at);
          t1 += x * <i32>load<i16>(w1 + at);
          t2 += x * <i32>load<i16>(w2 + at);
          t3 += x * <i32>load<i16>(w3 + at);
        }
        acc = i32x4.add(acc, i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(t0), 1, t1), 2, t2), 3, t3));
      }
      const quad = <usize>p.requant + <usize>(oc >> 3) * REQUANT_BLOCK_BYTES + <usize>((oc >> 2) & 1) * REQUANT_QUAD_BYTES;
      const r = requantizeQuad(acc, quad);
      storeBytes(out + <usize>oc, packInt8(r, r, r, r, offset, lo, hi), min(outC - oc, 4));
    }
  }
}
