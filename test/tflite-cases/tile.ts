// TILE of ranks 1–4 with multiples 1–3 (int32 and int64), every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, int64, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let rank = 1; rank <= 4; rank++) {
      const shape = randomShape(rng, rank, 1, 4);
      const multiples = shape.map(() => rng.int(1, 3));
      const q = quantFor(rng, type);
      cases.push(opCase(rng, `${type}_rank${rank}`, "TILE", [data(type, shape, q), (rank === 2 ? int64 : int32)(multiples)], [data(type, shape.map((d, i) => d * multiples[i]), q)], { kind: "TileOptions" }));
    }
  }
  return cases;
};
