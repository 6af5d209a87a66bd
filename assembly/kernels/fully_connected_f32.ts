// FULLY_CONNECTED, float32 (TFLite's reference_ops::FullyConnected for float).
// in: (N, K) f32   out: (N, Cout) f32   bias: (ceil(Cout/8)·8) f32, zero padded
// filter: packed (ceil(Cout/8), K, 8) f32 (js/ops/weights.ts packTilesF32; assembly/f32.ts).
// out = clamp(Σ_k x·w + bias), the sum from +0 in ascending k.
import { clampF32, dotRows4, tileWeight } from "../f32";

@unmanaged
export class FullyConnectedF32Params {
  input: i32; batches: i32; depth: i32; filter: i32; bias: i32;
  output: i32; outputChannels: i32; activationMin: f32; activationMax: f32;
}

export function fully_connected_f32_ref(paramsPtr: usize): void {
  const p = changetype<FullyConnectedF32Params>(paramsPtr);
  const depth = p.depth;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const row = <usize>p.input + (<usize>(b * depth) << 2);
    for (let oc = 0; oc < p.outputChannels; oc++) {
      let acc: f32 = 0;
      for (let k = 0; k < depth; k++) acc += load<f32>(row + (<usize>k << 2)) * tileWeight(p.filter, depth, oc, k);
      store<f32>(out, clampF32(acc + load<f32>(<usize>p.bias + (<usize>oc << 2)), p.activationMin, p.activationMax));
      out += 4;
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Groups of 4 input rows against tiles of 8 output channels (dotRows4); a last group of fewer
// rows repeats its last row and stores only the valid ones.

export function fully_connected_f32(paramsPtr: usize): void {
  const p = changetype<FullyConnectedF32Params>(paramsPtr);
  const rowBytes = <usize>p.depth << 2;
  const outRowBytes = <usize>p.outputChannels << 2;
  for (let b = 0; b < p.batches; b += 4) {
    const n = min(p.batches - b, 4);
    const base = <usize>p.input + <usize>b * rowBytes;
    const last = <usize>(n - 1) * rowBytes;
    dotRows4(base, base + min<usize>(rowBytes, last), base + min<usize>(2 * rowBytes, last), base + min<usize>(3 * rowBytes, last),
      n, p.depth, <usize>p.filter, <usize>p.bias, p.outputChannels, p.activationMin, p.activationMax, <usize>p.output + <usize>b * outRowBytes, outRowBytes);
  }
}
