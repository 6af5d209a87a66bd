// HARD_SWISH: int8 / uint8 with random input quantization and an output scale that TFLite
// accepts (output scale ≥ input scale / 128); float32.
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "HARD_SWISH",
  version: () => 1,
  quantizedCases: 10,
  inputQuant: (rng, type) => ({ scale: rng.logUniform(1e-3, 0.2), zeroPoint: type === "int8" ? rng.int(-128, 127) : rng.int(0, 255) }),
  outputQuant: (rng, type, _i, input) => ({ scale: input.scale * rng.logUniform(0.05, 4), zeroPoint: type === "int8" ? rng.int(-128, 127) : rng.int(0, 255) }),
});
