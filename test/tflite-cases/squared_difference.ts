// SQUARED_DIFFERENCE: int8, float32 and int32, broadcasting.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "SQUARED_DIFFERENCE",
  options: () => ({ kind: "SquaredDifferenceOptions" }),
  maxRank: 4,
  counts: { int8: 16, float32: 6, int32: 6 },
  outputScale: (s1, s2) => Math.max(s1, s2) ** 2 * 64,
  outputFactor: [0.25, 16],
});
