// RESIZE_BILINEAR: int8 (TFLite's 10-bit fixed point), uint8 and float32, every option pair.
import type { CaseMaker } from "./case.js";
import { resizeCases } from "./resize-cases.js";

export const make: CaseMaker = (rng) => resizeCases(rng, "bilinear");
