// QUANTIZE: float32 → int8/uint8 (AffineQuantize), or 8-bit → 8-bit requantization (a table).
import { type OpDefinition, expectCounts, expectShape, fail, input, output } from "./context.js";
import { requantizeTable, storedZeroPoint } from "./quantization.js";

export const quantize: OpDefinition = {
  maxVersion: 3,
  prepare(ctx) {
    const { op, memory, kernels } = ctx;
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
      const scale = Math.fround(y.scale[0]);
      const zeroPoint = storedZeroPoint(y);
      return () => kernels.quantize_float32(from, to, count, scale, zeroPoint);
    }
    if (x.scale.length !== 1) fail(op, `input "${x.name}" must be quantized per tensor`);
    const values = requantizeTable(x, y);
    // A map that only shifts every byte (equal scales: a zero point change, or uint8 ↔ int8) is an
    // add; kernels without add_bytes (an older quantlite.wasm) use the table.
    const delta = values[0];
    if (values.every((v, b) => ((v - b) & 0xff) === delta) && typeof kernels.add_bytes === "function") {
      return () => kernels.add_bytes(from, to, count, delta);
    }
    const table = memory.store(values);
    return () => kernels.lookup_int8(from, to, count, table);
  },
};
