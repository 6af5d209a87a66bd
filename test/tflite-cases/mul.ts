// MUL: int8 / uint8 (each fused activation), float32 and int32, broadcasting and constant operands.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "MUL",
  options: (fusedActivation) => ({ kind: "MulOptions", fusedActivation }),
  fusedActivation: true,
  counts: { int8: 16, uint8: 12, float32: 8, int32: 6 },
  outputScale: (s1, s2) => s1 * s2 * 64,
  outputFactor: [0.25, 16],
  int32Range: [-3000, 3000],
});
