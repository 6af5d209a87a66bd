// L2_NORMALIZATION over the last axis: int8 / uint8 with random input quantization and TFLite's
// output quantization (1/128, zero point 0 / 128), rows of 1 to 64 values; float32.
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "L2_NORMALIZATION",
  quantizedCases: 9,
  outputQuant: (_rng, type) => ({ scale: 1 / 128, zeroPoint: type === "int8" ? 0 : 128 }),
  options: () => ({ kind: "L2NormOptions", fusedActivation: "NONE" }),
});
