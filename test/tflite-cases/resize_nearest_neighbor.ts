// RESIZE_NEAREST_NEIGHBOR: int8, uint8 and float32, every option pair.
import type { CaseMaker } from "./case.js";
import { resizeCases } from "./resize-cases.js";

export const make: CaseMaker = (rng) => resizeCases(rng, "nearest");
