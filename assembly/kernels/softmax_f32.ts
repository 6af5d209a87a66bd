// SOFTMAX over the last axis, float32 (TFLite's reference_ops::Softmax for float):
// in: (rows, depth) f32   out: (rows, depth) f32
// e_c = exp((x_c - max) · beta), out_c = e_c / float32(Σ e), as TFLite's reference but with the
// sum in float64 (in order c): in float32, a row with one dominant class would drop every small
// term (1 + 1e-8 = 1) and lose up to depth/2 ulp. exp is assembly/f32.ts expf, whose v128
// version gives the same bits lane for lane.
import { expf, expf4 } from "../f32";

@unmanaged
export class SoftmaxF32Params {
  input: i32; output: i32; rows: i32; depth: i32; beta: f32;
}

const LOWEST: f32 = -3.40282347e38;

export function softmax_f32_ref(paramsPtr: usize): void {
  const p = changetype<SoftmaxF32Params>(paramsPtr);
  const depth = p.depth;
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + (<usize>(r * depth) << 2);
    const outRow = <usize>p.output + (<usize>(r * depth) << 2);
    let maxInRow = LOWEST;
    for (let c = 0; c < depth; c++) maxInRow = max<f32>(maxInRow, load<f32>(row + (<usize>c << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < depth; c++) {
      const e = expf((load<f32>(row + (<usize>c << 2)) - maxInRow) * p.beta);
      store<f32>(outRow + (<usize>c << 2), e);
      sum += <f64>e;
    }
    const total = <f32>sum;
    for (let c = 0; c < depth; c++) store<f32>(outRow + (<usize>c << 2), load<f32>(outRow + (<usize>c << 2)) / total);
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// The maximum (order does not matter) and the exps 4 at a time; the sum adds the four lanes in
// order, so that it is the reference's sum; the last depth % 4 values run the scalar code.

export function softmax_f32(paramsPtr: usize): void {
  const p = changetype<SoftmaxF32Params>(paramsPtr);
  const depth = p.depth;
  const vectorDepth = <usize>(depth & ~3) << 2;
  const end = <usize>depth << 2;
  const beta = f32x4.splat(p.beta);
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + (<usize>(r * depth) << 2);
    const outRow = <usize>p.output + (<usize>(r * depth) << 2);
    let vmax = f32x4.splat(LOWEST);
    let at: usize = 0;
    for (; at < vectorDepth; at += 16) vmax = f32x4.max(vmax, v128.load(row + at));
    let maxInRow = max<f32>(max<f32>(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)),
      max<f32>(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; at < end; at += 4) maxInRow = max<f32>(maxInRow, load<f32>(row + at));

    const vmaxInRow = f32x4.splat(maxInRow);
    let sum: f64 = 0;
    for (at = 0; at < vectorDepth; at += 16) {
      const e = expf4(f32x4.mul(f32x4.sub(v128.load(row + at), vmaxInRow), beta));
      v128.store(outRow + at, e);
      sum += <f64>f32x4.extract_lane(e, 0);
      sum += <f64>f32x4.extract_lane(e, 1);
      sum += <f64>f32x4.extract_lane(e, 2);
      sum += <f64>f32x4.extract_lane(e, 3);
    }
    for (; at < end; at += 4) {
      const e = expf((load<f32>(row + at) - maxInRow) * p.beta);
      store<f32>(outRow + at, e);
      sum += <f64>e;
    }
    const total = <f32>sum;
    const vtotal = f32x4.splat(total);
    for (at = 0; at < vectorDepth; at += 16) v128.store(outRow + at, f32x4.div(v128.load(outRow + at), vtotal));
    for (; at < end; at += 4) store<f32>(outRow + at, load<f32>(outRow + at) / total);
  }
}
