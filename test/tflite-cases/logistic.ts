// LOGISTIC: int8 / uint8 with random input quantization and TFLite's output quantization
// (1/256, zero point -128 / 0), and float32.
import { randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { randomShape, tensor, unaryModel, versionOf } from "./unary.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of ["int8", "uint8"] as const) {
    for (let i = 0; i < 10; i++) {
      const shape = randomShape(rng);
      const q = i < 3 ? randomQuant(rng, type, 1 / 64, 1 / 8) : randomQuant(rng, type, 1e-3, 1);
      const out = { scale: 1 / 256, zeroPoint: type === "int8" ? -128 : 0 };
      cases.push({ name: `${type}_${i}`, model: unaryModel("LOGISTIC", tensor("input", type, shape, q), tensor("output", type, shape, out), null, versionOf(type)) });
    }
  }
  for (let i = 0; i < 6; i++) {
    const shape = randomShape(rng);
    cases.push({ name: `float32_${i}`, model: unaryModel("LOGISTIC", tensor("input", "float32", shape), tensor("output", "float32", shape)) });
  }
  return cases;
};
