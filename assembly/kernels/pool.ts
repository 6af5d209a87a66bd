// AVERAGE_POOL_2D and MAX_POOL_2D, int8 activations; input and output share scale and zero point.
// in: (N, H, W, C) int8   out: (N, OH, OW, C) int8; windows are clipped to the image.
// Average rounds half away from zero (int8), or as TFLite's uint8 kernel does
// ((sum + count/2) / count on the unshifted values) when unsignedRounding is set.

@unmanaged
export class PoolParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; channels: i32;
  output: i32; outputHeight: i32; outputWidth: i32;
  filterHeight: i32; filterWidth: i32; strideHeight: i32; strideWidth: i32; padTop: i32; padLeft: i32;
  activationMin: i32; activationMax: i32; unsignedRounding: i32;
}

// @ts-ignore: decorator
@inline
function poolWindow(p: PoolParams, isMax: bool): void {
  const c = p.channels;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * c);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const yStart = max(0, y0);
      const yEnd = min(p.inputHeight, y0 + p.filterHeight);
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        const xStart = max(0, x0);
        const xEnd = min(p.inputWidth, x0 + p.filterWidth);
        const count = (yEnd - yStart) * (xEnd - xStart);
        for (let ch = 0; ch < c; ch++) {
          let acc: i32 = isMax ? -128 : 0;
          for (let y = yStart; y < yEnd; y++) {
            for (let x = xStart; x < xEnd; x++) {
              const v = <i32>load<i8>(inputBatch + <usize>((y * p.inputWidth + x) * c + ch));
              acc = isMax ? max(acc, v) : acc + v;
            }
          }
          let value = acc;
          if (!isMax && count > 0) {
            if (p.unsignedRounding) {
              value = (acc + 128 * count + count / 2) / count - 128;
            } else {
              value = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            }
          }
          store<i8>(out, <i8>min(max(value, p.activationMin), p.activationMax));
          out++;
        }
      }
    }
  }
}

export function average_pool2d_ref(paramsPtr: usize): void {
  poolWindow(changetype<PoolParams>(paramsPtr), false);
}

export function max_pool2d_ref(paramsPtr: usize): void {
  poolWindow(changetype<PoolParams>(paramsPtr), true);
}
