// PACK of 1–4 inputs along every axis (negative too), every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const shape = randomShape(rng, rng.int(1, 3), 1, 6);
      const n = rng.int(1, 4);
      const axis = rng.int(-shape.length - 1, shape.length);
      const at = axis < 0 ? axis + shape.length + 1 : axis;
      const q = quantFor(rng, type);
      const out = [...shape.slice(0, at), n, ...shape.slice(at)];
      cases.push(opCase(rng, `${type}_${i}`, "PACK", Array.from({ length: n }, () => data(type, shape, q)), [data(type, out, q)], { kind: "PackOptions", valuesCount: n, axis }));
    }
  }
  return cases;
};
