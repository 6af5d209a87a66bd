// Load-time per-channel requantization multipliers, in wasm: thousands of channels of double
// arithmetic would run in JavaScript's interpreter at load, boxing every intermediate.
// in: filterScales (one, or one per channel) float32   out: multipliers, shifts (channels) int32

/**
 * TFLite's QuantizeMultiplier (quantization_util.cc) of real > 0 (or 0, or +∞): real =
 * multiplier · 2^(shift - 31) with multiplier in [2^30, 2^31), from frexp and std::round; shifts
 * below -31 give (0, 0) and above 30 (2^31 - 1, 30). The same as quantizeMultiplier in
 * js/ops/quantization.ts, which the tests compare it with.
 */
// @ts-ignore: decorator
@inline
function quantizeMultiplier(real: f64, multiplier: usize, shift: usize): void {
  const bits = reinterpret<u64>(real);
  const exponent = <i32>(bits >> 52) & 0x7ff;
  if (exponent == 0) { // 0 or subnormal: shift < -31
    store<i32>(multiplier, 0);
    store<i32>(shift, 0);
    return;
  }
  let s = exponent - 1022; // real = fraction · 2^s, fraction in [0.5, 1)
  const fraction = reinterpret<f64>((bits & 0x800fffffffffffff) | (<u64>1022 << 52));
  let fixed = <i64>Math.floor(fraction * 2147483648.0 + 0.5); // exact: fraction · 2^31 has ulp ≤ 2^-22
  if (fixed == 2147483648) { fixed >>= 1; s++; }
  if (s < -31) { fixed = 0; s = 0; }
  if (s > 30) { fixed = 2147483647; s = 30; }
  store<i32>(multiplier, <i32>fixed);
  store<i32>(shift, s);
}

/**
 * Per output channel c: QuantizeMultiplier of s_in · s_filter[c] / s_out, the product in double
 * (int8 activations: PopulateConvolutionQuantizationParams) or rounded to float32 when
 * floatProduct (uint8, per-tensor FULLY_CONNECTED: GetQuantizedConvolutionMultipler);
 * s_filter[c] is filterScales[0] unless perChannel.
 */
export function channel_multipliers(
  inputScale: f64, filterScales: usize, perChannel: bool, outputScale: f64, floatProduct: bool,
  multipliers: usize, shifts: usize, channels: i32,
): void {
  for (let c = 0; c < channels; c++) {
    const filterScale = <f64>load<f32>(filterScales + (perChannel ? <usize>c << 2 : 0));
    const product = inputScale * filterScale;
    const real = (floatProduct ? <f64><f32>product : product) / outputScale;
    quantizeMultiplier(real, multipliers + (<usize>c << 2), shifts + (<usize>c << 2));
  }
}
