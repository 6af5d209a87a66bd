// ADD: int8 / uint8 with random quantization, same shapes and broadcasting (also lower rank),
// fused activations; float32.
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, type Rng, pickActivation, randomChannels, randomQuant, randomZeroPoint } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

function shapes(r: Rng): { a: number[]; b: number[]; out: number[] } {
  const out = [r.int(1, 2), r.int(1, 7), r.int(1, 7), randomChannels(r)];
  let a = [...out];
  let b = [...out];
  const mode = r.pick(["same", "broadcast", "broadcast", "lower-rank"]);
  if (mode === "broadcast") {
    a = out.map((d) => (r.bool(0.3) ? 1 : d));
    b = out.map((d, k) => (a[k] !== 1 && r.bool(0.5) ? 1 : d));
  } else if (mode === "lower-rank") {
    b = out.slice(r.int(1, 3)).map((d) => (r.bool(0.2) ? 1 : d));
  }
  if (r.bool(0.5)) [a, b] = [b, a];
  const rank = Math.max(a.length, b.length);
  const pad = (s: number[]) => [...Array(4 - s.length).fill(1), ...s];
  const outShape = pad(a).map((d, k) => Math.max(d, pad(b)[k])).slice(4 - rank);
  return { a, b, out: outShape };
}

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 14; i++) {
      const s = shapes(rng);
      const aQ = randomQuant(rng, dtype, 1e-3, 4);
      const bQ = rng.bool(0.2) ? { ...aQ } : randomQuant(rng, dtype, 1e-3, 4);
      const outQ = { scale: Math.fround(Math.max(aQ.scale, bQ.scale) * rng.logUniform(0.3, 4)), zeroPoint: randomZeroPoint(rng, dtype) };
      const model = mb.addModel({ type: dtype, shape: s.a, q: aQ }, { type: dtype, shape: s.b, q: bQ }, { type: dtype, shape: s.out, q: outQ }, pickActivation(rng));
      cases.push({ name: `${dtype}_${i}`, model });
    }
  }
  for (let i = 0; i < 6; i++) {
    const s = shapes(rng);
    const model = mb.singleOpModel({
      builtinCode: BuiltinOp.ADD,
      inputs: [{ name: "a", type: "float32", shape: s.a }, { name: "b", type: "float32", shape: s.b }],
      outputs: [{ name: "output", type: "float32", shape: s.out }],
      options: { kind: "AddOptions", fusedActivation: pickActivation(rng), potScaleInt16: true },
    });
    cases.push({ name: `float32_${i}`, model });
  }
  return cases;
};
