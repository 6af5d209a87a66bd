// Cases of ARG_MAX and ARG_MIN (test/tflite-cases/arg_max.ts, arg_min.ts): int8, uint8, float32
// and int32 inputs of ranks 1–4 with awkward sizes, every axis given as int32 or int64, negative
// too, of shape [1] or [] (as MoveNet has it); int32 and int64 outputs; values from a narrow range
// half of the time, for ties.
import { singleOpModel } from "../model-builder.js";
import type { Rng } from "../random.js";
import type { FixtureCase } from "./case.js";
import { type ValueType, activation, constantIndices, product, randomBytes, randomShape, samples } from "./tensors.js";

const TYPES: ValueType[] = ["int8", "uint8", "float32", "int32"];

export function argCases(rng: Rng, builtinCode: number, kind: "ArgMaxOptions" | "ArgMinOptions"): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const type of TYPES) {
    for (let i = 0; i < 10; i++) {
      const shape = i === 9 ? [1, 3, 5, 21] : randomShape(rng, 1, 4, type === "int8" || type === "uint8" ? 800 : 250);
      const rank = shape.length;
      const axis = i === 9 ? 3 : rng.int(0, rank - 1);
      const outputType = rng.bool(0.5) ? "int32" : "int64";
      const axisType = rng.bool(0.5) ? "int32" : "int64";
      const ties = rng.bool(0.5);
      const [lo, hi] = type === "uint8" ? [100, 103] : [-2, 1];
      cases.push({
        name: `${type}_${i}_axis${axis}_${outputType}${ties ? "_ties" : ""}`,
        model: singleOpModel({
          builtinCode,
          inputs: [activation(rng, type, shape, "input"), constantIndices("axis", axisType, i === 9 ? [] : [1], [rng.bool(0.3) ? axis - rank : axis])],
          outputs: [{ name: "output", type: outputType, shape: shape.filter((_, a) => a !== axis) }],
          options: { kind, outputType },
          version: type === "int8" ? 2 : 1,
        }),
        inputs: samples(() => [ties ? randomBytes(rng, type, product(shape), lo, hi) : randomBytes(rng, type, product(shape))]),
      });
    }
  }
  return cases;
}
