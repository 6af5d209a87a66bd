// DEQUANTIZE: int8/uint8 activation → float32, float(double(scale) · (q − zp)) through a table.
import { lookupFloat32 } from "./byte-kernels.js";
import { type OpDefinition, expectCounts, expectShape, fail, input, kernelSteps, output } from "./context.js";
import { storageShift } from "./quantization.js";

export const dequantize: OpDefinition = {
  maxVersion: 6,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 1);
    const x = input(op, 0, ["int8", "uint8"]);
    const y = output(op, 0, ["float32"]);
    expectShape(op, y, x.shape, "output");
    if (x.scale.length !== 1) fail(op, `input "${x.name}" must be quantized per tensor`);
    if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
    const values = new Float32Array(256);
    for (let stored = -128; stored < 128; stored++) {
      values[stored & 0xff] = x.scale[0] * (stored + storageShift(x) - x.zeroPoint[0]);
    }
    if (!values.every(Number.isFinite)) fail(op, `input scale ${x.scale[0]} is too large: dequantized values overflow float32`);
    return kernelSteps(ctx, [lookupFloat32(memory, { input: ctx.address(x), output: ctx.address(y), count: x.elementCount, table: memory.store(values) })]);
  },
};
