// BATCH_TO_SPACE_ND of 4-d (2 spatial) and 3-d (1 spatial) inputs with random blocks and crops,
// every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const spatial = i % 2 === 0 ? 2 : 1;
      const block = Array.from({ length: spatial }, () => rng.int(1, 3));
      const size = block.map(() => rng.int(1, 4));
      const crops: number[] = [], out: number[] = [];
      block.forEach((b, k) => {
        const full = size[k] * b;
        const before = rng.int(0, Math.min(2, full - 1)), after = rng.int(0, Math.min(2, full - 1 - before));
        crops.push(before, after); out.push(full - before - after);
      });
      const n = rng.int(1, 2), c = rng.int(1, 3);
      const q = quantFor(rng, type);
      const blocks = block.reduce((a, b) => a * b, 1);
      cases.push(opCase(rng, `${type}_${i}`, "BATCH_TO_SPACE_ND", [data(type, [n * blocks, ...size, c], q), int32(block), { ...int32(crops), shape: [spatial, 2] }], [data(type, [n, ...out, c], q)], { kind: "BatchToSpaceNDOptions" }));
    }
  }
  return cases;
};
