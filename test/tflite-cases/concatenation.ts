// CONCATENATION int8 (equal quantization, as TFLite requires) and uint8 (inputs may be rescaled)
// along any axis, also negative, of ranks 2–4.
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomQuant } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 10; i++) {
      const rank = rng.pick([4, 4, 2, 3]);
      const base = [rng.int(1, 2), rng.int(1, 5), rng.int(1, 5), randomChannels(rng, 17)].slice(4 - rank);
      const axisPos = rng.int(0, rank - 1);
      const axis = rng.bool(0.25) ? axisPos - rank : axisPos;
      const outQ = randomQuant(rng, dtype, 1e-3, 1);
      const rescale = dtype === "uint8" && rng.bool(0.6);
      const inputs = Array.from({ length: rng.int(2, 3) }, () => {
        const shape = [...base];
        shape[axisPos] = randomChannels(rng, 9);
        const q = rescale && rng.bool(0.75) ? randomQuant(rng, dtype, outQ.scale / 4, outQ.scale * 4) : { ...outQ };
        return { type: dtype, shape, q };
      });
      const outShape = [...base];
      outShape[axisPos] = inputs.reduce((n, t) => n + t.shape[axisPos], 0);
      cases.push({ name: `${dtype}_${i}`, model: mb.concatenationModel(inputs, { type: dtype, shape: outShape, q: outQ }, axis) });
    }
  }
  return cases;
};
