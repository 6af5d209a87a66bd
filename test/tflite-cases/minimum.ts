// MINIMUM: int8 / uint8 (compared as stored), float32 and int32, broadcasting.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "MINIMUM",
  options: () => ({ kind: "MaximumMinimumOptions" }),
  counts: { int8: 6, uint8: 6, float32: 5, int32: 5 },
  sameQuantization: true,
});
