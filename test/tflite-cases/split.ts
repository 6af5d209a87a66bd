// SPLIT into 1–4 equal parts along every axis (negative too), every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const shape = randomShape(rng, rng.int(1, 4), 1, 5);
      const axis = rng.int(-shape.length, shape.length - 1);
      const at = axis < 0 ? axis + shape.length : axis;
      const n = rng.int(1, 4);
      shape[at] *= n;
      const q = quantFor(rng, type);
      const out = shape.map((d, k) => (k === at ? d / n : d));
      cases.push(opCase(rng, `${type}_${i}`, "SPLIT", [int32([axis]), data(type, shape, q)], Array.from({ length: n }, () => data(type, out, q)), { kind: "SplitOptions", numSplits: n }));
    }
  }
  return cases;
};
