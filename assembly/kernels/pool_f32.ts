// AVERAGE_POOL_2D and MAX_POOL_2D, float32 (TFLite's reference_ops::AveragePool / MaxPool).
// in: (N, H, W, C) f32   out: (N, OH, OW, C) f32; windows are clipped to the image.
// average = (Σ window, from +0 in order y, x) / (taps on the image); max starts from -FLT_MAX;
// then clamp to the fused activation's bounds.
import { clampF32, clampF32x4, storeLanes } from "../f32";

@unmanaged
export class PoolF32Params {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; channels: i32;
  output: i32; outputHeight: i32; outputWidth: i32;
  filterHeight: i32; filterWidth: i32; strideHeight: i32; strideWidth: i32; padTop: i32; padLeft: i32;
  activationMin: f32; activationMax: f32;
}

const LOWEST: f32 = -3.40282347e38;

// @ts-ignore: decorator
@inline
function poolRef(p: PoolF32Params, isMax: bool): void {
  const c = p.channels;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + (<usize>(b * p.inputHeight * p.inputWidth * c) << 2);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const yStart = max(0, y0);
      const yEnd = min(p.inputHeight, y0 + p.filterHeight);
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        const xStart = max(0, x0);
        const xEnd = min(p.inputWidth, x0 + p.filterWidth);
        const count = <f32>((yEnd - yStart) * (xEnd - xStart));
        for (let ch = 0; ch < c; ch++) {
          let acc: f32 = isMax ? LOWEST : 0;
          for (let y = yStart; y < yEnd; y++) {
            for (let x = xStart; x < xEnd; x++) {
              const v = load<f32>(inputBatch + (<usize>((y * p.inputWidth + x) * c + ch) << 2));
              acc = isMax ? max<f32>(acc, v) : acc + v;
            }
          }
          store<f32>(out, clampF32(isMax ? acc : acc / count, p.activationMin, p.activationMax));
          out += 4;
        }
      }
    }
  }
}

export function average_pool2d_f32_ref(paramsPtr: usize): void {
  poolRef(changetype<PoolF32Params>(paramsPtr), false);
}

export function max_pool2d_f32_ref(paramsPtr: usize): void {
  poolRef(changetype<PoolF32Params>(paramsPtr), true);
}

// ---- v128 ----------------------------------------------------------------------------------
// Per output pixel, 4 channels at a time over the clipped window; the last C % 4 channels are
// one partial vector whose loads may read up to 12 bytes past the input tensor's end (the
// host's constants always follow the activation arena) and whose extra lanes are not stored.

// @ts-ignore: decorator
@inline
function poolSimd(p: PoolF32Params, isMax: bool): void {
  const c = p.channels;
  const pixelBytes = <usize>c << 2;
  const rowBytes = <usize>p.inputWidth * pixelBytes;
  const lo = f32x4.splat(p.activationMin);
  const hi = f32x4.splat(p.activationMax);
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight) * rowBytes;
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const yStart = max(0, y0);
      const yEnd = min(p.inputHeight, y0 + p.filterHeight);
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        const xStart = max(0, x0);
        const xEnd = min(p.inputWidth, x0 + p.filterWidth);
        const count = f32x4.splat(<f32>((yEnd - yStart) * (xEnd - xStart)));
        const window = inputBatch + <usize>yStart * rowBytes + <usize>xStart * pixelBytes;
        for (let ch = 0; ch < c; ch += 4) {
          let acc = isMax ? f32x4.splat(LOWEST) : f32x4.splat(0);
          let row = window + (<usize>ch << 2);
          for (let y = yStart; y < yEnd; y++) {
            let at = row;
            for (let x = xStart; x < xEnd; x++) {
              const v = v128.load(at);
              acc = isMax ? f32x4.max(acc, v) : f32x4.add(acc, v);
              at += pixelBytes;
            }
            row += rowBytes;
          }
          storeLanes(out + (<usize>ch << 2), clampF32x4(isMax ? acc : f32x4.div(acc, count), lo, hi), c - ch);
        }
        out += pixelBytes;
      }
    }
  }
}

export function average_pool2d_f32(paramsPtr: usize): void {
  poolSimd(changetype<PoolF32Params>(paramsPtr), false);
}

export function max_pool2d_f32(paramsPtr: usize): void {
  poolSimd(changetype<PoolF32Params>(paramsPtr), true);
}
