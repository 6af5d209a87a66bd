// LOG_SOFTMAX over the last axis, float32 (the dtype quantlite runs it in).
import type { CaseMaker } from "./case.js";
import { activationCases } from "./unary.js";

export const make: CaseMaker = (rng) => activationCases(rng, {
  op: "LOG_SOFTMAX",
  types: ["float32"],
  floatCases: 10,
  options: () => ({ kind: "LogSoftmaxOptions" }),
});
