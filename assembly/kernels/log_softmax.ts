// LOG_SOFTMAX over the last axis, float32, as TFLite's reference_ops::LogSoftmax:
// in: (rows, depth) f32   out: (rows, depth) f32
// out_c = x_c - max - log(Σ exp(x_c - max)), the sum in float32 in order c; exp is
// assembly/f32.ts expf, log is Mathf.log.
import { expf } from "../f32";

@unmanaged
export class LogSoftmaxParams {
  input: i32; output: i32; rows: i32; depth: i32;
}

export function log_softmax_f32(paramsPtr: usize): void {
  const p = changetype<LogSoftmaxParams>(paramsPtr);
  const depth = p.depth;
  for (let r = 0; r < p.rows; r++) {
    const row = <usize>p.input + (<usize>(r * depth) << 2);
    const outRow = <usize>p.output + (<usize>(r * depth) << 2);
    let maxInRow: f32 = -3.40282347e38;
    for (let c = 0; c < depth; c++) maxInRow = max<f32>(maxInRow, load<f32>(row + (<usize>c << 2)));
    let sum: f32 = 0;
    for (let c = 0; c < depth; c++) sum += expf(load<f32>(row + (<usize>c << 2)) - maxInRow);
    const logSum = Mathf.log(sum);
    for (let c = 0; c < depth; c++) store<f32>(outRow + (<usize>c << 2), load<f32>(row + (<usize>c << 2)) - maxInRow - logSum);
  }
}
