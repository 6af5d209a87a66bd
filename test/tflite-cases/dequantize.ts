// DEQUANTIZE int8 / uint8 → float32.
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 6; i++) {
      const shape = [1, rng.int(1, 6), rng.int(1, 6), randomChannels(rng)];
      cases.push({ name: `${dtype}_${i}`, model: mb.dequantizeModel({ type: dtype, shape, q: randomQuant(rng, dtype, 1e-5, 10) }) });
    }
  }
  return cases;
};
