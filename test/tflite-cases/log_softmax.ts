// LOG_SOFTMAX over the last axis: float32; int8 / uint8 rows of awkward depths (1–1001), ranks 2
// and 4, random input quantization, output quantization as TFLite requires it (16/256, zero point
// 127 / 255).
import type { CaseMaker } from "./case.js";
import { activationCases, opCode, versionOf } from "./unary.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, Rng, randomData, randomQuant } from "../random.js";

export const make: CaseMaker = (rng) => {
  const cases = activationCases(rng, {
    op: "LOG_SOFTMAX",
    types: ["float32"],
    floatCases: 10,
    options: () => ({ kind: "LogSoftmaxOptions" }),
  });
  // The 8-bit cases draw from their own generator: the float32 cases' default inputs come from
  // `rng` after make() returns, and stay as they were.
  const q8 = new Rng(0x1065f7a8);
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 12; i++) {
      const depth = i === 0 ? 1001 : i === 1 ? 1 : q8.pick([2, 3, 5, 7, 10, 16, 17, 33, 100, 255, 1001]);
      const batch = depth > 255 ? 1 : q8.int(1, 3); // keeps each sample ≤ 1001 bytes
      const shape = q8.bool(0.6) ? [batch, depth] : [batch, 1, q8.int(1, 2), depth];
      const inQ = randomQuant(q8, dtype, 1e-3, 1);
      const outQ = { scale: 16 / 256, zeroPoint: dtype === "int8" ? 127 : 255 };
      const model = mb.singleOpModel({
        builtinCode: opCode("LOG_SOFTMAX"),
        inputs: [mb.act({ type: dtype, shape, q: inQ }, "input")],
        outputs: [mb.act({ type: dtype, shape, q: outQ }, "output")],
        options: { kind: "LogSoftmaxOptions" },
        version: versionOf(dtype),
      });
      const count = shape.reduce((a, b) => a * b, 1);
      const inputs = [0, 1, 2].map(() => [new Uint8Array(randomData(q8, dtype, count).buffer)]);
      cases.push({ name: `${dtype}_${i}`, model, inputs });
    }
  }
  return cases;
};
