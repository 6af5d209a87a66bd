// QUANTIZE float32 → int8 (uint8 models run shifted by -128), TFLite's AffineQuantize:
// out = clamp(round_half_away(in / scale) + zeroPoint, -128, 127), division in float32.
// in: (count) float32   out: (count) int8

export function quantize_float32(input: usize, output: usize, count: i32, scale: f32, zeroPoint: i32): void {
  for (let i = 0; i < count; i++) {
    const x = load<f32>(input + (<usize>i << 2)) / scale;
    let rounded = Mathf.trunc(x);
    if (Mathf.abs(x - rounded) >= 0.5) rounded += Mathf.sign(x);
    // NaN and out-of-range values saturate instead of trapping.
    const value = isFinite(rounded) ? <i32>max<f32>(min<f32>(rounded, 1e9), -1e9) : (rounded > 0 ? 127 : -128);
    store<i8>(output + <usize>i, <i8>min(max(value + zeroPoint, -128), 127));
  }
}
