// CAST between the dtypes models use: 8-bit and bool to float32 / int32, int32 ↔ float32,
// float32 to 8-bit and int32 (inputs within the target's range: beyond it C++ leaves the
// result undefined), and bool and int64 as internal tensors (X → bool / int64 → Y through two CASTs: the
// SDK's graph inputs and outputs have neither dtype).
import { buildModel } from "../model-builder.js";
import { writeModel } from "../../js/tflite/write.js";
import type { TensorType } from "../../js/tflite/types.js";
import type { Rng } from "../random.js";
import { SAMPLES, type CaseMaker, type FixtureCase } from "./case.js";
import { opCode, randomShape } from "./unary.js";

const BYTES: Partial<Record<TensorType, number>> = { int8: 1, uint8: 1, bool: 1, int32: 4, float32: 4 };

/** Random values of `type` within [lo, hi]. */
function sample(rng: Rng, type: TensorType, count: number, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(count * BYTES[type]!);
  if (type === "float32") {
    const values = new Float32Array(out.buffer);
    for (let i = 0; i < count; i++) values[i] = rng.bool(0.1) ? rng.int(lo, hi) : lo + rng.float() * (hi - lo);
  } else if (type === "int32") {
    const values = new Int32Array(out.buffer);
    for (let i = 0; i < count; i++) values[i] = rng.int(lo, hi);
  } else if (type === "bool") {
    for (let i = 0; i < count; i++) out[i] = rng.int(0, 1);
  } else {
    for (let i = 0; i < count; i++) out[i] = rng.int(0, 255);
  }
  return out;
}

/** A chain of CASTs through the dtypes of `path`. */
function castModel(path: TensorType[], shape: number[]): Uint8Array {
  const tensors = path.map((type, i) => ({ name: `t${i}`, type, shape }));
  const ops = path.slice(1).map((type, i) => ({
    builtinCode: opCode("CAST"), inputs: [i], outputs: [i + 1],
    options: { kind: "CastOptions" as const, inDataType: path[i], outDataType: type },
  }));
  return writeModel(buildModel({ tensors, ops, inputs: [0], outputs: [path.length - 1] }));
}

const PATHS: [TensorType[], number, number][] = [
  [["uint8", "float32"], 0, 0], [["int8", "float32"], 0, 0], [["uint8", "int32"], 0, 0], [["int8", "int32"], 0, 0],
  [["int32", "float32"], -1e9, 1e9], [["float32", "int32"], -1e6, 1e6],
  [["float32", "uint8"], 0, 255], [["float32", "int8"], -128, 127], [["float32", "bool", "float32"], -2, 2],
  [["int32", "bool", "int32"], -2, 2], [["uint8", "bool", "int32"], 0, 0], [["int32", "int8"], -128, 127], [["int32", "uint8"], 0, 255],
  [["uint8", "int8"], 0, 0], [["int8", "uint8"], 0, 0],
  [["int32", "int64", "int32"], -2e9, 2e9], [["float32", "int64", "float32"], -1e6, 1e6], [["uint8", "int64", "float32"], 0, 0],
];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const [path, lo, hi] of PATHS) {
    for (let i = 0; i < 2; i++) {
      const shape = randomShape(rng, 300);
      const count = shape.reduce((a, b) => a * b, 1);
      cases.push({
        name: `${path.join("_")}_${i}`,
        model: castModel(path, shape),
        inputs: Array.from({ length: SAMPLES }, () => [sample(rng, path[0], count, lo, hi)]),
      });
    }
  }
  return cases;
};
