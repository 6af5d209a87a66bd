// DEPTH_TO_SPACE with blocks 1–3, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, opCase, quantFor } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 3; i++) {
      const b = i + 1, n = rng.int(1, 2), h = rng.int(1, 4), w = rng.int(1, 4), c = rng.int(1, 3);
      const q = quantFor(rng, type);
      cases.push(opCase(rng, `${type}_block${b}`, "DEPTH_TO_SPACE", [data(type, [n, h, w, b * b * c], q)], [data(type, [n, h * b, w * b, c], q)], { kind: "DepthToSpaceOptions", blockSize: b }));
    }
  }
  return cases;
};
