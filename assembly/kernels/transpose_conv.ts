// TRANSPOSE_CONV, scattered as TFLite's reference kernels do: every input pixel adds its
// contribution to the output pixels its filter taps reach.
// in (N, H, W, I)   filter (KH, KW, O, Ipad) packed by the host   out (N, OH, OW, O)
// out pixel (iy·strideH − padTop + fy, ix·strideW − padLeft + fx) += Σ_i in[i] · filter[fy, fx, o, i]
// 8-bit (transpose_conv): int16 (in + inputOffset) against int16 (filter − filter zero point), Ipad
//   a multiple of 8, summed into int32 accumulators (scratch), then + bias, requantized per
//   channel, + outputOffset, clamped. Integer sums: every order gives the same result.
// float32 (transpose_conv_f32): the sums go straight to the output, then + bias, clamped; Ipad is
//   a multiple of 4, the v128 dot keeps its 4 lanes as the scalar one keeps 4 partial sums.
import { requantizeToInt8 } from "../requant";

@unmanaged
export class TransposeConvParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; paddedChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; padTop: i32; padLeft: i32;
  bias: i32; multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  /** int32 accumulators (N·OH·OW·O), then the widened input pixel (Ipad int16). */
  scratch: i32;
}

// @ts-ignore: decorator
@inline
function dotRef(a: usize, b: usize, n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += <i32>load<i16>(a + (<usize>i << 1)) * <i32>load<i16>(b + (<usize>i << 1));
  return sum;
}

// @ts-ignore: decorator
@inline
function dotV(a: usize, b: usize, n: i32): i32 {
  let sum = i32x4.splat(0);
  for (let i = 0; i < n; i += 8) {
    const k = <usize>i << 1;
    sum = i32x4.add(sum, i32x4.dot_i16x8_s(v128.load(a + k), v128.load(b + k)));
  }
  return i32x4.extract_lane(sum, 0) + i32x4.extract_lane(sum, 1) + i32x4.extract_lane(sum, 2) + i32x4.extract_lane(sum, 3);
}

/** The dot products of the pixel with 4 consecutive filter rows (n int16 apart), as 4 lanes. */
// @ts-ignore: decorator
@inline
function dot4(a: usize, b: usize, n: i32): v128 {
  const row = <usize>n << 1;
  let s0 = i32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (let i = 0; i < n; i += 8) {
    const k = <usize>i << 1;
    const x = v128.load(a + k);
    s0 = i32x4.add(s0, i32x4.dot_i16x8_s(x, v128.load(b + k)));
    s1 = i32x4.add(s1, i32x4.dot_i16x8_s(x, v128.load(b + row + k)));
    s2 = i32x4.add(s2, i32x4.dot_i16x8_s(x, v128.load(b + 2 * row + k)));
    s3 = i32x4.add(s3, i32x4.dot_i16x8_s(x, v128.load(b + 3 * row + k)));
  }
  const u0 = i32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const u1 = i32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return i32x4.add(i32x4.shuffle(u0, u1, 0, 1, 4, 5), i32x4.shuffle(u0, u1, 2, 3, 6, 7));
}

/** The scatter and requantization; `simd` picks the dot product (a constant: two copies). */
// @ts-ignore: decorator
@inline
function transposeConv(p: TransposeConvParams, simd: bool): void {
  const inC = p.inputChannels, padC = p.paddedChannels, outC = p.outputChannels;
  const outH = p.outputHeight, outW = p.outputWidth;
  const acc = <usize>p.scratch;
  const count = p.batches * outH * outW * outC;
  const pixel = acc + (<usize>count << 2);
  memory.fill(acc, 0, (<usize>count << 2) + (<usize>padC << 1));
  const tapBytes = <usize>(outC * padC) << 1;
  let input = <usize>p.input;
  for (let b = 0; b < p.batches; b++) {
    for (let iy = 0; iy < p.inputHeight; iy++) {
      for (let ix = 0; ix < p.inputWidth; ix++) {
        for (let i = 0; i < inC; i++) store<i16>(pixel + (<usize>i << 1), <i16>(<i32>load<i8>(input + <usize>i) + p.inputOffset));
        input += <usize>inC;
        for (let fy = 0; fy < p.filterHeight; fy++) {
          const oy = iy * p.strideHeight - p.padTop + fy;
          if (oy < 0 || oy >= outH) continue;
          for (let fx = 0; fx < p.filterWidth; fx++) {
            const ox = ix * p.strideWidth - p.padLeft + fx;
            if (ox < 0 || ox >= outW) continue;
            const sums = acc + (<usize>(((b * outH + oy) * outW + ox) * outC) << 2);
            let w = <usize>p.filter + <usize>(fy * p.filterWidth + fx) * tapBytes;
            let o = 0;
            if (simd) {
              for (; o + 4 <= outC; o += 4) {
                const at = sums + (<usize>o << 2);
                v128.store(at, i32x4.add(v128.load(at), dot4(pixel, w, padC)));
                w += <usize>padC << 3;
              }
            }
            for (; o < outC; o++) {
              const at = sums + (<usize>o << 2);
              store<i32>(at, load<i32>(at) + (simd ? dotV(pixel, w, padC) : dotRef(pixel, w, padC)));
              w += <usize>padC << 1;
            }
          }
        }
      }
    }
  }
  for (let e = 0; e < count; e++) {
    const o = <usize>(e % outC) << 2;
    const sum = load<i32>(acc + (<usize>e << 2)) + load<i32>(<usize>p.bias + o);
    store<i8>(<usize>p.output + <usize>e,
      requantizeToInt8(sum, load<i32>(<usize>p.multipliers + o), load<i32>(<usize>p.shifts + o), p.outputOffset, p.activationMin, p.activationMax));
  }
}

export function transpose_conv_ref(paramsPtr: usize): void {
  transposeConv(changetype<TransposeConvParams>(paramsPtr), false);
}

// v128: 8 input channels per i32x4.dot_i16x8_s (the host pads I to a multiple of 8 with zeros),
// 4 output channels at a time.
export function transpose_conv(paramsPtr: usize): void {
  transposeConv(changetype<TransposeConvParams>(paramsPtr), true);
}

@unmanaged
export class TransposeConvF32Params {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; paddedChannels: i32;
  filter: i32; filterHeight: i32; filterWidth: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; padTop: i32; padLeft: i32;
  bias: i32; activationMin: f32; activationMax: f32;
  /** The input pixel, zero padded to Ipad (a multiple of 4) floats. */
  scratch: i32;
}

// Both float dots keep 4 partial sums, of the channels ≡ 0, 1, 2, 3 (mod 4), and add them as
// (s0 + s1) + (s2 + s3): the same float operations in the same order.

// @ts-ignore: decorator
@inline
function dotF32Ref(a: usize, b: usize, n: i32): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  for (let i = 0; i < n; i += 4) {
    const k = <usize>i << 2;
    s0 += load<f32>(a + k) * load<f32>(b + k);
    s1 += load<f32>(a + k, 4) * load<f32>(b + k, 4);
    s2 += load<f32>(a + k, 8) * load<f32>(b + k, 8);
    s3 += load<f32>(a + k, 12) * load<f32>(b + k, 12);
  }
  return (s0 + s1) + (s2 + s3);
}

// @ts-ignore: decorator
@inline
function dotF32V(a: usize, b: usize, n: i32): f32 {
  let sum = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const k = <usize>i << 2;
    sum = f32x4.add(sum, f32x4.mul(v128.load(a + k), v128.load(b + k)));
  }
  return (f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1)) + (f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3));
}

// @ts-ignore: decorator
@inline
function transposeConvF32(p: TransposeConvF32Params, simd: bool): void {
  const inC = p.inputChannels, padC = p.paddedChannels, outC = p.outputChannels;
  const outH = p.outputHeight, outW = p.outputWidth;
  const count = p.batches * outH * outW * outC;
  const out = <usize>p.output;
  const pixel = <usize>p.scratch;
  memory.fill(out, 0, <usize>count << 2);
  memory.fill(pixel, 0, <usize>padC << 2);
  const tapBytes = <usize>(outC * padC) << 2;
  let input = <usize>p.input;
  for (let b = 0; b < p.batches; b++) {
    for (let iy = 0; iy < p.inputHeight; iy++) {
      for (let ix = 0; ix < p.inputWidth; ix++) {
        memory.copy(pixel, input, <usize>inC << 2);
        input += <usize>inC << 2;
        for (let fy = 0; fy < p.filterHeight; fy++) {
          const oy = iy * p.strideHeight - p.padTop + fy;
          if (oy < 0 || oy >= outH) continue;
          for (let fx = 0; fx < p.filterWidth; fx++) {
            const ox = ix * p.strideWidth - p.padLeft + fx;
            if (ox < 0 || ox >= outW) continue;
            const sums = out + (<usize>(((b * outH + oy) * outW + ox) * outC) << 2);
            let w = <usize>p.filter + <usize>(fy * p.filterWidth + fx) * tapBytes;
            for (let o = 0; o < outC; o++) {
              const at = sums + (<usize>o << 2);
              store<f32>(at, load<f32>(at) + (simd ? dotF32V(pixel, w, padC) : dotF32Ref(pixel, w, padC)));
              w += <usize>padC << 2;
            }
          }
        }
      }
    }
  }
  for (let e = 0; e < count; e++) {
    const at = out + (<usize>e << 2);
    const value = load<f32>(at) + load<f32>(<usize>p.bias + (<usize>(e % outC) << 2));
    store<f32>(at, min(max(value, p.activationMin), p.activationMax));
  }
}

export function transpose_conv_f32_ref(paramsPtr: usize): void {
  transposeConvF32(changetype<TransposeConvF32Params>(paramsPtr), false);
}

export function transpose_conv_f32(paramsPtr: usize): void {
  transposeConvF32(changetype<TransposeConvF32Params>(paramsPtr), true);
}
