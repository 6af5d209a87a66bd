// ADD: int32 (each fused activation) and broadcasting of 8-bit and float32 up to 5 dimensions.
import { binaryCases } from "./binary.js";
import type { CaseMaker } from "./case.js";

export const make: CaseMaker = (rng) => binaryCases(rng, {
  op: "ADD",
  options: (fusedActivation) => ({ kind: "AddOptions", fusedActivation, potScaleInt16: true }),
  fusedActivation: true,
  counts: { int32: 10, int8: 8, uint8: 6, float32: 6 },
});
