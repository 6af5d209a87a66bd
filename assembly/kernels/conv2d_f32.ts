// CONV_2D, float32 (TFLite's reference_ops::Conv for float).
// in: (N, H, W, Cin) f32   out: (N, OH, OW, Cout) f32   bias: (ceil(Cout/8)·8) f32, zero padded
// filter: packed (ceil(Cout/8), K, 8) f32, K = KH·KW·Cin, patch index k = (ky·KW + kx)·Cin + ic
//   (js/ops/weights.ts packTilesF32; assembly/f32.ts dotRows4).
// scratch: 4·K floats: the patches of a group of 4 output pixels, one row each.
// out = clamp(Σ_k x·w + bias) with the sum from +0 in ascending k; out-of-image taps are
// skipped (v128: staged as 0, which adds nothing to a sum that starts at +0).
import { clampF32, dotRows4, tileWeight } from "../f32";

@unmanaged
export class Conv2DF32Params {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32;
  filter: i32; filterHeight: i32; filterWidth: i32; bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  activationMin: f32; activationMax: f32; scratch: i32;
}

export function conv2d_f32_ref(paramsPtr: usize): void {
  const p = changetype<Conv2DF32Params>(paramsPtr);
  const inC = p.inputChannels;
  const depth = p.filterHeight * p.filterWidth * inC;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + (<usize>(b * p.inputHeight * p.inputWidth * inC) << 2);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < p.outputChannels; oc++) {
          let acc: f32 = 0;
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const pixel = inputBatch + (<usize>((inY * p.inputWidth + inX) * inC) << 2);
              const k0 = (ky * p.filterWidth + kx) * inC;
              for (let ic = 0; ic < inC; ic++) {
                acc += load<f32>(pixel + (<usize>ic << 2)) * tileWeight(p.filter, depth, oc, k0 + ic);
              }
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
// Groups of 4 output pixels against tiles of 8 output channels (dotRows4). A 1×1 stride-1
// unpadded convolution reads the 4 input rows in place; any other first copies each pixel's
// patch into a scratch row (a row segment of KW·Cin floats at a time where it lies on the
// image, else tap by tap, zeros off the image). A last group of fewer than 4 pixels repeats its
// last pixel and stores only the valid ones.

/** The patch of output pixel `pixel` as K contiguous floats at `row`. */
function stagePatch(p: Conv2DF32Params, row: usize, pixel: i32): void {
  const inC = p.inputChannels;
  const perImage = p.outputHeight * p.outputWidth;
  const b = pixel / perImage;
  const oy = (pixel - b * perImage) / p.outputWidth;
  const ox = pixel - b * perImage - oy * p.outputWidth;
  const inputBatch = <usize>p.input + (<usize>(b * p.inputHeight * p.inputWidth * inC) << 2);
  const x0 = ox * p.strideWidth - p.padLeft;
  const tapBytes = <usize>inC << 2;
  const segmentBytes = <usize>p.filterWidth * tapBytes;
  const wholeRows = p.dilationWidth == 1 && x0 >= 0 && x0 + p.filterWidth <= p.inputWidth;
  let dst = row;
  for (let ky = 0; ky < p.filterHeight; ky++) {
    const y = oy * p.strideHeight - p.padTop + ky * p.dilationHeight;
    if (y < 0 || y >= p.inputHeight) {
      memory.fill(dst, 0, segmentBytes);
    } else if (wholeRows) {
      memory.copy(dst, inputBatch + <usize>(y * p.inputWidth + x0) * tapBytes, segmentBytes);
    } else {
      for (let kx = 0; kx < p.filterWidth; kx++) {
        const x = x0 + kx * p.dilationWidth;
        const tap = dst + <usize>kx * tapBytes;
        if (x < 0 || x >= p.inputWidth) memory.fill(tap, 0, tapBytes);
        else memory.copy(tap, inputBatch + <usize>(y * p.inputWidth + x) * tapBytes, tapBytes);
      }
    }
    dst += segmentBytes;
  }
}

export function conv2d_f32(paramsPtr: usize): void {
  const p = changetype<Conv2DF32Params>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const depth = p.filterHeight * p.filterWidth * inC;
  const pixels = p.batches * p.outputHeight * p.outputWidth;
  const pointwise = p.filterHeight == 1 && p.filterWidth == 1 && p.strideHeight == 1 && p.strideWidth == 1
    && p.padTop == 0 && p.padLeft == 0 && p.outputHeight == p.inputHeight && p.outputWidth == p.inputWidth;
  const rowBytes = <usize>depth << 2;
  const outRowBytes = <usize>outC << 2;
  for (let g = 0; g < pixels; g += 4) {
    const n = min(pixels - g, 4); // valid pixels in this group; the others repeat the last one
    let base = <usize>p.scratch;
    if (pointwise) {
      base = <usize>p.input + <usize>g * rowBytes;
    } else {
      for (let lane = 0; lane < n; lane++) stagePatch(p, base + <usize>lane * rowBytes, g + lane);
    }
    const last = <usize>(n - 1) * rowBytes;
    dotRows4(base, base + min<usize>(rowBytes, last), base + min<usize>(2 * rowBytes, last), base + min<usize>(3 * rowBytes, last),
      n, depth, <usize>p.filter, <usize>p.bias, outC, p.activationMin, p.activationMax, <usize>p.output + <usize>g * outRowBytes, outRowBytes);
  }
}
