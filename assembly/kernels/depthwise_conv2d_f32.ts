// DEPTHWISE_CONV_2D, float32 (TFLite's reference_ops::DepthwiseConv for float).
// in: (N, H, W, Cin) f32   out: (N, OH, OW, Cout) f32, Cout = Cin·M; output channel c reads
// input channel c / M.
// filter: (KH·KW, C16) f32 and bias: (C16) f32, C16 = ceil(Cout/16)·16, zero padded
//   (js/ops/weights.ts padChannelsF32).
// padding: C16 zero floats, read in place of out-of-image taps.
// scratch: 2·KH·KW u32 (tap offsets and one output pixel's tap addresses).
// out = clamp(Σ_taps x·w + bias), the sum from +0 over the taps in order ky, kx; out-of-image
// taps are skipped (v128: read as 0, which adds nothing to a sum that starts at +0).
// The v128 kernel reads whole blocks of 16 channels, up to 60 bytes past the input tensor's end
// (the host's constants always follow the activation arena); it writes only the output.
import { clampF32, clampF32x4, storeLanes } from "../f32";

@unmanaged
export class DepthwiseConv2DF32Params {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32;
  filter: i32; filterHeight: i32; filterWidth: i32; depthMultiplier: i32; bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  activationMin: f32; activationMax: f32; padding: i32; scratch: i32;
}

/** Padded channel count of the filter and bias rows. */
// @ts-ignore: decorator
@inline
function paddedChannels(outC: i32): i32 {
  return (outC + 15) & ~15;
}

export function depthwise_conv2d_f32_ref(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DF32Params>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const m = p.depthMultiplier;
  const filterRow = <usize>paddedChannels(outC) << 2;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + (<usize>(b * p.inputHeight * p.inputWidth * inC) << 2);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          const ic = oc / m;
          let acc: f32 = 0;
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const x = load<f32>(inputBatch + (<usize>((inY * p.inputWidth + inX) * inC + ic) << 2));
              const w = load<f32>(<usize>p.filter + <usize>(ky * p.filterWidth + kx) * filterRow + (<usize>oc << 2));
              acc += x * w;
            }
          }
          store<f32>(out, clampF32(acc + load<f32>(<usize>p.bias + (<usize>oc << 2)), p.activationMin, p.activationMax));
          out += 4;
        }
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Depth multiplier 1: per output pixel, per block of 16 channels, four accumulators over the
// taps. Tap addresses come from scratch: offsets from the patch origin (computed once per
// call) for pixels whose whole patch lies on the image, else one address per tap, the zero row
// for taps off the image. Other depth multipliers run the scalar code.

export function depthwise_conv2d_f32(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DF32Params>(paramsPtr);
  if (p.depthMultiplier != 1) {
    depthwise_conv2d_f32_ref(paramsPtr);
    return;
  }
  const channels = p.inputChannels;
  const height = p.inputHeight, width = p.inputWidth;
  const kh = p.filterHeight, kw = p.filterWidth;
  const dh = p.dilationHeight, dw = p.dilationWidth;
  const taps = kh * kw;
  const filterRow = <usize>paddedChannels(channels) << 2;
  const lo = f32x4.splat(p.activationMin);
  const hi = f32x4.splat(p.activationMax);
  const pixelBytes = <usize>channels << 2;
  const offsets = <usize>p.scratch; // per tap, bytes from the patch origin
  const addresses = offsets + (<usize>taps << 2); // per tap, for a pixel at the border

  let slot = offsets;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      store<u32>(slot, <u32>(ky * dh * width + kx * dw) * <u32>pixelBytes);
      slot += 4;
    }
  }

  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * height * width) * pixelBytes;
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const rowsInside = y0 >= 0 && y0 + (kh - 1) * dh < height;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        let tapTable = offsets;
        let origin = inputBatch + <usize>(y0 * width + x0) * pixelBytes;
        if (!(rowsInside && x0 >= 0 && x0 + (kw - 1) * dw < width)) {
          slot = addresses;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky * dh;
            for (let kx = 0; kx < kw; kx++) {
              const x = x0 + kx * dw;
              const inside = y >= 0 && y < height && x >= 0 && x < width;
              store<u32>(slot, inside ? inputBatch + <usize>(y * width + x) * pixelBytes : <usize>p.padding);
              slot += 4;
            }
          }
          tapTable = addresses;
          origin = 0;
        }
        for (let c = 0; c < channels; c += 16) {
          const cb = <usize>c << 2;
          const at = origin + cb;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let w = <usize>p.filter + cb;
          let t = tapTable;
          for (let k = 0; k < taps; k++) {
            const x = at + <usize>load<u32>(t);
            a0 = f32x4.add(a0, f32x4.mul(v128.load(x), v128.load(w)));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(x, 16), v128.load(w, 16)));
            a2 = f32x4.add(a2, f32x4.mul(v128.load(x, 32), v128.load(w, 32)));
            a3 = f32x4.add(a3, f32x4.mul(v128.load(x, 48), v128.load(w, 48)));
            w += filterRow;
            t += 4;
          }
          const bias = <usize>p.bias + cb;
          const o = out + cb;
          const m = channels - c;
          storeLanes(o, clampF32x4(f32x4.add(a0, v128.load(bias)), lo, hi), m);
          if (m > 4) storeLanes(o + 16, clampF32x4(f32x4.add(a1, v128.load(bias, 16)), lo, hi), m - 4);
          if (m > 8) storeLanes(o + 32, clampF32x4(f32x4.add(a2, v128.load(bias, 32)), lo, hi), m - 8);
          if (m > 12) storeLanes(o + 48, clampF32x4(f32x4.add(a3, v128.load(bias, 48)), lo, hi), m - 12);
        }
        out += pixelBytes;
      }
    }
  }
}
