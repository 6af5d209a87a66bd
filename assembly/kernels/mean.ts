// MEAN over the spatial axes, int8 activations.
// in: (N, H, W, C) int8   out: (N, C) int8 (keep_dims only changes the shape)
// sum = Σ_hw in + sumOffset; out = clamp((divide ? trunc(sum / (H*W)) : MBQM(sum)) + outputOffset).
// The host folds 1/(H*W) into the multiplier, as TFLite's QuantizedMeanOrSum does.
import { multiplyByQuantizedMultiplier } from "../requant";

@unmanaged
export class MeanParams {
  input: i32; batches: i32; height: i32; width: i32; channels: i32;
  output: i32;
  sumOffset: i32; divide: i32; multiplier: i32; shift: i32; outputOffset: i32;
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
      const value = p.divide ? sum / count : multiplyByQuantizedMultiplier(sum, p.multiplier, p.shift);
      store<i8>(<usize>p.output + <usize>(b * c + ch), <i8>min(max(value + p.outputOffset, -128), 127));
    }
  }
}
