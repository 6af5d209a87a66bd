// SUB: int8 / uint8 (each fused activation), float32 and int32, broadcasting and constant operands.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "SUB",
  options: (fusedActivation) => ({ kind: "SubOptions", fusedActivation, potScaleInt16: true }),
  fusedActivation: true,
  counts: { int8: 14, uint8: 12, float32: 8, int32: 8 },
});
