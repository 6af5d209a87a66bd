// Dynamic-range (hybrid) CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: float32 activations,
// constant int8 weights, through TFLite's hybrid arithmetic (tensor_utils portable
// SymmetricQuantizeFloats / AsymmetricQuantizeFloats, then integer accumulation scaled back to
// float; kernels/fully_connected.cc EvalHybridDense, conv.cc EvalHybrid / EvalHybridPerChannel,
// depthwise_conv.cc EvalHybridPerChannel).
//
// hybrid_quantize: in (rows, size) float32 → out (rows, size) int8, per row a scale (f32) and
//   an offset (i32, 0 when symmetric).
// hybrid_conv: in (N, H, W, C) int8 from hybrid_quantize (one row per image, or per FULLY_CONNECTED
//   row as N × 1 × 1 × K), filter int8 in the model's layout, out (N, OH, OW, Cout) float32:
//   out = clamp(bias[c] + acc · (scale[n] · channelScale[c])), acc = Σ w · (q - offset[n]) over
//   the taps inside the image (TFLite's zero padding, in the offset domain). Output channel c
//   reads input channels base(c) + [0, depth), base(c) = c / depthMultiplier (depthwise) or 0,
//   and weights filter[c · channelStride + tap · tapStride + i].

@unmanaged
export class HybridQuantizeParams {
  input: i32; rows: i32; size: i32; output: i32; scales: i32; offsets: i32;
  /** 1: AsymmetricQuantizeFloats; 0: SymmetricQuantizeFloats. */
  asymmetric: i32;
}

/** std::round on f32: ties away from zero. */
// @ts-ignore: decorator
@inline
function roundAwayF32(x: f32): f32 {
  const t = Mathf.trunc(x);
  return Mathf.abs(x - t) >= 0.5 ? t + copysign<f32>(1, x) : t;
}

/** static_cast<int32_t> of a rounded float, saturating instead of trapping. */
// @ts-ignore: decorator
@inline
function toInt(x: f32): i32 {
  return isNaN(x) ? 0 : <i32>max<f32>(min<f32>(x, 1e9), -1e9);
}

export function hybrid_quantize(paramsPtr: usize): void {
  const p = changetype<HybridQuantizeParams>(paramsPtr);
  const size = p.size;
  for (let r = 0; r < p.rows; r++) {
    const values = <usize>p.input + (<usize>(r * size) << 2);
    const out = <usize>p.output + <usize>(r * size);
    let lo = load<f32>(values), hi = lo;
    for (let i = 1; i < size; i++) {
      const v = load<f32>(values + (<usize>i << 2));
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    let scale: f32 = 1;
    let offset: i32 = 0;
    let inverse: f32 = 0;
    let qmin: i32 = -127;
    if (p.asymmetric) {
      qmin = -128;
      const rmin = <f64>min<f32>(0, lo), rmax = <f64>max<f32>(0, hi);
      if (rmin != rmax) {
        const s = (rmax - rmin) / 255.0;
        const fromMin = -128.0 - rmin / s, fromMax = 127.0 - rmax / s;
        const zero = 128.0 + Math.abs(rmin / s) < 127.0 + Math.abs(rmax / s) ? fromMin : fromMax;
        if (zero <= -128.0) offset = -128;
        else if (zero >= 127.0) offset = 127;
        else { const t = Math.trunc(zero); offset = <i32>(Math.abs(zero - t) >= 0.5 ? t + copysign<f64>(1, zero) : t); }
        scale = <f32>s;
        inverse = <f32>1 / scale;
      }
    } else {
      const range = max<f32>(Mathf.abs(lo), Mathf.abs(hi));
      if (range != 0) {
        scale = range / <f32>127;
        inverse = <f32>127 / range;
      }
    }
    // A zero range quantizes every value to 0 (inverse 0).
    for (let i = 0; i < size; i++) {
      const q = toInt(roundAwayF32(<f32>offset + load<f32>(values + (<usize>i << 2)) * inverse));
      store<i8>(out + <usize>i, <i8>min(max(q, qmin), 127));
    }
    store<f32>(<usize>p.scales + (<usize>r << 2), scale);
    store<i32>(<usize>p.offsets + (<usize>r << 2), offset);
  }
}

@unmanaged
export class HybridConvParams {
  input: i32; scales: i32; offsets: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32;
  filter: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32; filterHeight: i32; filterWidth: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  depth: i32; depthMultiplier: i32; channelStride: i32; tapStride: i32;
  channelScales: i32; bias: i32; activationMin: f32; activationMax: f32; output: i32;
}

/**
 * Σ w[i] · (q[i] - offset) over `depth` values; with `simd` eight at a time (q - offset and w fit
 * int16, so i32x4.dot_i16x8_s is exact), then one by one.
 */
// @ts-ignore: decorator
@inline
function dot(weights: usize, pixel: usize, depth: i32, offset: i32, simd: bool): i32 {
  let acc: i32 = 0;
  let i = 0;
  if (simd) {
    const offset16 = i16x8.splat(<i16>offset);
    let sums = i32x4.splat(0);
    for (; i + 8 <= depth; i += 8) {
      const q = i16x8.sub(v128.load8x8_s(pixel + <usize>i), offset16);
      sums = i32x4.add(sums, i32x4.dot_i16x8_s(v128.load8x8_s(weights + <usize>i), q));
    }
    acc = i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 2) + i32x4.extract_lane(sums, 3);
  }
  for (; i < depth; i++) acc += <i32>load<i8>(weights + <usize>i) * (<i32>load<i8>(pixel + <usize>i) - offset);
  return acc;
}

// @ts-ignore: decorator
@inline
function hybridConv(p: HybridConvParams, simd: bool): void {
  const inH = p.inputHeight, inW = p.inputWidth, inC = p.inputChannels, depth = p.depth;
  let out = <usize>p.output;
  for (let n = 0; n < p.batches; n++) {
    const image = <usize>p.input + <usize>(n * inH * inW * inC);
    const offset = load<i32>(<usize>p.offsets + (<usize>n << 2));
    const scale = load<f32>(<usize>p.scales + (<usize>n << 2));
    for (let oy = 0; oy < p.outputHeight; oy++) {
      for (let ox = 0; ox < p.outputWidth; ox++) {
        for (let c = 0; c < p.outputChannels; c++) {
          const base = p.depthMultiplier > 0 ? c / p.depthMultiplier : 0;
          const weights = <usize>p.filter + <usize>(c * p.channelStride);
          let acc: i32 = 0;
          for (let fy = 0; fy < p.filterHeight; fy++) {
            const y = oy * p.strideHeight - p.padTop + fy * p.dilationHeight;
            if (y < 0 || y >= inH) continue;
            for (let fx = 0; fx < p.filterWidth; fx++) {
              const x = ox * p.strideWidth - p.padLeft + fx * p.dilationWidth;
              if (x < 0 || x >= inW) continue;
              acc += dot(weights + <usize>((fy * p.filterWidth + fx) * p.tapStride), image + <usize>((y * inW + x) * inC + base), depth, offset, simd);
            }
          }
          const channelScale = load<f32>(<usize>p.channelScales + (<usize>c << 2));
          const value = load<f32>(<usize>p.bias + (<usize>c << 2)) + <f32>acc * (scale * channelScale);
          store<f32>(out, min<f32>(max<f32>(value, p.activationMin), p.activationMax));
          out += 4;
        }
      }
    }
  }
}

/** The scalar kernel. */
export function hybrid_conv_ref(paramsPtr: usize): void {
  hybridConv(changetype<HybridConvParams>(paramsPtr), false);
}

/** The v128 kernel: taps of 8 or more input channels (CONV_2D, FULLY_CONNECTED) eight at a time. */
export function hybrid_conv(paramsPtr: usize): void {
  hybridConv(changetype<HybridConvParams>(paramsPtr), true);
}
