// EXPAND_DIMS at every axis (negative too; int32 and int64 axis), every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, int64, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 3; i++) {
      const shape = randomShape(rng, rng.int(1, 4), 1, 5);
      const axis = rng.int(-shape.length - 1, shape.length);
      const at = axis < 0 ? axis + shape.length + 1 : axis;
      const q = quantFor(rng, type);
      cases.push(opCase(rng, `${type}_${i}`, "EXPAND_DIMS", [data(type, shape, q), (i === 2 ? int64 : int32)([axis])], [data(type, [...shape.slice(0, at), 1, ...shape.slice(at)], q)], { kind: "ExpandDimsOptions" }));
    }
  }
  return cases;
};
