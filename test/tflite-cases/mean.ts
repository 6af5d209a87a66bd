// MEAN over the spatial axes of int8 / uint8 tensors: the same quantization on both sides (the
// path where TFLite folds 1/count into the multiplier), and different ones; then over random
// axes of int8, uint8 and float32 tensors of ranks 1–5 (reductions.ts).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { meanModel, type QType } from "../model-builder.js";
import { randomNHWC, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { reductionCases } from "./reductions.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of ["int8", "uint8"] as QType[]) {
    for (let i = 0; i < 8; i++) {
      const shape = randomNHWC(rng, { maxHW: 14, maxBatch: 2 });
      const q = randomQuant(rng, type);
      const sameQuantization = i % 2 === 0;
      const outQ = sameQuantization ? q : randomQuant(rng, type);
      const keepDims = rng.bool(0.5);
      const outShape = keepDims ? [shape[0], 1, 1, shape[3]] : [shape[0], shape[3]];
      cases.push({
        name: `${type}_${sameQuantization ? "same" : "requant"}_${i}`,
        model: meanModel({ type, shape, q }, { type, shape: outShape, q: outQ }, rng.bool(0.5) ? [1, 2] : [-3, -2], keepDims),
      });
    }
  }
  return [...cases, ...reductionCases(rng, BuiltinOp.MEAN, "mean", 10)];
};
