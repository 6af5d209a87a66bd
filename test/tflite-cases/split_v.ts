// SPLIT_V into parts of random sizes (one sometimes -1) along every axis, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const shape = randomShape(rng, rng.int(1, 4), 1, 5);
      const axis = rng.int(-shape.length, shape.length - 1);
      const at = axis < 0 ? axis + shape.length : axis;
      const sizes = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 4));
      shape[at] = sizes.reduce((a, b) => a + b, 0);
      const q = quantFor(rng, type);
      const given = sizes.map((s, k) => (k === 0 && i % 2 === 1 ? -1 : s));
      const outputs = sizes.map((s) => data(type, shape.map((d, k) => (k === at ? s : d)), q));
      cases.push(opCase(rng, `${type}_${i}`, "SPLIT_V", [data(type, shape, q), int32(given), int32([axis])], outputs, { kind: "SplitVOptions", numSplits: sizes.length }));
    }
  }
  return cases;
};
