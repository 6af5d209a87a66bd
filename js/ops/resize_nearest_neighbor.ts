// RESIZE_NEAREST_NEIGHBOR: input (N,H,W,C), size int32 [2] constant (OH, OW) → (N,OH,OW,C), any
// of int8, uint8, float32: reference_ops::ResizeNearestNeighbor, a copy of one source pixel per
// output pixel; the source of every output row and column is computed here, once.
import { type OpDefinition, kernelStep, options, storeParams } from "./context.js";
import { resizeTensors } from "./resize_bilinear.js";

/** Field order of ResizeNearestParams in assembly/kernels/resize_nearest_neighbor.ts. */
export const FIELDS = ["input", "batches", "inputBatchBytes", "pixelBytes", "output", "outputHeight", "outputWidth", "offsets"] as const;

/** GetNearestNeighbor for every output index (float32 arithmetic, as TFLite). */
function nearest(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number[] {
  const f = Math.fround;
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const offset = halfPixelCenters ? 0.5 : 0;
  return Array.from({ length: outSize }, (_, v) => {
    const scaled = f(f(v + offset) * scale);
    const rounded = alignCorners ? Math.sign(scaled) * Math.round(Math.abs(scaled)) : Math.floor(scaled);
    const index = Math.min(rounded, inSize - 1);
    return halfPixelCenters ? Math.max(index, 0) : index;
  });
}

export const resizeNearestNeighbor: OpDefinition = {
  maxVersion: 4,
  prepare(ctx) {
    const { op } = ctx;
    const opts = options(op, "ResizeNearestNeighborOptions");
    const { x, y, outH, outW, elementBytes } = resizeTensors(op);
    const [batches, inH, inW, channels] = x.shape;
    const pixelBytes = channels * elementBytes;
    const rows = nearest(inH, outH, opts.alignCorners, opts.halfPixelCenters).map((i) => i * inW * pixelBytes);
    const columns = nearest(inW, outW, opts.alignCorners, opts.halfPixelCenters).map((i) => i * pixelBytes);
    const values = {
      input: ctx.address(x), batches, inputBatchBytes: inH * inW * pixelBytes, pixelBytes,
      output: ctx.address(y), outputHeight: outH, outputWidth: outW,
      offsets: ctx.memory.store(Int32Array.from([...rows, ...columns])),
    };
    return kernelStep(ctx, "resize_nearest_neighbor", storeParams(ctx.memory, FIELDS, values));
  },
};
