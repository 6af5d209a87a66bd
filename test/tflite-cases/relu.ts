// RELU: int8 / uint8 with random input and output quantization; float32.
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, { op: "RELU" });
