// QUANTIZE: float32 → int8/uint8 (AffineQuantize), or 8-bit → 8-bit requantization (a table).
import { addBytes, lookupInt8, quantizeFloat32 } from "./byte-kernels.js";
import { type OpDefinition, expectCounts, expectShape, fail, floatBits, input, kernelSteps, output } from "./context.js";
import { requantizeTable, storedZeroPoint } from "./quantization.js";

export const quantize: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 1);
    const x = input(op, 0, ["float32", "int8", "uint8"]);
    const y = output(op, 0, ["int8", "uint8"]);
    expectShape(op, y, x.shape, "output");
    if (y.scale.length !== 1) fail(op, `output "${y.name}" must be quantized per tensor`);
    if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
    const from = ctx.address(x);
    const to = ctx.address(y);
    const count = x.elementCount;
    if (x.dtype === "float32") {
      const scale = floatBits(y.scale[0]);
      return kernelSteps(ctx, [quantizeFloat32(memory, { input: from, output: to, count, scale, zeroPoint: storedZeroPoint(y) })]);
    }
    if (x.scale.length !== 1) fail(op, `input "${x.name}" must be quantized per tensor`);
    const values = requantizeTable(x, y);
    // A map that only shifts every byte (equal scales: a zero point change, or uint8 ↔ int8) is an add.
    const delta = values[0];
    if (values.every((v, b) => ((v - b) & 0xff) === delta)) return kernelSteps(ctx, [addBytes(memory, { input: from, output: to, count, delta })]);
    return kernelSteps(ctx, [lookupInt8(memory, { input: from, output: to, count, table: memory.store(values) })]);
  },
};
