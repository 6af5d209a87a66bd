// FULLY_CONNECTED, int8 activations, per-output-channel requantization (per-tensor = all equal).
// in: (N, K) int8   filter: (Cout, K) int16 = weight - weightZeroPoint   bias: (Cout) int32
// out: (N, Cout) int8
import { requantizeToInt8 } from "../requant";

@unmanaged
export class FullyConnectedParams {
  input: i32; batches: i32; depth: i32; inputOffset: i32;
  filter: i32; bias: i32;
  output: i32; outputChannels: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
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
