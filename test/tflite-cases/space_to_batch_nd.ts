// SPACE_TO_BATCH_ND of 4-d (2 spatial) and 3-d (1 spatial) inputs with random blocks and
// paddings (padding takes the zero point), every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 4; i++) {
      const spatial = i % 2 === 0 ? 2 : 1;
      const block = Array.from({ length: spatial }, () => rng.int(1, 3));
      const pads: number[] = [], size: number[] = [], out: number[] = [];
      block.forEach((b) => {
        const before = rng.int(0, 2), padded = b * rng.int(1, 4);
        const s = Math.max(1, padded - before - rng.int(0, 2));
        const after = Math.ceil((s + before) / b) * b - s - before;
        pads.push(before, after); size.push(s); out.push((s + before + after) / b);
      });
      const n = rng.int(1, 2), c = rng.int(1, 3);
      const q = quantFor(rng, type);
      const blocks = block.reduce((a, b) => a * b, 1);
      cases.push(opCase(rng, `${type}_${i}`, "SPACE_TO_BATCH_ND", [data(type, [n, ...size, c], q), int32(block), { ...int32(pads), shape: [spatial, 2] }], [data(type, [n * blocks, ...out, c], q)], { kind: "SpaceToBatchNDOptions" }));
    }
  }
  return cases;
};
