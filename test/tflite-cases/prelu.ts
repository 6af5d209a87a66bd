// PRELU: int8 / uint8 and float32, alpha per channel, scalar or broadcast (often constant).
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "PRELU",
  options: null,
  counts: { int8: 12, uint8: 10, float32: 8 },
  secondNotLarger: true,
  outputScale: (s1) => s1,
  outputFactor: [0.5, 2],
  maxRank: 4,
  int8Version: 1,
});
