// Cases of REDUCE_MAX, REDUCE_MIN, SUM and MEAN over random axes (test/tflite-cases/reduce_max.ts,
// reduce_min.ts, sum.ts, mean.ts): ranks 1–5 with awkward sizes, 1 to all axes given in any order,
// negative or repeated, keep_dims both ways; int8, uint8 and float32.
import { singleOpModel } from "../model-builder.js";
import { type Rng, randomQuant } from "../random.js";
import type { FixtureCase } from "./case.js";
import { activation, product, randomShape } from "./tensors.js";

export type ReduceKind = "max" | "min" | "sum" | "mean";

const TYPES = ["int8", "uint8", "float32"] as const;

export function reductionCases(rng: Rng, builtinCode: number, kind: ReduceKind, perType: number): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const type of TYPES) {
    for (let i = 0; i < perType; i++) {
      // A long contiguous run now and then, for the v128 paths.
      const float = type === "float32";
      const shape = i % 4 === 3
        ? [float ? 1 : rng.int(1, 2), rng.pick([16, 17, 33]), rng.pick(float ? [1, 3, 7] : [1, 3, 16])]
        : randomShape(rng, 1, 5, float ? 300 : 900);
      const rank = shape.length;
      const all = Array.from({ length: rank }, (_, a) => a);
      let axes = all.filter(() => rng.bool(0.5));
      if (axes.length === 0) axes = [rng.int(0, rank - 1)];
      axes = axes.map((a) => (rng.bool(0.3) ? a - rank : a)).sort(() => rng.float() - 0.5);
      if (rng.bool(0.15)) axes.push(axes[0]);
      const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      const keepDims = rng.bool(0.5);
      const outShape = keepDims ? shape.map((d, a) => (reduced.has(a) ? 1 : d)) : shape.filter((_, a) => !reduced.has(a));
      const count = product(shape) / product(outShape);
      const q = type === "float32" ? undefined : randomQuant(rng, type);
      let outQ = q;
      if (q !== undefined && (kind === "sum" || kind === "mean") && rng.bool(0.75)) {
        outQ = { scale: Math.fround(q.scale * rng.logUniform(kind === "sum" ? 1 : 0.25, kind === "sum" ? Math.max(2, count) : 4)), zeroPoint: randomQuant(rng, type as "int8" | "uint8").zeroPoint };
      }
      cases.push({
        name: `${type}_${i}_r${rank}_${keepDims ? "keep" : "drop"}`,
        model: singleOpModel({
          builtinCode,
          inputs: [activation(rng, type, shape, "input", q), { name: "axis", type: "int32", shape: [axes.length], data: new Int32Array(axes) }],
          outputs: [activation(rng, type, outShape, "output", outQ)],
          options: { kind: "ReducerOptions", keepDims },
          version: type === "int8" ? 2 : 1,
        }),
      });
    }
  }
  return cases;
}
