// RESIZE_NEAREST_NEIGHBOR: in (N, H, W, C) → out (N, OH, OW, C), any element size: each output
// pixel is a copy of one input pixel. The host gives the byte offset of the source row of every
// output row, then of the source column of every output column.

@unmanaged
export class ResizeNearestParams {
  input: i32; batches: i32; inputBatchBytes: i32; pixelBytes: i32;
  output: i32; outputHeight: i32; outputWidth: i32;
  /** outputHeight row offsets, then outputWidth column offsets (i32 bytes). */
  offsets: i32;
}

export function resize_nearest_neighbor(paramsPtr: usize): void {
  const p = changetype<ResizeNearestParams>(paramsPtr);
  const pixel = <usize>p.pixelBytes;
  const columns = <usize>p.offsets + (<usize>p.outputHeight << 2);
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const batch = <usize>p.input + <usize>(b * p.inputBatchBytes);
    for (let y = 0; y < p.outputHeight; y++) {
      const row = batch + <usize>load<i32>(<usize>p.offsets + (<usize>y << 2));
      for (let x = 0; x < p.outputWidth; x++) {
        memory.copy(out, row + <usize>load<i32>(columns + (<usize>x << 2)), pixel);
        out += pixel;
      }
    }
  }
}
