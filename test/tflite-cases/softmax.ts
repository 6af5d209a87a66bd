// SOFTMAX: int8 / uint8 rows of awkward depths with random input quantization and beta (output
// quantization as TFLite requires it); float32.
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, randomData, randomQuant } from "../random.js";
import * as ref from "../reference/index.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 12; i++) {
      const depth = rng.pick([1, 2, 3, 5, 10, 16, 17, 33, 100, 1001]);
      const shape = rng.bool(0.7) ? [rng.int(1, 3), depth] : [1, rng.int(1, 2), rng.int(1, 2), depth];
      const inQ = randomQuant(rng, dtype, 1e-3, 1);
      const beta = rng.bool(0.7) ? 1 : Math.fround(rng.logUniform(0.1, 4));
      const samples = [0, 1, 2].map(() => randomData(rng, dtype, shape.reduce((a, b) => a * b, 1)));
      // TFLite's int8 softmax checks (and aborts the process) when a row's sum of exps reaches 512.
      try {
        for (const input of samples) ref.softmax(input, shape, inQ, beta);
      } catch (e) {
        if (e instanceof ref.SoftmaxRangeError) continue;
        throw e;
      }
      const model = mb.softmaxModel({ type: dtype, shape, q: inQ }, { type: dtype, shape, q: ref.softmaxOutputQuant(dtype) }, beta);
      cases.push({ name: `${dtype}_${i}`, model, inputs: samples.map((s) => [new Uint8Array(s.buffer)]) });
    }
  }
  for (let i = 0; i < 5; i++) {
    const shape = [rng.int(1, 3), rng.pick([1, 3, 10, 17, 1001])];
    const model = mb.singleOpModel({
      builtinCode: BuiltinOp.SOFTMAX,
      inputs: [{ name: "input", type: "float32", shape }],
      outputs: [{ name: "output", type: "float32", shape }],
      options: { kind: "SoftmaxOptions", beta: rng.bool(0.5) ? 1 : Math.fround(rng.logUniform(0.1, 4)) },
    });
    cases.push({ name: `float32_${i}`, model });
  }
  return cases;
};
