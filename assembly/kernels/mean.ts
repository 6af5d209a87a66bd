// MEAN over the spatial axes, int8 activations.
// in: (N, H, W, C) int8   out: (N, C) int8 (keep_dims only changes the shape)
// sum = Σ_hw in + sumOffset; out = clamp(MBQM(sum) + outputOffset).
// The host folds 1/(H*W) into the multiplier, as TFLite's QuantizedMeanOrSum does.
import { multiplyByQuantizedMultiplier } from "../requant";

@unmanaged
export class MeanParams {
  input: i32; batches: i32; height: i32; width: i32; channels: i32;
  output: i32;
  sumOffset: i32; multiplier: i32; shift: i32; outputOffset: i32;
}

// @ts-ignore: decorator
@inline
function finish(p: MeanParams, sum: i32): i8 {
  const value = multiplyByQuantizedMultiplier(sum, p.multiplier, p.shift);
  return <i8>min(max(value + p.outputOffset, -128), 127);
}

export function mean_ref(paramsPtr: usize): void {
  const p = changetype<MeanParams>(paramsPtr);
  const c = p.channels;
  const count = p.height * p.width;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * count * c);
    for (let ch = 0; ch < c; ch++) {
      let sum: i32 = p.sumOffset;
      for (let i = 0; i < count; i++) {
        sum += <i32>load<i8>(inputBatch + <usize>(i * c + ch));
      }
      store<i8>(<usize>p.output + <usize>(b * c + ch), finish(p, sum));
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// 16 channels at a time: int16 partial sums over runs of at most 256 pixels (|sum| ≤ 2^15),
// widened into int32 sums; the per-channel requantization is scalar (C values per
// image). The last C % 16 channels run the scalar code.

export function mean(paramsPtr: usize): void {
  const p = changetype<MeanParams>(paramsPtr);
  const c = p.channels;
  const count = p.height * p.width;
  const vectorC = c & ~15;
  const stride = <usize>c;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * count * c);
    const out = <usize>p.output + <usize>(b * c);
    for (let ch = 0; ch < vectorC; ch += 16) {
      let s0 = i32x4.splat(p.sumOffset), s1 = s0, s2 = s0, s3 = s0;
      let at = inputBatch + <usize>ch;
      for (let start = 0; start < count; start += 256) {
        const end = min(start + 256, count);
        let low = i16x8.splat(0), high = i16x8.splat(0);
        for (let i = start; i < end; i++) {
          const x = v128.load(at);
          low = i16x8.add(low, i16x8.extend_low_i8x16_s(x));
          high = i16x8.add(high, i16x8.extend_high_i8x16_s(x));
          at += stride;
        }
        s0 = i32x4.add(s0, i32x4.extend_low_i16x8_s(low));
        s1 = i32x4.add(s1, i32x4.extend_high_i16x8_s(low));
        s2 = i32x4.add(s2, i32x4.extend_low_i16x8_s(high));
        s3 = i32x4.add(s3, i32x4.extend_high_i16x8_s(high));
      }
      const o = out + <usize>ch;
      store<i8>(o, finish(p, i32x4.extract_lane(s0, 0)), 0);
      store<i8>(o, finish(p, i32x4.extract_lane(s0, 1)), 1);
      store<i8>(o, finish(p, i32x4.extract_lane(s0, 2)), 2);
      store<i8>(o, finish(p, i32x4.extract_lane(s0, 3)), 3);
      store<i8>(o, finish(p, i32x4.extract_lane(s1, 0)), 4);
      store<i8>(o, finish(p, i32x4.extract_lane(s1, 1)), 5);
      store<i8>(o, finish(p, i32x4.extract_lane(s1, 2)), 6);
      store<i8>(o, finish(p, i32x4.extract_lane(s1, 3)), 7);
      store<i8>(o, finish(p, i32x4.extract_lane(s2, 0)), 8);
      store<i8>(o, finish(p, i32x4.extract_lane(s2, 1)), 9);
      store<i8>(o, finish(p, i32x4.extract_lane(s2, 2)), 10);
      store<i8>(o, finish(p, i32x4.extract_lane(s2, 3)), 11);
      store<i8>(o, finish(p, i32x4.extract_lane(s3, 0)), 12);
      store<i8>(o, finish(p, i32x4.extract_lane(s3, 1)), 13);
      store<i8>(o, finish(p, i32x4.extract_lane(s3, 2)), 14);
      store<i8>(o, finish(p, i32x4.extract_lane(s3, 3)), 15);
    }
    for (let ch = vectorC; ch < c; ch++) {
      let sum: i32 = p.sumOffset;
      for (let i = 0; i < count; i++) sum += <i32>load<i8>(inputBatch + <usize>(i * c + ch));
      store<i8>(out + <usize>ch, finish(p, sum));
    }
  }
}
