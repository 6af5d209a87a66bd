// PAD: (D0..D3) → (D0+b0+a0, …) filled with the zero point (quantized) or 0 (float32);
// paddings is a constant int32 (rank, 2) tensor. Ranks below 4 are padded with leading 1s.
import { fillPattern } from "./byte-kernels.js";
import { type OpDefinition, constantInt32, expectCounts, expectShape, fail, input, kernelSteps, output, storeParams } from "./context.js";
import { storedZeroPoint } from "./quantization.js";

/** Field order of PadParams in assembly/kernels/pad.ts. */
const FIELDS = [
  "input", "output", "elementSize", "dim0", "dim1", "dim2", "dim3",
  "before0", "before1", "before2", "before3", "outDim1", "outDim2", "outDim3",
] as const;

export const pad: OpDefinition = {
  maxVersion: 4,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 2);
    const x = input(op, 0, ["int8", "uint8", "float32"]);
    const y = output(op, 0);
    if (x.dtype !== y.dtype) fail(op, `input is ${x.dtype} but output is ${y.dtype}`);
    if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
    const rank = x.shape.length;
    if (rank > 4) fail(op, `input has ${rank} dimensions; at most 4 are supported`);
    const paddings = constantInt32(op, input(op, 1), "paddings");
    if (paddings.length !== rank * 2) fail(op, `paddings has ${paddings.length} values for ${rank} dimensions`);
    if (paddings.some((p) => p < 0)) fail(op, `paddings [${[...paddings]}] must not be negative`);
    const quantized = x.dtype !== "float32";
    if (quantized && (x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0])) fail(op, "input and output must be quantized alike");
    expectShape(op, y, x.shape.map((d, i) => d + paddings[2 * i] + paddings[2 * i + 1]), "output");

    const lead = 4 - rank;
    const dims = [...Array(lead).fill(1), ...x.shape];
    const before = [...Array(lead).fill(0), ...x.shape.map((_, i) => paddings[2 * i])];
    const outDims = [...Array(lead).fill(1), ...y.shape];
    const elementSize = quantized ? 1 : 4;
    const params = storeParams(memory, FIELDS, {
      input: ctx.address(x), output: ctx.address(y), elementSize,
      dim0: dims[0], dim1: dims[1], dim2: dims[2], dim3: dims[3],
      before0: before[0], before1: before[1], before2: before[2], before3: before[3],
      outDim1: outDims[1], outDim2: outDims[2], outDim3: outDims[3],
    });
    const pattern = quantized ? storedZeroPoint(y) & 0xff : 0;
    return kernelSteps(ctx, [fillPattern(memory, { output: ctx.address(y), count: y.byteSize, pattern, patternBytes: elementSize }), { kernel: "pad_ref", params }]);
  },
};
