// DIV: float32, int32 and uint8 / int8 (nonzero divisors), each fused activation, broadcasting.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "DIV",
  options: (fusedActivation) => ({ kind: "DivOptions", fusedActivation }),
  fusedActivation: true,
  counts: { uint8: 14, int8: 6, float32: 10, int32: 10 },
  outputScale: (s1, s2) => s1 / s2 / 32,
  outputFactor: [0.25, 8],
  int32Range: [-200, 200],
  nonzero: true,
});
