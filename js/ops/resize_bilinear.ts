// RESIZE_BILINEAR: input (N,H,W,C), size int32 [2] constant (OH, OW) → (N,OH,OW,C), same dtype.
// int8: reference_ops::ResizeBilinearInteger (10-bit fixed point); uint8 and float32:
// reference_ops::ResizeBilinear (float32 arithmetic; uint8 + 0.5, truncated). Quantization is
// not changed: TFLite interpolates the stored values. The per-row and per-column source offsets
// and weights are computed here, once.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import {
  type OpDefinition, type PrepareContext, constantInt32, expectCounts, expectFloatActivation, expectQuantizedActivation,
  expectRank, expectShape, fail, floatBits, input, kernelName, kernelStep, options, output, storeParams,
} from "./context.js";

/** Field order of ResizeBilinearParams in assembly/kernels/resize_bilinear.ts. */
export const FIELDS = ["input", "batches", "inputBatchBytes", "channels", "output", "outputHeight", "outputWidth", "taps", "uint8"] as const;

/** The checked tensors of a RESIZE_*: input, output (same dtype), and the output size from the constant size input. */
export function resizeTensors(op: GraphOp): { x: GraphTensor; y: GraphTensor; outH: number; outW: number; elementBytes: number } {
  expectCounts(op, 2);
  const x = input(op, 0, ["int8", "uint8", "float32"]);
  const y = output(op, 0);
  if (x.dtype === "float32") {
    expectFloatActivation(op, x, "input");
    expectFloatActivation(op, y, "output");
  } else {
    expectQuantizedActivation(op, x, "input");
    expectQuantizedActivation(op, y, "output");
    if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
  }
  expectRank(op, x, 4, "input");
  const size = constantInt32(op, input(op, 1), "size");
  if (size.length !== 2 || size[0] < 1 || size[1] < 1) fail(op, `size [${size}] must be two positive numbers`);
  const [outH, outW] = size;
  expectShape(op, y, [x.shape[0], outH, outW, x.shape[3]], "output");
  if (x.elementCount === 0) fail(op, "resizes an empty tensor");
  return { x, y, outH, outW, elementBytes: x.dtype === "float32" ? 4 : 1 };
}

/** One output row's or column's sources: two input indices and their weights. */
interface Tap { i0: number; i1: number; w0: number; w1: number }

/**
 * ComputeInterpolationValues (integer form) for every output index: weights in 1/1024. When the
 * rounded scale overshoots (upscaling by more than about 10 without align_corners or
 * half_pixel_centers, e.g. 1 → 55), TFLite's lower index reaches the input size and it reads past
 * the row; here it stays on the last row / column (the result is then that pixel's value).
 */
function integerTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Tap[] {
  const scale = alignCorners && outSize > 1
    ? Math.trunc((1024 * (inSize - 1) + Math.trunc((outSize - 1) / 2)) / (outSize - 1))
    : Math.trunc((1024 * inSize + Math.trunc(outSize / 2)) / outSize);
  return Array.from({ length: outSize }, (_, v) => {
    const scaled = halfPixelCenters ? v * scale + Math.trunc(scale / 2) - 512 : v * scale;
    const lower = Math.max(Math.trunc(scaled / 1024), 0);
    const upper = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
    const fraction = scaled - 1024 * lower;
    return { i0: Math.min(lower, inSize - 1), i1: upper, w0: 1024 - fraction, w1: fraction };
  });
}

/** ComputeInterpolationValues (float form) for every output index: float32 weights 1 − d, d. */
function floatTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Tap[] {
  const f = Math.fround;
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  return Array.from({ length: outSize }, (_, v) => {
    const scaled = halfPixelCenters ? f(f(f(v + 0.5) * scale) - 0.5) : f(v * scale);
    const lower = Math.max(Math.floor(scaled), 0);
    const upper = Math.min(Math.ceil(scaled), inSize - 1);
    const d = f(scaled - lower);
    return { i0: Math.min(lower, inSize - 1), i1: upper, w0: f(1 - d), w1: d };
  });
}

/** The Tap table of the kernel: rows then columns, as byte offsets and weights (i32 or f32 bits). */
function storeTaps(ctx: PrepareContext, rows: Tap[], columns: Tap[], rowBytes: number, pixelBytes: number, float: boolean): number {
  const table = new Int32Array(4 * (rows.length + columns.length));
  const weight = float ? floatBits : (w: number) => w;
  [...rows.map((t) => [t, rowBytes] as const), ...columns.map((t) => [t, pixelBytes] as const)].forEach(([t, stride], k) => {
    table.set([t.i0 * stride, t.i1 * stride, weight(t.w0), weight(t.w1)], 4 * k);
  });
  return ctx.memory.store(table);
}

export const resizeBilinear: OpDefinition = {
  maxVersion: 4,
  prepare(ctx) {
    const { op } = ctx;
    const opts = options(op, "ResizeBilinearOptions");
    if (opts.alignCorners && opts.halfPixelCenters) fail(op, "align_corners and half_pixel_centers are both set");
    const { x, y, outH, outW, elementBytes } = resizeTensors(op);
    const [batches, inH, inW, channels] = x.shape;
    const float = x.dtype !== "int8";
    const taps = float ? floatTaps : integerTaps;
    const values = {
      input: ctx.address(x), batches, inputBatchBytes: inH * inW * channels * elementBytes, channels,
      output: ctx.address(y), outputHeight: outH, outputWidth: outW,
      taps: storeTaps(ctx, taps(inH, outH, opts.alignCorners, opts.halfPixelCenters), taps(inW, outW, opts.alignCorners, opts.halfPixelCenters),
        inW * channels * elementBytes, channels * elementBytes, float),
      uint8: x.dtype === "uint8" ? 1 : 0,
    };
    const params = storeParams(ctx.memory, FIELDS, values);
    return kernelStep(ctx, kernelName(ctx, float ? "resize_bilinear_f32" : "resize_bilinear"), params);
  },
};
