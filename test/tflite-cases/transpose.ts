// TRANSPOSE of ranks 1–6 with random permutations, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let rank = 1; rank <= 6; rank++) {
      const shape = randomShape(rng, rank, 1, rank > 4 ? 3 : 7);
      const perm = shape.map((_, i) => i);
      for (let i = rank - 1; i > 0; i--) { const j = rng.int(0, i); [perm[i], perm[j]] = [perm[j], perm[i]]; }
      const q = quantFor(rng, type);
      cases.push(opCase(rng, `${type}_rank${rank}`, "TRANSPOSE", [data(type, shape, q), int32(perm)], [data(type, perm.map((p) => shape[p]), q)], { kind: "TransposeOptions" }));
    }
  }
  return cases;
};
