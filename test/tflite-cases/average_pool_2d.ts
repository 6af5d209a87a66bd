// AVERAGE_POOL_2D: the cases of pool.ts.
import type { CaseMaker } from "./case.js";
import { poolCases } from "./pool.js";

export const make: CaseMaker = (rng) => poolCases(rng, "avg");
