// SUM over random axes: int8 / uint8 requantized as TFLite's QuantizedMeanOrSum (mostly with an
// output scale of its own), and float32 (reductions.ts).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import type { CaseMaker } from "./case.js";
import { reductionCases } from "./reductions.js";

export const make: CaseMaker = (rng) => reductionCases(rng, BuiltinOp.SUM, "sum", 16);
