// UNPACK along every axis (negative too), ranks 1–4, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const shape = randomShape(rng, rng.int(1, 4), 1, 5);
      const axis = rng.int(-shape.length, shape.length - 1);
      const at = axis < 0 ? axis + shape.length : axis;
      const q = quantFor(rng, type);
      const out = shape.filter((_, k) => k !== at);
      cases.push(opCase(rng, `${type}_${i}`, "UNPACK", [data(type, shape, q)], Array.from({ length: shape[at] }, () => data(type, out, q)), { kind: "UnpackOptions", num: shape[at], axis }));
    }
  }
  return cases;
};
