// TANH: int8 / uint8 with random input quantization, the output mostly at TFLite's usual 1/128
// (zero point 0 / 128), sometimes random; float32.
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "TANH",
  inputQuant: (rng, type, i) => ({ scale: rng.logUniform(i < 3 ? 1 / 64 : 1e-3, i < 3 ? 1 / 8 : 0.5), zeroPoint: type === "int8" ? rng.int(-128, 127) : rng.int(0, 255) }),
  outputQuant: (rng, type, i) => (i < 5 ? { scale: 1 / 128, zeroPoint: type === "int8" ? 0 : 128 } : { scale: rng.logUniform(1 / 200, 1 / 50), zeroPoint: type === "int8" ? rng.int(-20, 20) : rng.int(108, 148) }),
});
