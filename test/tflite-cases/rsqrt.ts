// RSQRT: int8 (TFLite has no uint8 kernel) with inputs at or above the zero point (TFLite stops
// on negative values); float32 on positive values.
import type { CaseMaker } from "./case.js";
import { activationCases, floatBytes } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "RSQRT",
  types: ["int8", "float32"],
  inputQuant: (rng) => ({ scale: rng.logUniform(1e-3, 0.5), zeroPoint: rng.int(-128, 100) }),
  sample: (rng, type, count, q) => (type === "float32"
    ? floatBytes(Array.from({ length: count }, () => 1e-3 + rng.float() * 8))
    : new Uint8Array(Array.from({ length: count }, () => rng.int(q!.zeroPoint, 127) & 0xff))),
});
