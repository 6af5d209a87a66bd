// QUANTIZE float32 → int8 (uint8 models run shifted by -128), TFLite's AffineQuantize:
// out = clamp(round_half_away(in / scale) + zeroPoint, -128, 127), division in float32.
// in: (count) float32   out: (count) int8

@unmanaged
export class QuantizeParams {
  input: i32; output: i32; count: i32; scale: f32; zeroPoint: i32;
}

export function quantize_float32(paramsPtr: usize): void {
  const p = changetype<QuantizeParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, scale = p.scale, zeroPoint = p.zeroPoint;
  for (let i = 0; i < p.count; i++) {
    const x = load<f32>(input + (<usize>i << 2)) / scale;
    let rounded = Mathf.trunc(x);
    if (Mathf.abs(x - rounded) >= 0.5) rounded += Mathf.sign(x);
    // NaN and out-of-range values saturate instead of trapping.
    const value = isFinite(rounded) ? <i32>max<f32>(min<f32>(rounded, 1e9), -1e9) : (rounded > 0 ? 127 : -128);
    store<i8>(output + <usize>i, <i8>min(max(value + zeroPoint, -128), 127));
  }
}
