// MEAN over the spatial axes, float32:
// in: (N, H, W, C) f32   out: (N, C) f32 (keep_dims only changes the shape)
// out = float32((Σ_hw in) / (H·W)) with the sum in float64, from +0 in pixel order. TFLite's
// reference sums in float32, whose error grows with H·W and with cancellation; the float64 sum
// keeps the mean within an ulp (MEAN runs once per model: the cost does not show).

@unmanaged
export class MeanF32Params {
  input: i32; batches: i32; height: i32; width: i32; channels: i32; output: i32;
}

export function mean_f32_ref(paramsPtr: usize): void {
  const p = changetype<MeanF32Params>(paramsPtr);
  const c = p.channels;
  const count = p.height * p.width;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + (<usize>(b * count * c) << 2);
    for (let ch = 0; ch < c; ch++) {
      let sum: f64 = 0;
      for (let i = 0; i < count; i++) sum += <f64>load<f32>(inputBatch + (<usize>(i * c + ch) << 2));
      store<f32>(<usize>p.output + (<usize>(b * c + ch) << 2), <f32>(sum / <f64>count));
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// 4 channels at a time as two f64x2 sums; the last C % 4 channels run the scalar code.

export function mean_f32(paramsPtr: usize): void {
  const p = changetype<MeanF32Params>(paramsPtr);
  const c = p.channels;
  const count = p.height * p.width;
  const divisor = f64x2.splat(<f64>count);
  const stride = <usize>c << 2;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * count) * stride;
    const out = <usize>p.output + <usize>b * stride;
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      let low = f64x2.splat(0), high = f64x2.splat(0);
      let at = inputBatch + (<usize>ch << 2);
      for (let i = 0; i < count; i++) {
        const x = v128.load(at);
        low = f64x2.add(low, f64x2.promote_low_f32x4(x));
        high = f64x2.add(high, f64x2.promote_low_f32x4(i64x2.shuffle(x, x, 1, 1)));
        at += stride;
      }
      const l = f32x4.demote_f64x2_zero(f64x2.div(low, divisor));
      const h = f32x4.demote_f64x2_zero(f64x2.div(high, divisor));
      v128.store(out + (<usize>ch << 2), i64x2.shuffle(l, h, 0, 2));
    }
    for (; ch < c; ch++) {
      let sum: f64 = 0;
      for (let i = 0; i < count; i++) sum += <f64>load<f32>(inputBatch + <usize>i * stride + (<usize>ch << 2));
      store<f32>(out + (<usize>ch << 2), <f32>(sum / <f64>count));
    }
  }
}
