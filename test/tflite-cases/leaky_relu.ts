// LEAKY_RELU: int8 / uint8 with random input and output quantization and alpha (mostly in
// (0, 1), sometimes above 1 or negative); float32.
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "LEAKY_RELU",
  options: (rng, i) => ({ kind: "LeakyReluOptions", alpha: Math.fround(i === 5 ? -0.5 : i === 6 ? 1.7 : rng.float()) }),
});
