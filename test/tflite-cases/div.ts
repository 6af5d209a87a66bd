// DIV: float32 and int32 (nonzero divisors), each fused activation, broadcasting.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "DIV",
  options: (fusedActivation) => ({ kind: "DivOptions", fusedActivation }),
  fusedActivation: true,
  counts: { float32: 10, int32: 10 },
  int32Range: [-200, 200],
  nonzero: true,
});
