// RESHAPE int8 / uint8 to other ranks.
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 4; i++) {
      const shape = [1, rng.int(1, 5), rng.int(1, 5), randomChannels(rng)];
      const n = shape.reduce((a, b) => a * b, 1);
      const newShape = rng.pick([[1, n], [n], [1, 1, 1, n], [shape[1] * shape[2], shape[3]], [1, shape[1], shape[2] * shape[3]]]);
      cases.push({ name: `${dtype}_${i}`, model: mb.reshapeModel({ type: dtype, shape, q: randomQuant(rng, dtype, 1e-3, 1) }, newShape) });
    }
  }
  return cases;
};
