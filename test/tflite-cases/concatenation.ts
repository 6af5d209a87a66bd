// CONCATENATION int8 (equal quantization, as TFLite requires) and uint8 (inputs may be rescaled)
// along any axis, also negative, of ranks 2–4; float32 and int32 (MoveNet joins int32 indices).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 10; i++) {
      const rank = rng.pick([4, 4, 2, 3]);
      const base = [rng.int(1, 2), rng.int(1, 5), rng.int(1, 5), randomChannels(rng, 17)].slice(4 - rank);
      const axisPos = rng.int(0, rank - 1);
      const axis = rng.bool(0.25) ? axisPos - rank : axisPos;
      const outQ = randomQuant(rng, dtype, 1e-3, 1);
      const rescale = dtype === "uint8" && rng.bool(0.6);
      const inputs = Array.from({ length: rng.int(2, 3) }, () => {
        const shape = [...base];
        shape[axisPos] = randomChannels(rng, 9);
        const q = rescale && rng.bool(0.75) ? randomQuant(rng, dtype, outQ.scale / 4, outQ.scale * 4) : { ...outQ };
        return { type: dtype, shape, q };
      });
      const outShape = [...base];
      outShape[axisPos] = inputs.reduce((n, t) => n + t.shape[axisPos], 0);
      cases.push({ name: `${dtype}_${i}`, model: mb.concatenationModel(inputs, { type: dtype, shape: outShape, q: outQ }, axis) });
    }
  }
  for (const dtype of ["float32", "int32"] as const) {
    for (let i = 0; i < 4; i++) {
      const rank = rng.pick([4, 2, 3]);
      const base = [rng.int(1, 2), rng.int(1, 5), rng.int(1, 5), randomChannels(rng, 17)].slice(4 - rank);
      const axis = rng.int(0, rank - 1);
      const shapes = Array.from({ length: rng.int(2, 3) }, () => base.map((d, k) => (k === axis ? randomChannels(rng, 9) : d)));
      const outShape = base.map((d, k) => (k === axis ? shapes.reduce((n, t) => n + t[axis], 0) : d));
      const model = mb.singleOpModel({
        builtinCode: BuiltinOp.CONCATENATION,
        inputs: shapes.map((shape, k) => ({ name: `input_${k}`, type: dtype, shape })),
        outputs: [{ name: "output", type: dtype, shape: outShape }],
        options: { kind: "ConcatenationOptions", axis, fusedActivation: "NONE" },
      });
      const inputs = Array.from({ length: 3 }, () => shapes.map((shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        return new Uint8Array((dtype === "int32" ? rng.int32Array(n, -1000, 1000) : Float32Array.from({ length: n }, () => rng.float() * 8 - 4)).buffer);
      }));
      cases.push({ name: `${dtype}_${i}`, model, inputs });
    }
  }
  return cases;
};
