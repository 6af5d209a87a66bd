// PAD int8 / uint8 / float32 of ranks 2–4 (the padding value is the zero point).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8", "float32"] as (QuantDtype | "float32")[]) {
    for (let i = 0; i < 6; i++) {
      const rank = rng.pick([4, 4, 3, 2]);
      const shape = [rng.int(1, 2), rng.int(1, 6), rng.int(1, 6), randomChannels(rng)].slice(4 - rank);
      const paddings = shape.map((_, d) => [rank === 4 && d === 0 ? 0 : rng.int(0, 2), rank === 4 && d === 0 ? 0 : rng.int(0, 3)] as [number, number]);
      if (dtype !== "float32") {
        cases.push({ name: `${dtype}_${i}`, model: mb.padModel({ type: dtype, shape, q: randomQuant(rng, dtype, 1e-3, 1) }, paddings) });
        continue;
      }
      const outShape = shape.map((d, k) => d + paddings[k][0] + paddings[k][1]);
      const model = mb.singleOpModel({
        builtinCode: BuiltinOp.PAD,
        inputs: [{ name: "input", type: "float32", shape }, { name: "paddings", type: "int32", shape: [rank, 2], data: new Int32Array(paddings.flat()) }],
        outputs: [{ name: "output", type: "float32", shape: outShape }],
        options: { kind: "PadOptions" },
      });
      cases.push({ name: `float32_${i}`, model });
    }
  }
  return cases;
};
