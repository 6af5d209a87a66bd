// ARG_MAX (arg_min_max.ts).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import type { CaseMaker } from "./case.js";
import { argCases } from "./arg_min_max.js";

export const make: CaseMaker = (rng) => argCases(rng, BuiltinOp.ARG_MAX, "ArgMaxOptions");
