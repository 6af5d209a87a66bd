// SHAPE of inputs of ranks 1–4 and every data dtype, as int32 (a graph output, so not folded).
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, opCase, quantFor, randomShape } from "./moves.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    const shape = randomShape(rng, rng.int(1, 4), 1, 6);
    cases.push(opCase(rng, `${type}`, "SHAPE", [data(type, shape, quantFor(rng, type))], [{ type: "int32", shape: [shape.length] }], { kind: "ShapeOptions", outputType: "int32" }));
  }
  return cases;
};
