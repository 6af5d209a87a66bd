// SQUEEZE of listed dimensions (negative too) and of every size-1 dimension, every data dtype.
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, opCase, quantFor } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (let i = 0; i < 3; i++) {
      const shape = Array.from({ length: rng.int(2, 5) }, () => (rng.bool(0.5) ? 1 : rng.int(2, 5)));
      const ones = shape.flatMap((d, k) => (d === 1 ? [k] : []));
      const dims = i === 0 ? [] : ones.filter(() => rng.bool(0.6)).map((k) => (rng.bool(0.5) ? k - shape.length : k));
      const dropped = dims.map((d) => (d < 0 ? d + shape.length : d));
      const out = shape.filter((d, k) => (dims.length === 0 ? d !== 1 : !dropped.includes(k)));
      const q = quantFor(rng, type);
      cases.push(opCase(rng, `${type}_${i}`, "SQUEEZE", [data(type, shape, q)], [data(type, out, q)], { kind: "SqueezeOptions", squeezeDims: dims }));
    }
  }
  return cases;
};
