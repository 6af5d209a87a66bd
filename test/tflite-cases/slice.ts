// SLICE of ranks 1–5, sizes with -1 (to the end), int32 and int64 begin/size, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, int64, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let rank = 1; rank <= 5; rank++) {
      const shape = randomShape(rng, rank, 1, rank > 3 ? 4 : 8);
      const begin = shape.map((d) => rng.int(0, d - 1));
      const size = shape.map((d, i) => (rng.bool(0.25) ? -1 : rng.int(1, d - begin[i])));
      const out = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
      const q = quantFor(rng, type);
      const ints = rank % 2 === 0 ? int64 : int32;
      cases.push(opCase(rng, `${type}_rank${rank}`, "SLICE", [data(type, shape, q), ints(begin), ints(size)], [data(type, out, q)], { kind: "SliceOptions" }));
    }
  }
  return cases;
};
