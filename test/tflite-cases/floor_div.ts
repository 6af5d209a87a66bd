// FLOOR_DIV: float32 and int32 (nonzero divisors of both signs), broadcasting.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "FLOOR_DIV",
  options: () => ({ kind: "FloorDivOptions" }),
  maxRank: 4,
  counts: { float32: 8, int32: 12 },
  int32Range: [-50, 50],
  nonzero: true,
});
