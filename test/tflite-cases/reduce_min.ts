// REDUCE_MIN over random axes of int8, uint8 and float32 tensors (reductions.ts).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import type { CaseMaker } from "./case.js";
import { reductionCases } from "./reductions.js";

export const make: CaseMaker = (rng) => reductionCases(rng, BuiltinOp.REDUCE_MIN, "min", 14);
